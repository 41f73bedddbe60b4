//! Arrow tables (the PyCapsule interface `__arrow_c_stream__`): report tables and the
//! pseudonymised export, built column by column in Rust — no Python object per row.

use arrow_array::builder::Date32Builder;
use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, DictionaryArray, Int32Array, RecordBatch, StringArray,
    StructArray, UInt32Array, UInt64Array,
};
use arrow_buffer::{NullBuffer, ScalarBuffer};
use arrow_schema::{Field, Schema};
use chrono::{Datelike, NaiveDate};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyCapsule;
use pyo3_arrow::ffi::{to_stream_pycapsule, ArrayIterator};
use std::sync::Arc;
use tsunagu::stats::{AnnualReport, ExportTables};

#[path = "support_tables.rs"]
pub(crate) mod support_tables;

#[path = "record_tables.rs"]
pub(crate) mod record_tables;

/// An Arrow table held in Rust; read it with `pyarrow.table(t)`, `polars.DataFrame(t)`,
/// `duckdb.sql("select … from t")` or `t.to_pandas()`.
#[pyclass(frozen, module = "tsunagu._core")]
pub struct ArrowTable {
    pub(crate) name: String,
    pub(crate) batch: RecordBatch,
}

#[tsunagu_python_guard::guard]
#[pymethods]
impl ArrowTable {
    /// The Arrow C stream capsule (PyCapsule interface).
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyCapsule>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let schema = self.batch.schema();
        let batch = self.batch.clone();
        let arr: ArrayRef = Arc::new(StructArray::from(batch));
        let reader = Box::new(ArrayIterator::new(
            std::iter::once(Ok(arr)),
            Field::new_struct("", schema.fields().clone(), false)
                .with_metadata(schema.metadata.clone())
                .into(),
        ));
        to_stream_pycapsule(py, reader, requested_schema).map_err(PyErr::from)
    }

    /// Table name.
    #[getter]
    fn name(&self) -> &str {
        &self.name
    }

    /// Number of rows.
    #[getter]
    fn num_rows(&self) -> usize {
        self.batch.num_rows()
    }

    /// Column names.
    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.batch
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    fn __len__(&self) -> usize {
        self.batch.num_rows()
    }

    /// As a `pyarrow.Table`.
    fn to_pyarrow<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("pyarrow")?.call_method1("table", (slf,))
    }

    /// As a `pandas.DataFrame` (through pyarrow). A pseudonym column with missing values
    /// (`UInt64`, nullable) becomes pandas' nullable `UInt64` dtype, not `float64` (which
    /// would round 64-bit pseudonyms).
    fn to_pandas<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let table = Self::to_pyarrow(slf)?;
        let nullable_u64 = slf
            .get()
            .batch
            .schema()
            .fields()
            .iter()
            .any(|f| f.is_nullable() && *f.data_type() == arrow_schema::DataType::UInt64);
        if !nullable_u64 {
            return table.call_method0("to_pandas");
        }
        let pa = py.import("pyarrow")?;
        let pd = py.import("pandas")?;
        let mapping = pyo3::types::PyDict::new(py);
        mapping.set_item(pa.call_method0("uint64")?, pd.call_method0("UInt64Dtype")?)?;
        let kwargs = pyo3::types::PyDict::new(py);
        kwargs.set_item("types_mapper", mapping.getattr("get")?)?;
        table.call_method("to_pandas", (), Some(&kwargs))
    }

    /// As a `polars.DataFrame`.
    fn to_polars<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("polars")?.call_method1("DataFrame", (slf,))
    }

    fn __repr__(&self) -> PyResult<String> {
        Ok(format!(
            "ArrowTable({:?}, rows={}, columns={:?})",
            self.name,
            self.batch.num_rows(),
            self.column_names()?
        ))
    }
}

fn batch(columns: Vec<(&str, ArrayRef)>) -> PyResult<RecordBatch> {
    let fields: Vec<Field> = columns
        .iter()
        .map(|(n, a)| {
            Field::new(
                *n,
                a.data_type().clone(),
                a.null_count() > 0 || a.is_nullable(),
            )
        })
        .collect();
    RecordBatch::try_new(
        Arc::new(Schema::new(fields)),
        columns.into_iter().map(|(_, a)| a).collect(),
    )
    .map_err(|e| PyValueError::new_err(e.to_string()))
}

fn table(name: &str, columns: Vec<(&str, ArrayRef)>) -> PyResult<ArrowTable> {
    Ok(ArrowTable {
        name: name.into(),
        batch: batch(columns)?,
    })
}

fn strings<'a>(v: impl IntoIterator<Item = &'a str>) -> ArrayRef {
    Arc::new(StringArray::from_iter_values(v))
}

fn u64s(v: impl IntoIterator<Item = u64>) -> ArrayRef {
    Arc::new(UInt64Array::from_iter_values(v))
}

const EPOCH_DAYS: i32 = 719_163; // days from 0001-01-01 (CE day 1) to 1970-01-01

fn days(d: NaiveDate) -> i32 {
    d.num_days_from_ce() - EPOCH_DAYS
}

fn dates(v: impl IntoIterator<Item = Option<NaiveDate>>) -> ArrayRef {
    let it = v.into_iter();
    let mut b = Date32Builder::with_capacity(it.size_hint().0);
    for d in it {
        b.append_option(d.map(days));
    }
    Arc::new(b.finish())
}

/// A pseudonym column (仮名ID): Arrow `UInt64`, the 64-bit keyed pseudonym itself (a join key;
/// the 16-hex-digit form of earlier versions is `format(p, "016x")`). With
/// [`pseudonym_array`], the one place pseudonym columns are built: values straight into one
/// buffer, a validity buffer only when a value is missing.
fn pseudonym_column(v: impl IntoIterator<Item = Option<u64>>) -> ArrayRef {
    let it = v.into_iter();
    let n = it.size_hint().0;
    let mut values: Vec<u64> = Vec::with_capacity(n);
    let mut valid: Vec<bool> = Vec::new();
    for p in it {
        match p {
            Some(p) => {
                if !valid.is_empty() {
                    valid.push(true);
                }
                values.push(p);
            }
            None => {
                if valid.is_empty() {
                    valid.reserve(n.max(values.len() + 1));
                    valid.resize(values.len(), true);
                }
                valid.push(false);
                values.push(0);
            }
        }
    }
    pseudonym_array(values, (!valid.is_empty()).then_some(valid))
}

/// A pseudonym column from ready values (`0` where `valid` says missing).
fn pseudonym_array(values: Vec<u64>, valid: Option<Vec<bool>>) -> ArrayRef {
    let nulls = valid.map(NullBuffer::from);
    Arc::new(UInt64Array::new(ScalarBuffer::from(values), nulls))
}

/// A dictionary column from ready keys.
fn dict_keys(keys: Int32Array, values: Vec<String>) -> PyResult<ArrayRef> {
    let values = StringArray::from_iter_values(values);
    let a = DictionaryArray::<Int32Type>::try_new(keys, Arc::new(values))
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(Arc::new(a))
}

/// A dictionary-encoded string column (pandas: categorical).
fn dict(keys: impl IntoIterator<Item = Option<i32>>, values: Vec<String>) -> PyResult<ArrayRef> {
    let keys = Int32Array::from_iter(keys);
    let values = StringArray::from_iter_values(values);
    let a = DictionaryArray::<Int32Type>::try_new(keys, Arc::new(values))
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(Arc::new(a))
}

fn code<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The tables of an annual report: `first_consultations_by_month`, `issues`, `age_bands`,
/// `closures`, `referrals`, `contacts` (Table 1 rows), `contact_sectors`, `case_meetings`,
/// `network_meetings`.
pub fn report_tables(r: &AnnualReport) -> PyResult<Vec<ArrowTable>> {
    let codes = |name: &str, list: &[tsunagu::stats::CodeCount]| {
        table(
            name,
            vec![
                ("code", strings(list.iter().map(|c| c.code.as_str()))),
                ("ja", strings(list.iter().map(|c| c.ja.as_str()))),
                ("count", u64s(list.iter().map(|c| c.count))),
            ],
        )
    };
    let fc = &r.first_consultations;
    let c = &r.contacts;
    let m = &r.case_meetings;
    Ok(vec![
        table(
            "first_consultations_by_month",
            vec![
                (
                    "month",
                    strings(fc.by_month.iter().map(|m| m.month.as_str())),
                ),
                ("count", u64s(fc.by_month.iter().map(|m| m.count))),
            ],
        )?,
        codes("issues", &r.issues)?,
        table(
            "age_bands",
            vec![
                ("code", strings(r.age_bands.iter().map(|b| b.code.as_str()))),
                ("ja", strings(r.age_bands.iter().map(|b| b.ja.as_str()))),
                ("count", u64s(r.age_bands.iter().map(|b| b.count))),
            ],
        )?,
        codes("closures", &r.closures)?,
        codes("referrals", &r.referrals)?,
        table(
            "contacts",
            vec![
                ("sector", strings(c.rows.iter().map(|r| r.sector.as_str()))),
                ("kind", strings(c.rows.iter().map(|r| r.kind.as_str()))),
                ("ja", strings(c.rows.iter().map(|r| r.ja.as_str()))),
                ("count", u64s(c.rows.iter().map(|r| r.count))),
            ],
        )?,
        table(
            "contact_sectors",
            vec![
                (
                    "sector",
                    strings(c.sectors.iter().map(|r| r.sector.as_str())),
                ),
                ("ja", strings(c.sectors.iter().map(|r| r.ja.as_str()))),
                ("count", u64s(c.sectors.iter().map(|r| r.count))),
            ],
        )?,
        table(
            "case_meetings",
            vec![
                (
                    "by",
                    strings(
                        m.by_type
                            .iter()
                            .map(|_| "type")
                            .chain(m.by_convener.iter().map(|_| "convener")),
                    ),
                ),
                (
                    "code",
                    Arc::new(StringArray::from_iter_values(
                        m.by_type
                            .iter()
                            .map(|t| t.code.clone())
                            .chain(m.by_convener.iter().map(|(r, _)| code(r))),
                    )),
                ),
                (
                    "count",
                    u64s(
                        m.by_type
                            .iter()
                            .map(|t| t.count)
                            .chain(m.by_convener.iter().map(|(_, n)| *n)),
                    ),
                ),
            ],
        )?,
        table(
            "network_meetings",
            vec![
                (
                    "number",
                    Arc::new(UInt32Array::from_iter_values(
                        r.network_meetings.iter().map(|n| n.number),
                    )),
                ),
                (
                    "date",
                    dates(r.network_meetings.iter().map(|n| Some(n.date))),
                ),
                (
                    "meeting_type",
                    strings(r.network_meetings.iter().map(|n| n.meeting_type.as_str())),
                ),
            ],
        )?,
    ])
}

/// Names of the export tables, in order: the six case tables, then the participation,
/// community and disaster tables of `support_tables`.
pub const EXPORT_TABLES: [&str; 15] = [
    "cases",
    "persons",
    "issues",
    "contacts",
    "referrals",
    "meetings",
    "resources",
    "matches",
    "match_follow_ups",
    "resource_gaps",
    "activities",
    "activity_sessions",
    "disaster_records",
    "disaster_visits",
    "disaster_dispatches",
];

/// The export tables, in the order of [`EXPORT_TABLES`].
pub fn export_tables(t: &ExportTables) -> PyResult<Vec<ArrowTable>> {
    EXPORT_TABLES.iter().map(|n| export_table(t, n)).collect()
}

/// One export table by name (only that one is built).
pub fn export_table(t: &ExportTables, name: &str) -> PyResult<ArrowTable> {
    let bands = t.age_bands.clone();
    let kinds: Vec<String> = {
        let mut k: Vec<String> = t
            .agencies
            .iter()
            .filter_map(|a| a.kind.as_ref().map(|k| k.to_string()))
            .collect();
        k.sort();
        k.dedup();
        k
    };
    let kind_key: Vec<Option<i32>> = t
        .agencies
        .iter()
        .map(|a| {
            a.kind
                .as_ref()
                .and_then(|k| kinds.binary_search(&k.to_string()).ok().map(|i| i as i32))
        })
        .collect();
    let sectors: Vec<String> = {
        let mut s: Vec<String> = t
            .agencies
            .iter()
            .filter_map(|a| a.sector.as_ref().map(|k| k.to_string()))
            .collect();
        s.sort();
        s.dedup();
        s
    };
    let sector_key: Vec<Option<i32>> = t
        .agencies
        .iter()
        .map(|a| {
            a.sector
                .as_ref()
                .and_then(|k| sectors.binary_search(&k.to_string()).ok().map(|i| i as i32))
        })
        .collect();
    let agency_p: Vec<u64> = t.agencies.iter().map(|a| a.agency).collect();
    let channels: Vec<String> = tsunagu::referral::ContactChannel::ALL
        .iter()
        .map(|c| c.code().to_string())
        .collect();
    let channel_key = |c: tsunagu::referral::ContactChannel| {
        tsunagu::referral::ContactChannel::ALL
            .iter()
            .position(|x| *x == c)
            .map(|i| i as i32)
    };

    match name {
        "cases" => table(
            "cases",
            vec![
                (
                    "case",
                    pseudonym_column(t.cases.iter().map(|c| Some(c.case))),
                ),
                (
                    "household",
                    pseudonym_column(t.cases.iter().map(|c| Some(c.household))),
                ),
                (
                    "subject",
                    pseudonym_column(t.cases.iter().map(|c| Some(c.subject))),
                ),
                (
                    "opened_on",
                    dates(t.cases.iter().map(|c| Some(c.opened_on))),
                ),
                (
                    "outreach",
                    Arc::new(BooleanArray::from_iter(
                        t.cases.iter().map(|c| Some(c.outreach)),
                    )),
                ),
                (
                    "first_consultation_on",
                    dates(t.cases.iter().map(|c| c.first_consultation_on)),
                ),
                (
                    "age_band",
                    dict(
                        t.cases.iter().map(|c| Some(i32::from(c.age_band))),
                        bands.clone(),
                    )?,
                ),
                (
                    "outcome",
                    Arc::new(StringArray::from_iter(
                        t.cases.iter().map(|c| c.outcome.as_ref().map(code)),
                    )),
                ),
                ("closed_on", dates(t.cases.iter().map(|c| c.closed_on))),
                (
                    "closure_reason",
                    Arc::new(StringArray::from_iter(
                        t.cases
                            .iter()
                            .map(|c| c.closure_reason.as_ref().map(|r| r.to_string())),
                    )),
                ),
            ],
        ),
        "persons" => table(
            "persons",
            vec![
                (
                    "person",
                    pseudonym_column(t.persons.iter().map(|p| Some(p.person))),
                ),
                (
                    "household",
                    pseudonym_column(t.persons.iter().map(|p| Some(p.household))),
                ),
                (
                    "relation",
                    Arc::new(StringArray::from_iter_values(
                        t.persons.iter().map(|p| code(&p.relation)),
                    )),
                ),
                (
                    "age_band",
                    dict(
                        t.persons.iter().map(|p| Some(i32::from(p.age_band))),
                        bands.clone(),
                    )?,
                ),
            ],
        ),
        "issues" => table(
            "issues",
            vec![
                (
                    "case",
                    pseudonym_column(t.issues.iter().map(|i| Some(i.case))),
                ),
                (
                    "member",
                    pseudonym_column(t.issues.iter().map(|i| i.member)),
                ),
                (
                    "issue",
                    dict(
                        t.issues.iter().map(|i| Some(i.issue as i32)),
                        t.issue_codes.iter().map(|c| c.to_string()).collect(),
                    )?,
                ),
            ],
        ),
        "contacts" => {
            // One pass over the rows writing every column (a pass per column would read the
            // rows seven times); keys straight into Int32 buffers, no builders.
            let c = &t.contacts;
            let n = c.len();
            let kind_t: Vec<i32> = kind_key.iter().map(|k| k.unwrap_or(-1)).collect();
            let sector_t: Vec<i32> = sector_key.iter().map(|k| k.unwrap_or(-1)).collect();
            let mut contact = Vec::with_capacity(n);
            let mut case = Vec::with_capacity(n);
            let mut case_valid = Vec::with_capacity(n);
            let mut on = Vec::with_capacity(n);
            let mut agency = Vec::with_capacity(n);
            let mut kind = Vec::with_capacity(n);
            let mut sector = Vec::with_capacity(n);
            let mut channel = Vec::with_capacity(n);
            for r in c {
                let a = r.agency as usize;
                contact.push(r.contact);
                case.push(r.case.unwrap_or(0));
                case_valid.push(r.case.is_some());
                on.push(days(r.on));
                agency.push(agency_p[a]);
                kind.push(kind_t[a]);
                sector.push(sector_t[a]);
                channel.push(channel_key(r.channel).unwrap_or(0));
            }
            let case_valid = (!case_valid.iter().all(|v| *v)).then_some(case_valid);
            // −1 marks an agency without a (known) kind or sector: null there.
            let dict_nullable = |k: Vec<i32>| -> Int32Array {
                if k.iter().all(|k| *k >= 0) {
                    Int32Array::from(k)
                } else {
                    Int32Array::from_iter(k.into_iter().map(|k| (k >= 0).then_some(k)))
                }
            };
            table(
                "contacts",
                vec![
                    ("contact", pseudonym_array(contact, None)),
                    ("case", pseudonym_array(case, case_valid)),
                    ("on", Arc::new(Date32Array::from(on))),
                    ("agency", pseudonym_array(agency, None)),
                    (
                        "agency_kind",
                        dict_keys(dict_nullable(kind), kinds.clone())?,
                    ),
                    ("sector", dict_keys(dict_nullable(sector), sectors.clone())?),
                    ("channel", dict_keys(Int32Array::from(channel), channels)?),
                ],
            )
        }
        "referrals" => table(
            "referrals",
            vec![
                (
                    "referral",
                    pseudonym_column(t.referrals.iter().map(|r| Some(r.referral))),
                ),
                (
                    "case",
                    pseudonym_column(t.referrals.iter().map(|r| Some(r.case))),
                ),
                (
                    "from_agency",
                    pseudonym_column(t.referrals.iter().map(|r| Some(agency_p[r.from as usize]))),
                ),
                (
                    "to_agency",
                    pseudonym_column(t.referrals.iter().map(|r| Some(agency_p[r.to as usize]))),
                ),
                (
                    "proposed_on",
                    dates(t.referrals.iter().map(|r| Some(r.proposed_on))),
                ),
                (
                    "status",
                    Arc::new(StringArray::from_iter_values(
                        t.referrals.iter().map(|r| r.status.code()),
                    )),
                ),
            ],
        ),
        "meetings" => table(
            "meetings",
            vec![
                (
                    "meeting",
                    pseudonym_column(t.meetings.iter().map(|m| Some(m.meeting))),
                ),
                (
                    "meeting_type",
                    strings(t.meetings.iter().map(|m| m.meeting_type.as_str())),
                ),
                (
                    "base_type",
                    strings(t.meetings.iter().map(|m| m.base_type.as_str())),
                ),
                ("date", dates(t.meetings.iter().map(|m| Some(m.date)))),
                (
                    "convener",
                    Arc::new(StringArray::from_iter_values(
                        t.meetings.iter().map(|m| code(&m.convener)),
                    )),
                ),
                (
                    "cases",
                    Arc::new(UInt32Array::from_iter_values(
                        t.meetings.iter().map(|m| m.cases),
                    )),
                ),
            ],
        ),
        other => support_tables::support_table(t, other),
    }
}
