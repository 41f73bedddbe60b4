//! Access (閲覧権限) in Python, as the core exposes it today (`tsunagu::access`; the book does
//! not apply it yet): an `AccessPolicy` (the built-in policy extended by a municipality's
//! document), its decisions, and an `AccessGate` that reads households and contact details
//! through the policy and the address protections (DV・ストーカー等支援措置), redacting what
//! the requester may not see and logging every read it allows in its view log (閲覧記録).
//! Policy errors are the core's codes, raised as the classes of `error.rs`.

use crate::convert;
use crate::error::IntoPy;
use crate::persons::from_value;
use crate::Taxonomies;
use pyo3::prelude::*;
use std::sync::Mutex;
use tsunagu::access::{
    Access, Action, AddressProtection, CaseRelation, ContactDetails, Policy, PolicyEnv,
    Protections, ReadRequest, RecordKind, Requester, ViewLog,
};
use tsunagu::household::Household;
use tsunagu::ids::{CaseId, PersonId, WorkerId};
use tsunagu::privacy::InfoCategory;
use tsunagu::taxonomy::Taxonomies as CoreTaxonomies;

/// An optional document argument: `None` gives the default (an empty list).
fn opt<T: serde::de::DeserializeOwned + Default>(obj: Option<&Bound<'_, PyAny>>) -> PyResult<T> {
    match obj {
        Some(o) if !o.is_none() => convert::document(o),
        _ => Ok(T::default()),
    }
}

/// A value argument (a str id, a code, a datetime …) through the core's parser.
fn value<T: serde::de::DeserializeOwned>(obj: &Bound<'_, PyAny>) -> PyResult<T> {
    from_value(convert::to_json(obj)?)
}

/// An access policy (閲覧権限の規則): who may read or change which kind of record, in which
/// relation to the case. Immutable: `extended` returns a new policy.
#[pyclass(frozen, skip_from_py_object, module = "tsunagu._core")]
#[derive(Clone)]
pub struct AccessPolicy(Policy);

/// Load a municipality's access policy document (dict or JSON text) over the built-in policy
/// (or over no rule with `builtin=False`); `roles` lists the role codes the document may name
/// besides the built-in ones. Raises the core's policy error (every problem), loading nothing.
#[tsunagu_python_guard::guard]
#[pyfunction]
#[pyo3(signature = (document, builtin=true, roles=None))]
pub fn load_access_policy(
    document: &Bound<'_, PyAny>,
    builtin: bool,
    roles: Option<&Bound<'_, PyAny>>,
) -> PyResult<AccessPolicy> {
    let base = if builtin {
        Policy::builtin().clone()
    } else {
        Policy::from_json(r#"{"rules": []}"#, &PolicyEnv::default()).py()?
    };
    let env = match roles {
        Some(r) if !r.is_none() => PolicyEnv::with_roles(convert::document::<Vec<_>>(r)?),
        _ => PolicyEnv::default(),
    };
    let text = match document.cast::<pyo3::types::PyString>() {
        Ok(s) => convert::str_arg(s)?,
        Err(_) => convert::to_json(document)?.to_string(),
    };
    base.extend_json(&text, &env).py().map(AccessPolicy)
}

#[tsunagu_python_guard::guard]
#[pymethods]
impl AccessPolicy {
    /// The built-in policy.
    #[new]
    fn new() -> Self {
        AccessPolicy(Policy::builtin().clone())
    }
    /// Number of rules.
    fn __len__(&self) -> usize {
        self.0.rules().len()
    }
    /// The decision for `requester` (a dict: `worker`, `agency`, `roles` …) holding
    /// `relations` to the case (a list of relation codes; none: no relation), to whom
    /// disclosures showed `disclosed` (categories), reading or changing (`action`) a record of
    /// `kind`: a dict with the categories allowed and the rule that decided.
    #[pyo3(signature = (requester, kind, action, relations=None, disclosed=None))]
    fn decide<'py>(
        &self,
        py: Python<'py>,
        requester: &Bound<'py, PyAny>,
        kind: &Bound<'py, PyAny>,
        action: &Bound<'py, PyAny>,
        relations: Option<&Bound<'py, PyAny>>,
        disclosed: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let requester: Requester = convert::document(requester)?;
        let (kind, action): (RecordKind, Action) = (value(kind)?, value(action)?);
        let relations: Vec<CaseRelation> = opt(relations)?;
        let disclosed: Vec<InfoCategory> = opt(disclosed)?;
        let d = self
            .0
            .decide_with(&requester, &relations, &disclosed, kind, action);
        convert::to_py(py, &d)
    }
    fn __repr__(&self) -> String {
        format!("AccessPolicy(rules={})", self.0.rules().len())
    }
}

/// The reading side of access: a policy, the address protections in force and the view log of
/// every read allowed. Thread-safe (a Mutex inside).
#[pyclass(frozen, module = "tsunagu._core")]
pub struct AccessGate(Mutex<Gate>);

struct Gate {
    policy: Policy,
    protections: Protections,
    log: ViewLog,
    tax: CoreTaxonomies,
}

impl AccessGate {
    fn lock(&self) -> std::sync::MutexGuard<'_, Gate> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The arguments every read shares.
struct Read {
    requester: Requester,
    relations: Vec<CaseRelation>,
    disclosed: Vec<InfoCategory>,
    case: Option<CaseId>,
    at: chrono::DateTime<chrono::Utc>,
    household: Household,
    contacts: Vec<ContactDetails>,
}

impl Read {
    #[allow(clippy::too_many_arguments)]
    fn new(
        requester: &Bound<'_, PyAny>,
        household: &Bound<'_, PyAny>,
        at: &Bound<'_, PyAny>,
        relations: Option<&Bound<'_, PyAny>>,
        disclosed: Option<&Bound<'_, PyAny>>,
        case: Option<&Bound<'_, PyAny>>,
        contacts: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Read> {
        Ok(Read {
            requester: convert::document(requester)?,
            relations: opt(relations)?,
            disclosed: opt(disclosed)?,
            case: match case {
                Some(c) if !c.is_none() => Some(value(c)?),
                _ => None,
            },
            at: value(at)?,
            household: convert::document(household)?,
            contacts: opt(contacts)?,
        })
    }
    fn request(&self) -> ReadRequest<'_> {
        ReadRequest {
            requester: &self.requester,
            relations: &self.relations,
            disclosed: &self.disclosed,
            case: self.case.as_ref(),
            at: self.at,
        }
    }
}

#[tsunagu_python_guard::guard]
#[pymethods]
impl AccessGate {
    /// `AccessGate(policy=None, taxonomies=None)`: the built-in policy by default, no address
    /// protection, an empty view log.
    #[new]
    #[pyo3(signature = (policy=None, taxonomies=None))]
    fn new(policy: Option<&AccessPolicy>, taxonomies: Option<&Taxonomies>) -> Self {
        AccessGate(Mutex::new(Gate {
            policy: policy.map_or_else(|| Policy::builtin().clone(), |p| p.0.clone()),
            protections: Protections::default(),
            log: ViewLog::new(),
            tax: taxonomies.map_or_else(CoreTaxonomies::builtin, |t| t.0.clone()),
        }))
    }
    /// Replace the taxonomies (the issue and category vocabularies redaction reads).
    fn set_taxonomies(&self, taxonomies: &Taxonomies) {
        self.lock().tax = taxonomies.0.clone();
    }
    /// Replace the policy.
    fn set_policy(&self, policy: &AccessPolicy) {
        self.lock().policy = policy.0.clone();
    }
    /// The address protections in force (支援措置: a list of dicts), each validated first;
    /// returns their number. A bad record raises and changes nothing.
    fn set_protections(&self, protections: &Bound<'_, PyAny>) -> PyResult<usize> {
        let records: Vec<AddressProtection> = convert::document(protections)?;
        for r in &records {
            r.validate().py()?;
        }
        let mut g = self.lock();
        g.protections = Protections::new(records);
        Ok(g.protections.records.len())
    }
    /// Read a household as `requester` at `at` (an aware `datetime`): the view redacted by the
    /// policy and the protections, as a dict; a read the policy allows is logged. Never refused.
    #[pyo3(signature = (requester, household, at, relations=None, disclosed=None, case=None, contacts=None))]
    #[allow(clippy::too_many_arguments)]
    fn read_household<'py>(
        &self,
        py: Python<'py>,
        requester: &Bound<'py, PyAny>,
        household: &Bound<'py, PyAny>,
        at: &Bound<'py, PyAny>,
        relations: Option<&Bound<'py, PyAny>>,
        disclosed: Option<&Bound<'py, PyAny>>,
        case: Option<&Bound<'py, PyAny>>,
        contacts: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let r = Read::new(
            requester, household, at, relations, disclosed, case, contacts,
        )?;
        let mut g = self.lock();
        let Gate {
            policy,
            protections,
            log,
            tax,
        } = &mut *g;
        let access = Access {
            policy,
            protections,
            tax,
        };
        let view = access.read_household(&r.request(), &r.household, &r.contacts, log);
        convert::to_py(py, &view)
    }
    /// Read one member's contact details (address, phone, whereabouts) explicitly: raises
    /// `access_denied` when the policy does not open the person's identity, `unknown_person`
    /// when `person` is not a member; a protected address stays hidden. Logged when shown.
    #[pyo3(signature = (requester, household, person, at, relations=None, disclosed=None, case=None, contacts=None))]
    #[allow(clippy::too_many_arguments)]
    fn read_contact<'py>(
        &self,
        py: Python<'py>,
        requester: &Bound<'py, PyAny>,
        household: &Bound<'py, PyAny>,
        person: &Bound<'py, PyAny>,
        at: &Bound<'py, PyAny>,
        relations: Option<&Bound<'py, PyAny>>,
        disclosed: Option<&Bound<'py, PyAny>>,
        case: Option<&Bound<'py, PyAny>>,
        contacts: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let r = Read::new(
            requester, household, at, relations, disclosed, case, contacts,
        )?;
        let person: PersonId = value(person)?;
        let contact = r
            .contacts
            .iter()
            .find(|c| c.person == person)
            .cloned()
            .unwrap_or(ContactDetails {
                person,
                address: None,
                phone: None,
                whereabouts: None,
            });
        let mut g = self.lock();
        let Gate {
            policy,
            protections,
            log,
            tax,
        } = &mut *g;
        let access = Access {
            policy,
            protections,
            tax,
        };
        let view = access
            .read_contact(&r.request(), &r.household, &contact, log)
            .py()?;
        convert::to_py(py, &view)
    }
    /// The view log (閲覧記録) as dicts, oldest first: every read, or those of a `person`
    /// (who viewed them), a `worker` (what they viewed) or a `case` — at most one filter.
    #[pyo3(signature = (*, person=None, worker=None, case=None))]
    fn view_log<'py>(
        &self,
        py: Python<'py>,
        person: Option<&Bound<'py, PyAny>>,
        worker: Option<&Bound<'py, PyAny>>,
        case: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let g = self.lock();
        let records = match (person, worker, case) {
            (Some(p), _, _) => g.log.who_viewed(&value::<PersonId>(p)?),
            (None, Some(w), _) => g.log.viewed_by(&value::<WorkerId>(w)?),
            (None, None, Some(c)) => g.log.case_views(&value::<CaseId>(c)?),
            (None, None, None) => g.log.iter().collect(),
        };
        convert::to_py(py, &records)
    }
    fn __len__(&self) -> usize {
        self.lock().log.iter().count()
    }
    fn __repr__(&self) -> String {
        let g = self.lock();
        format!(
            "AccessGate(rules={}, protections={}, views={})",
            g.policy.rules().len(),
            g.protections.records.len(),
            g.log.iter().count()
        )
    }
}

/// Register the classes and the function.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<AccessPolicy>()?;
    m.add_class::<AccessGate>()?;
    m.add_function(wrap_pyfunction!(load_access_policy, m)?)?;
    Ok(())
}
