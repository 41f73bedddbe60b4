//! Routing (振り分け) from Python: rule sets (built-in rules extended by a municipality's JSON or
//! TOML document, given as a dict, text or a `pathlib.Path`), the compiled router, and
//! recommendations with their explanations in ja and en.
//!
//! Decisions: a `str` is always document *text* (JSON when it starts with `{`, else TOML), a
//! `pathlib.Path` is a file (format by suffix, else sniffed); dicts go through JSON so problems
//! carry the same JSON paths as in Rust. An invalid document raises `RuleDocumentError` with
//! every problem in `problems`; nothing changes. Routing does not validate the household (as the
//! core's `Router::evaluate`); call `validate_household` first where that matters.

use crate::convert;
use crate::error::IntoPy;
use crate::{Directory, Taxonomies};
use chrono::NaiveDate;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use std::path::PathBuf;
use std::sync::OnceLock;
use tsunagu::household::Household;
use tsunagu::routing::{
    Recommendation as CoreRecommendation, Router as CoreRouter, Routing as CoreRouting, RoutingEnv,
    RuleId, RuleSet as CoreRuleSet, Situation,
};
use tsunagu::taxonomy::Taxonomies as CoreTaxonomies;

/// The built-in environment (parsed once).
fn builtin_env() -> &'static RoutingEnv {
    static ENV: OnceLock<RoutingEnv> = OnceLock::new();
    ENV.get_or_init(RoutingEnv::builtin)
}

/// The environment rules are checked and evaluated against: the built-in one, or the given
/// taxonomies with the given directory (default: the reference directory, validated against
/// those taxonomies).
fn env_of(
    taxonomies: Option<&CoreTaxonomies>,
    directory: Option<&tsunagu::agency::Directory>,
) -> PyResult<RoutingEnv> {
    if taxonomies.is_none() && directory.is_none() {
        return Ok(builtin_env().clone());
    }
    let tax = taxonomies.cloned().unwrap_or_else(CoreTaxonomies::builtin);
    let dir = match directory {
        Some(d) => d.clone(),
        None => tsunagu::agency::Directory::from_json(tsunagu::routing::REFERENCE_DIRECTORY, &tax)
            .py()?,
    };
    Ok(RoutingEnv::new(tax, dir))
}

#[derive(Clone, Copy)]
enum Format {
    Json,
    Toml,
}

fn sniff(text: &str) -> Format {
    if text.trim_start().starts_with('{') {
        Format::Json
    } else {
        Format::Toml
    }
}

/// A rule document as text with its format: a dict (→ JSON), `str` text, or a `pathlib.Path`.
fn document_text(obj: &Bound<'_, PyAny>) -> PyResult<(String, Format)> {
    if let Ok(s) = obj.cast::<PyString>() {
        let text = convert::str_arg(s)?;
        let f = sniff(&text);
        return Ok((text, f));
    }
    if obj.cast::<PyDict>().is_ok() {
        return Ok((convert::to_json(obj)?.to_string(), Format::Json));
    }
    if let Ok(path) = obj.extract::<PathBuf>() {
        // A file that cannot be read is the file system's error (OSError); one that is not
        // UTF-8 is a malformed document.
        let text = String::from_utf8(std::fs::read(&path)?).map_err(|_| {
            crate::error::to_py(tsunagu::Error::Document(tsunagu::error::DocumentError {
                format: "text",
                path: "$".into(),
                message: "the file is not UTF-8 text".into(),
            }))
        })?;
        let f = match path.extension().and_then(|e| e.to_str()) {
            Some("json") => Format::Json,
            Some("toml") => Format::Toml,
            _ => sniff(&text),
        };
        return Ok((text, f));
    }
    Ok((convert::to_json(obj)?.to_string(), Format::Json))
}

fn extend(
    set: &CoreRuleSet,
    document: &Bound<'_, PyAny>,
    env: &RoutingEnv,
) -> PyResult<CoreRuleSet> {
    let (text, format) = document_text(document)?;
    let py = document.py();
    py.detach(|| match format {
        Format::Json => set.extend_json(&text, env),
        Format::Toml => set.extend_toml(&text, env),
    })
    .py()
}

/// A validated set of routing rules (振り分けルール): the built-in defaults, possibly extended or
/// overridden by id by a municipality's document. Immutable: `extended` returns a new set.
#[pyclass(frozen, skip_from_py_object, module = "tsunagu._core")]
#[derive(Clone)]
pub struct RuleSet(pub(crate) CoreRuleSet);

#[tsunagu_python_guard::guard]
#[pymethods]
impl RuleSet {
    /// `RuleSet()`: the built-in rules.
    #[new]
    fn new() -> Self {
        RuleSet(CoreRuleSet::builtin())
    }
    /// The built-in rules (`core/data/routing_default.toml`).
    #[staticmethod]
    fn builtin() -> Self {
        RuleSet(CoreRuleSet::builtin())
    }
    /// A set without rules (every household gets the fallback recommendation).
    #[staticmethod]
    fn empty() -> Self {
        RuleSet(CoreRuleSet::empty())
    }
    /// The text (TOML) of the built-in rule document.
    #[staticmethod]
    fn builtin_text() -> &'static str {
        CoreRuleSet::builtin_text()
    }
    /// Load a document (dict, JSON / TOML text, or `pathlib.Path`) on top of the built-in rules
    /// (`builtin=False`: on its own). Raises `RuleDocumentError` listing every problem.
    #[staticmethod]
    #[pyo3(signature = (document, *, builtin=true, taxonomies=None))]
    fn load(
        document: &Bound<'_, PyAny>,
        builtin: bool,
        taxonomies: Option<&Taxonomies>,
    ) -> PyResult<RuleSet> {
        let base = if builtin {
            CoreRuleSet::builtin()
        } else {
            CoreRuleSet::empty()
        };
        let env = env_of(taxonomies.map(|t| &t.0), None)?;
        extend(&base, document, &env).map(RuleSet)
    }
    /// A copy extended by a document: rules with a known id replace it, new ids are added,
    /// `remove` drops rules. Raises `RuleDocumentError` (every problem); `self` never changes.
    #[pyo3(signature = (document, *, taxonomies=None))]
    fn extended(
        &self,
        document: &Bound<'_, PyAny>,
        taxonomies: Option<&Taxonomies>,
    ) -> PyResult<RuleSet> {
        let env = env_of(taxonomies.map(|t| &t.0), None)?;
        extend(&self.0, document, &env).map(RuleSet)
    }
    /// Rule ids in document order.
    fn ids(&self) -> Vec<String> {
        self.0.rules().iter().map(|r| r.id.0.clone()).collect()
    }
    /// The rules as dicts.
    fn rules<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.0.rules())
    }
    /// One rule as a dict, or None.
    fn get<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.0
            .get(&RuleId::new(id))
            .map(|r| convert::to_py(py, r))
            .transpose()
    }
    /// The whole set as one rule document (dict).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.0.to_document())
    }
    /// The whole set as one JSON rule document.
    #[pyo3(signature = (indent=None))]
    fn to_json(&self, indent: Option<usize>) -> String {
        let doc = self.0.to_document();
        match indent {
            Some(_) => serde_json::to_string_pretty(&doc).unwrap_or_default(),
            None => serde_json::to_string(&doc).unwrap_or_default(),
        }
    }
    /// Compile into a router (see `Router`).
    #[pyo3(signature = (*, taxonomies=None, directory=None))]
    fn router(
        &self,
        py: Python<'_>,
        taxonomies: Option<&Taxonomies>,
        directory: Option<&Directory>,
    ) -> PyResult<Router> {
        Router::build(py, self.0.clone(), taxonomies, directory)
    }
    fn __len__(&self) -> usize {
        self.0.rules().len()
    }
    fn __contains__(&self, id: &str) -> bool {
        self.0.get(&RuleId::new(id)).is_some()
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<RuleSet>().is_ok_and(|o| o.get().0 == self.0)
    }
    fn __repr__(&self) -> String {
        format!("RuleSet(rules={})", self.0.rules().len())
    }
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        Ok((
            slf.py()
                .import("tsunagu._core")?
                .getattr("_ruleset_from_json")?,
            (slf.get().to_json(None)?,),
        ))
    }
}

#[tsunagu_python_guard::guard]
#[pyfunction]
pub fn _ruleset_from_json(text: &str) -> PyResult<RuleSet> {
    CoreRuleSet::from_json(text, builtin_env())
        .py()
        .map(RuleSet)
}

/// Every problem of a rule document (dict, JSON / TOML text, or `pathlib.Path`) as dicts
/// (`code`, `rule`, `path`, `line`, `source`, `related_rule`, `message`); empty when it loads.
/// `builtin=True` checks it as an extension of the built-in rules. A document that does not
/// parse raises `DocumentError`.
#[tsunagu_python_guard::guard]
#[pyfunction]
#[pyo3(signature = (document, *, builtin=true, taxonomies=None))]
pub fn rule_problems<'py>(
    py: Python<'py>,
    document: &Bound<'py, PyAny>,
    builtin: bool,
    taxonomies: Option<&Taxonomies>,
) -> PyResult<Bound<'py, PyList>> {
    match RuleSet::load(document, builtin, taxonomies) {
        Ok(_) => Ok(PyList::empty(py)),
        Err(e) => {
            let value = e.value(py);
            if value.is_instance_of::<crate::error::RuleDocumentError>() {
                Ok(value.getattr("problems")?.cast_into::<PyList>()?)
            } else {
                Err(e)
            }
        }
    }
}

fn situation_arg(
    situation: Option<&Bound<'_, PyAny>>,
    today: Option<NaiveDate>,
    urgency: Option<&Bound<'_, PyAny>>,
    consent: Option<&Bound<'_, PyAny>>,
    receiving_window: Option<&str>,
) -> PyResult<Situation> {
    let mut doc = serde_json::Map::new();
    if let Some(s) = situation.filter(|s| !s.is_none()) {
        if let Ok(d) = s.extract::<NaiveDate>() {
            doc.insert("today".into(), serde_json::json!(d));
        } else {
            let text_value;
            let value = if let Ok(t) = s.cast::<PyString>() {
                text_value = tsunagu::error::from_json::<serde_json::Value>(t.to_str()?).py()?;
                text_value
            } else {
                convert::to_json(s)?
            };
            match value {
                serde_json::Value::Object(m) => doc = m,
                _ => {
                    return Err(crate::error::to_py(tsunagu::Error::Document(
                        tsunagu::error::DocumentError {
                            format: "json",
                            path: "$".into(),
                            message: "situation must be a date or a dict {today, urgency?, consent?, receiving_window?}".into(),
                        },
                    )))
                }
            }
        }
    }
    if let Some(d) = today {
        doc.insert("today".into(), serde_json::json!(d));
    }
    if let Some(u) = urgency.filter(|u| !u.is_none()) {
        doc.insert("urgency".into(), convert::to_json(u)?);
    }
    if let Some(c) = consent.filter(|c| !c.is_none()) {
        doc.insert("consent".into(), convert::to_json(c)?);
    }
    if let Some(w) = receiving_window {
        doc.insert("receiving_window".into(), serde_json::json!(w));
    }
    tsunagu::error::from_json(&serde_json::Value::Object(doc).to_string()).py()
}

/// A compiled router: evaluates households against a rule set (compiled once, shareable between
/// threads). `Router()` uses the built-in rules, taxonomies and reference directory.
#[pyclass(frozen, module = "tsunagu._core")]
pub struct Router {
    router: CoreRouter,
    rules: CoreRuleSet,
    taxonomies: Option<CoreTaxonomies>,
    directory: Option<tsunagu::agency::Directory>,
}

impl Router {
    fn build(
        py: Python<'_>,
        rules: CoreRuleSet,
        taxonomies: Option<&Taxonomies>,
        directory: Option<&Directory>,
    ) -> PyResult<Router> {
        let tax = taxonomies.map(|t| t.0.clone());
        let dir = directory.map(|d| d.0.clone());
        let env = env_of(tax.as_ref(), dir.as_ref())?;
        let router = py.detach(|| CoreRouter::compile(&rules, env)).py()?;
        Ok(Router {
            router,
            rules,
            taxonomies: tax,
            directory: dir,
        })
    }
}

#[tsunagu_python_guard::guard]
#[pymethods]
impl Router {
    /// `Router(rules=None, *, taxonomies=None, directory=None)`: `rules` is a `RuleSet`, a rule
    /// document (dict, text or `pathlib.Path`, loaded on top of the built-in rules) or None
    /// (built-in rules). Raises `RuleDocumentError` for an invalid document.
    #[new]
    #[pyo3(signature = (rules=None, *, taxonomies=None, directory=None))]
    fn new(
        py: Python<'_>,
        rules: Option<&Bound<'_, PyAny>>,
        taxonomies: Option<&Taxonomies>,
        directory: Option<&Directory>,
    ) -> PyResult<Router> {
        let set = match rules {
            None => CoreRuleSet::builtin(),
            Some(r) if r.is_none() => CoreRuleSet::builtin(),
            Some(r) => match r.cast::<RuleSet>() {
                Ok(s) => s.get().0.clone(),
                Err(_) => {
                    let env = env_of(taxonomies.map(|t| &t.0), directory.map(|d| &d.0))?;
                    extend(&CoreRuleSet::builtin(), r, &env)?
                }
            },
        };
        Router::build(py, set, taxonomies, directory)
    }

    /// The rule set compiled into this router.
    #[getter]
    fn rules(&self) -> RuleSet {
        RuleSet(self.rules.clone())
    }

    /// Route one household (dict or JSON). The situation is a `datetime.date` (today), a dict
    /// `{today, urgency?, consent?, receiving_window?}`, or given by the keywords (which
    /// override the dict). Returns the ranked recommendations (never empty).
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (household, situation=None, *, today=None, urgency=None, consent=None, receiving_window=None))]
    fn route(
        &self,
        py: Python<'_>,
        household: &Bound<'_, PyAny>,
        situation: Option<&Bound<'_, PyAny>>,
        today: Option<NaiveDate>,
        urgency: Option<&Bound<'_, PyAny>>,
        consent: Option<&Bound<'_, PyAny>>,
        receiving_window: Option<&str>,
    ) -> PyResult<Routing> {
        let h: Household = convert::document(household)?;
        let s = situation_arg(situation, today, urgency, consent, receiving_window)?;
        Ok(Routing(py.detach(|| self.router.evaluate(&h, &s))))
    }

    /// Route many households in the same situation (the GIL is released while routing).
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (households, situation=None, *, today=None, urgency=None, consent=None, receiving_window=None))]
    fn route_many(
        &self,
        py: Python<'_>,
        households: &Bound<'_, PyAny>,
        situation: Option<&Bound<'_, PyAny>>,
        today: Option<NaiveDate>,
        urgency: Option<&Bound<'_, PyAny>>,
        consent: Option<&Bound<'_, PyAny>>,
        receiving_window: Option<&str>,
    ) -> PyResult<Vec<Routing>> {
        let s = situation_arg(situation, today, urgency, consent, receiving_window)?;
        let hs: Vec<Household> = households
            .try_iter()?
            .map(|h| convert::document(&h?))
            .collect::<PyResult<_>>()?;
        Ok(py.detach(|| {
            hs.iter()
                .map(|h| Routing(self.router.evaluate(h, &s)))
                .collect()
        }))
    }

    fn __len__(&self) -> usize {
        self.router.rules().len()
    }
    fn __repr__(&self) -> String {
        format!("Router(rules={})", self.router.rules().len())
    }
    #[allow(clippy::type_complexity)]
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (String, Option<String>, Option<String>))> {
        let me = slf.get();
        let rules = serde_json::to_string(&me.rules.to_document()).unwrap_or_default();
        let tax = me
            .taxonomies
            .as_ref()
            .map(|t| serde_json::to_string(t).unwrap_or_default());
        let dir = me
            .directory
            .as_ref()
            .map(|d| serde_json::to_string(d).unwrap_or_default());
        Ok((
            slf.py()
                .import("tsunagu._core")?
                .getattr("_router_from_json")?,
            (rules, tax, dir),
        ))
    }
}

#[tsunagu_python_guard::guard]
#[pyfunction]
#[pyo3(signature = (rules, taxonomies=None, directory=None))]
pub fn _router_from_json(
    py: Python<'_>,
    rules: &str,
    taxonomies: Option<&str>,
    directory: Option<&str>,
) -> PyResult<Router> {
    let tax: Option<CoreTaxonomies> = taxonomies.map(tsunagu::error::from_json).transpose().py()?;
    let env_tax = tax.clone().unwrap_or_else(CoreTaxonomies::builtin);
    let dir = directory
        .map(|d| tsunagu::agency::Directory::from_json(d, &env_tax))
        .transpose()
        .py()?;
    let env = env_of(tax.as_ref(), dir.as_ref())?;
    let set = CoreRuleSet::from_json(rules, &env).py()?;
    let router = py.detach(|| CoreRouter::compile(&set, env)).py()?;
    Ok(Router {
        router,
        rules: set,
        taxonomies: tax,
        directory: dir,
    })
}

/// The result of routing one household: ranked recommendations (iterable, indexable).
#[pyclass(frozen, module = "tsunagu._core")]
pub struct Routing(CoreRouting);

#[tsunagu_python_guard::guard]
#[pymethods]
impl Routing {
    /// The household id.
    #[getter]
    fn household(&self) -> &str {
        self.0.household.as_str()
    }
    /// The recommendations, best first.
    #[getter]
    fn recommendations(&self) -> Vec<Recommendation> {
        self.0
            .recommendations
            .iter()
            .cloned()
            .map(Recommendation)
            .collect()
    }
    /// The first recommendation.
    #[getter]
    fn top(&self) -> Recommendation {
        Recommendation(self.0.recommendations[0].clone())
    }
    /// All recommendations with their explanations as text (`lang` is `ja` or `en`).
    #[pyo3(signature = (lang="ja"))]
    fn explain(&self, lang: &str) -> PyResult<String> {
        let mut out = Vec::new();
        for r in &self.0.recommendations {
            out.push(explain(r, lang)?);
        }
        Ok(out.join("\n"))
    }
    /// As a dict (the core's JSON shape).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.0)
    }
    /// As JSON text.
    fn to_json(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_default()
    }
    fn __len__(&self) -> usize {
        self.0.recommendations.len()
    }
    fn __getitem__(&self, index: isize) -> PyResult<Recommendation> {
        let n = self.0.recommendations.len() as isize;
        let i = if index < 0 { index + n } else { index };
        if i < 0 || i >= n {
            return Err(pyo3::exceptions::PyIndexError::new_err(index));
        }
        Ok(Recommendation(self.0.recommendations[i as usize].clone()))
    }
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyIterator>> {
        PyList::new(py, self.recommendations()?)?.try_iter()
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Routing>().is_ok_and(|o| o.get().0 == self.0)
    }
    fn __repr__(&self) -> String {
        let ids: Vec<&str> = self
            .0
            .recommendations
            .iter()
            .map(|r| r.rule.as_str())
            .collect();
        format!(
            "Routing(household={:?}, rules={ids:?})",
            self.0.household.as_str()
        )
    }
}

fn pick<'a>(label: &'a tsunagu::taxonomy::Label, lang: &str) -> PyResult<&'a str> {
    match lang {
        "ja" => Ok(&label.ja),
        "en" => Ok(&label.en),
        other => Err(PyValueError::new_err(format!(
            "unknown language {other:?}: ja or en"
        ))),
    }
}

fn explain(r: &CoreRecommendation, lang: &str) -> PyResult<String> {
    let target: Vec<&str> = [
        r.agency_kind.as_ref().map(|k| k.as_str()),
        r.project.as_ref().map(|p| p.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut out = format!(
        "{}. {} [{}] ({}): {}",
        r.rank,
        target.join(" / "),
        r.rule.as_str(),
        r.urgency.code(),
        pick(&r.explanation.description, lang)?
    );
    if let Some(m) = &r.meeting {
        out.push_str(&format!("\n   meeting: {m}"));
    }
    for f in &r.explanation.facts {
        out.push_str("\n   - ");
        out.push_str(pick(&f.text, lang)?);
    }
    Ok(out)
}

/// One recommendation (振り分け先の提案): where to route, how urgently, the meeting that fits next,
/// and why (the rule's description and the facts that satisfied it, in ja and en).
#[pyclass(frozen, module = "tsunagu._core")]
pub struct Recommendation(CoreRecommendation);

#[tsunagu_python_guard::guard]
#[pymethods]
impl Recommendation {
    /// 1 = first.
    #[getter]
    fn rank(&self) -> u32 {
        self.0.rank
    }
    /// The rule that produced it (`fallback` when no rule matched).
    #[getter]
    fn rule(&self) -> &str {
        self.0.rule.as_str()
    }
    /// Agency kind code to route to.
    #[getter]
    fn agency_kind(&self) -> Option<&str> {
        self.0.agency_kind.as_ref().map(|k| k.as_str())
    }
    /// Component project code to route to.
    #[getter]
    fn project(&self) -> Option<&str> {
        self.0.project.as_ref().map(|p| p.as_str())
    }
    /// `immediate`, `high` or `normal`.
    #[getter]
    fn urgency(&self) -> &'static str {
        self.0.urgency.code()
    }
    /// Meeting type code that fits next under the consent state, if any.
    #[getter]
    fn meeting(&self) -> Option<&str> {
        self.0.meeting.as_ref().map(|m| m.as_str())
    }
    /// Lower-ranked rules with the same target (merged into this one).
    #[getter]
    fn also_matched(&self) -> Vec<String> {
        self.0.also_matched.iter().map(|r| r.0.clone()).collect()
    }
    /// Whether this is the fallback (no rule matched: the receiving window keeps the case).
    #[getter]
    fn is_fallback(&self) -> bool {
        self.0.rule.as_str() == tsunagu::routing::FALLBACK_RULE_ID
    }
    /// The rule's description `{"ja": …, "en": …}`.
    #[getter]
    fn description<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.0.explanation.description)
    }
    /// The facts that satisfied the rule: `[{"kind", "member"?, "text": {"ja", "en"}}]`.
    #[getter]
    fn facts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.0.explanation.facts)
    }
    /// The recommendation and its reasons as text (`lang` is `ja` or `en`).
    #[pyo3(signature = (lang="ja"))]
    fn explain(&self, lang: &str) -> PyResult<String> {
        explain(&self.0, lang)
    }
    /// As a dict (the core's JSON shape).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.0)
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Recommendation>()
            .is_ok_and(|o| o.get().0 == self.0)
    }
    fn __repr__(&self) -> PyResult<String> {
        Ok(format!(
            "Recommendation(rank={}, rule={:?}, agency_kind={:?}, project={:?}, urgency={:?}, meeting={:?})",
            self.0.rank,
            self.0.rule.as_str(),
            self.agency_kind()?,
            self.project()?,
            self.urgency()?,
            self.meeting()?
        ))
    }
}
