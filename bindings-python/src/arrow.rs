//! Arrow tables (the PyCapsule interface `__arrow_c_stream__`): report tables and the
//! pseudonymised export, built column by column in Rust — no Python object per row.

use arrow_array::builder::Date32Builder;
use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, DictionaryArray, Int32Array, RecordBatch, StringArray,
    StructArray, UInt32Array, UInt64Array,
};
use arrow_buffer::{Buffer, NullBuffer, OffsetBuffer, ScalarBuffer};
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

/// An Arrow table held in Rust; read it with `pyarrow.table(t)`, `polars.DataFrame(t)`,
/// `duckdb.sql("select … from t")` or `t.to_pandas()`.
#[pyclass(frozen, module = "tsunagu._core")]
pub struct ArrowTable {
    pub(crate) name: String,
    pub(crate) batch: RecordBatch,
}

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

    /// As a `pandas.DataFrame` (through pyarrow).
    fn to_pandas<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        Self::to_pyarrow(slf)?.call_method0("to_pandas")
    }

    /// As a `polars.DataFrame`.
    fn to_polars<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("polars")?.call_method1("DataFrame", (slf,))
    }

    fn __repr__(&self) -> String {
        format!(
            "ArrowTable({:?}, rows={}, columns={:?})",
            self.name,
            self.batch.num_rows(),
            self.column_names()
        )
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

/// Pseudonyms as 16-hex-digit strings, written straight into the Arrow buffers: one values
/// buffer of `16 · n` bytes, offsets `16 · i` (nulls take no bytes), no per-value builder call.
fn hex_column(v: impl IntoIterator<Item = Option<u64>>) -> ArrayRef {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let it = v.into_iter();
    let n = it.size_hint().0;
    let mut values: Vec<u8> = Vec::with_capacity(n * 16);
    let mut offsets: Vec<i32> = Vec::with_capacity(n + 1);
    let mut valid: Vec<bool> = Vec::new();
    let mut nulls = 0usize;
    offsets.push(0);
    for (i, p) in it.enumerate() {
        match p {
            Some(p) => {
                let mut buf = [0u8; 16];
                for (k, slot) in buf.iter_mut().enumerate() {
                    *slot = HEX[((p >> (60 - 4 * k)) & 0xf) as usize];
                }
                values.extend_from_slice(&buf);
                if nulls > 0 {
                    valid.push(true);
                }
            }
            None => {
                if nulls == 0 {
                    valid.reserve(n);
                    valid.resize(i, true);
                }
                nulls += 1;
                valid.push(false);
            }
        }
        offsets.push(values.len() as i32);
    }
    let nulls = (nulls > 0).then(|| NullBuffer::from(valid));
    // Offsets grow by 0 or 16 and every byte is an ASCII hex digit: valid by construction.
    let offsets = OffsetBuffer::new(ScalarBuffer::from(offsets));
    Arc::new(StringArray::new(offsets, Buffer::from_vec(values), nulls))
}

/// Dictionary keys without a validity buffer when none is null.
fn keys(v: Vec<Option<i32>>) -> Int32Array {
    if v.iter().all(Option::is_some) {
        Int32Array::from_iter_values(v.into_iter().flatten())
    } else {
        Int32Array::from_iter(v)
    }
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
    let agencies: Vec<String> = t
        .agencies
        .iter()
        .map(|a| format!("{:016x}", a.agency))
        .collect();
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
                ("case", hex_column(t.cases.iter().map(|c| Some(c.case)))),
                (
                    "household",
                    hex_column(t.cases.iter().map(|c| Some(c.household))),
                ),
                (
                    "subject",
                    hex_column(t.cases.iter().map(|c| Some(c.subject))),
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
                    hex_column(t.persons.iter().map(|p| Some(p.person))),
                ),
                (
                    "household",
                    hex_column(t.persons.iter().map(|p| Some(p.household))),
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
                ("case", hex_column(t.issues.iter().map(|i| Some(i.case)))),
                ("member", hex_column(t.issues.iter().map(|i| i.member))),
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
            // One pass per column, the columns split over two threads; keys straight into
            // Int32 buffers (no per-row structs, no builders with per-value calls).
            let c = &t.contacts;
            let (left, right) = std::thread::scope(|sc| {
                let a = sc.spawn(|| {
                    (
                        hex_column(c.iter().map(|c| Some(c.contact))),
                        Arc::new(Date32Array::from_iter_values(c.iter().map(|c| days(c.on))))
                            as ArrayRef,
                        Int32Array::from_iter_values(c.iter().map(|c| c.agency as i32)),
                    )
                });
                let case = hex_column(c.iter().map(|c| c.case));
                let kind = keys(c.iter().map(|c| kind_key[c.agency as usize]).collect());
                let sector = keys(c.iter().map(|c| sector_key[c.agency as usize]).collect());
                let channel = Int32Array::from_iter_values(
                    c.iter().map(|c| channel_key(c.channel).unwrap_or(0)),
                );
                let left = a
                    .join()
                    .map_err(|_| PyValueError::new_err("worker panicked"));
                (left, (case, kind, sector, channel))
            });
            let (contact, on, agency) = left?;
            let (case, kind, sector, channel) = right;
            table(
                "contacts",
                vec![
                    ("contact", contact),
                    ("case", case),
                    ("on", on),
                    ("agency", dict_keys(agency, agencies.clone())?),
                    ("agency_kind", dict_keys(kind, kinds.clone())?),
                    ("sector", dict_keys(sector, sectors.clone())?),
                    ("channel", dict_keys(channel, channels)?),
                ],
            )
        }
        "referrals" => table(
            "referrals",
            vec![
                (
                    "referral",
                    hex_column(t.referrals.iter().map(|r| Some(r.referral))),
                ),
                ("case", hex_column(t.referrals.iter().map(|r| Some(r.case)))),
                (
                    "from_agency",
                    dict(
                        t.referrals.iter().map(|r| Some(r.from as i32)),
                        agencies.clone(),
                    )?,
                ),
                (
                    "to_agency",
                    dict(t.referrals.iter().map(|r| Some(r.to as i32)), agencies)?,
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
                    hex_column(t.meetings.iter().map(|m| Some(m.meeting))),
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
