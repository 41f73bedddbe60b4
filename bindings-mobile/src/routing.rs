//! Routing (振り分け): a compiled rule set as an object, one household or a whole batch per call.
//!
//! Three shapes of result, by what crosses the boundary:
//! - [`Router::route`] / [`Router::route_batch`]: ranked recommendations with their explanations
//!   (bilingual description and facts; ~20 strings a household) — the detail screen.
//! - [`Router::route_batch_brief`] / [`Router::route_batch_json`]: the lean batch, only rule,
//!   agency kind, project, urgency and meeting per recommendation ([`RoutingBrief`]) — a list of
//!   thousands of households. The explanation of one household is then fetched on demand with
//!   [`Router::route`]. `route_batch_json` also takes the households as one JSON array (the
//!   document format the app may already hold), so nothing is lowered field by field.
//! - [`Router::route_json`]: the core's routing document as JSON (what the conformance vectors
//!   compare), for apps that pass documents through.

use crate::error::{Result, TsunaguError};
use std::sync::Arc;
use tsunagu::household::Household;
use tsunagu::routing as r;
use tsunagu::routing::{Routing, Situation, Urgency};

/// A recommendation without its explanation (振り分け先の要約): what a list of households shows.
/// Same values as the [`Recommendation`] of the same rank from [`Router::route`].
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RecommendationBrief {
    /// 1 = first.
    pub rank: u32,
    /// Rule id (`fallback` when nothing matched).
    pub rule: String,
    /// Agency kind.
    pub agency_kind: Option<String>,
    /// Component project.
    pub project: Option<String>,
    /// Urgency.
    pub urgency: Urgency,
    /// Meeting that fits next.
    pub meeting: Option<String>,
}

/// Routing of one household in brief (振り分けの要約): ranked, never empty. The explanations are
/// on demand: [`Router::route`] for the household the worker opens.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RoutingBrief {
    /// Household id.
    pub household: String,
    /// Ranked, never empty.
    pub recommendations: Vec<RecommendationBrief>,
}

/// A compiled rule set (振り分けルール): the built-in rules, optionally extended by a
/// municipality's rule document. Immutable, so it is shared across threads freely.
#[derive(uniffi::Object)]
pub struct Router {
    set: r::RuleSet,
    router: r::Router,
}

impl Router {
    fn build(set: r::RuleSet) -> Result<Arc<Router>> {
        let router = r::Router::compile(&set, r::RoutingEnv::builtin())?;
        Ok(Arc::new(Router { set, router }))
    }
    /// The compiled core router.
    pub fn core(&self) -> &r::Router {
        &self.router
    }

    /// The outcome of one match as borrowed codes: (rule, agency kind, project, meeting). The
    /// fallback's outcome is the core's: the receiving window (else `comprehensive_window`) for
    /// comprehensive consultation.
    pub(crate) fn outcome<'a>(
        &'a self,
        m: &r::Match,
        s: &'a r::Situation,
    ) -> (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>) {
        let rule = self.router.rule_id(m);
        match self.router.rule_of(m) {
            Some(x) => (
                rule,
                x.then.agency_kind.as_ref().map(|c| c.as_str()),
                x.then.project.as_ref().map(|c| c.as_str()),
                x.then.meeting_for(s.consent).map(|c| c.as_str()),
            ),
            None => (
                rule,
                Some(
                    s.receiving_window
                        .as_ref()
                        .map_or("comprehensive_window", |c| c.as_str()),
                ),
                Some("comprehensive_consultation"),
                None,
            ),
        }
    }

    /// The brief routing of one core household: the hot path ([`r::Router::matches`], no
    /// explanation built), with the outcome of each matched rule.
    fn brief(&self, h: &Household, s: &r::Situation, scratch: &mut r::Scratch) -> RoutingBrief {
        let recommendations = self
            .router
            .matches(h, s, scratch)
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let (rule, agency_kind, project, meeting) = self.outcome(m, s);
                RecommendationBrief {
                    rank: i as u32 + 1,
                    rule: rule.to_string(),
                    agency_kind: agency_kind.map(str::to_string),
                    project: project.map(str::to_string),
                    urgency: m.urgency,
                    meeting: meeting.map(str::to_string),
                }
            })
            .collect();
        RoutingBrief {
            household: h.id.to_string(),
            recommendations,
        }
    }
}

#[uniffi::export]
impl Router {
    /// The built-in rules.
    #[uniffi::constructor]
    pub fn builtin() -> Result<Arc<Router>> {
        crate::guard::guarded(|| Router::build(r::RuleSet::builtin()))
    }

    /// No rules at all (every household gets the fallback) — a base for a municipality that
    /// writes its whole rule set.
    #[uniffi::constructor]
    pub fn empty() -> Result<Arc<Router>> {
        crate::guard::guarded(|| Router::build(r::RuleSet::empty()))
    }

    /// A new router: these rules extended (or overridden by id) by a JSON rule document.
    /// `invalid_rule_document` lists every problem; this router is unchanged.
    pub fn extended(&self, document_json: String) -> Result<Arc<Router>> {
        crate::guard::guarded(|| {
            crate::guard::check_depth(&document_json)?;
            let set = self
                .set
                .extend_json(&document_json, &r::RoutingEnv::builtin())?;
            Router::build(set)
        })
    }

    /// Number of rules.
    pub fn rule_count(&self) -> Result<u32> {
        crate::guard::guarded(|| Ok(self.set.rules().len() as u32))
    }

    /// Route one household with explanations (the core's `Routing`: each recommendation with
    /// its `explanation`, description and facts in Japanese and English).
    ///
    /// Every call that takes a record holding a date returns `Result`: a Swift `CalendarDate`
    /// that is no calendar date fails uniffi's lift, and only a throwing call reports that as a
    /// thrown error rather than a crash.
    pub fn route(&self, household: Household, situation: Situation) -> Result<Routing> {
        crate::guard::guarded(|| Ok(self.router.evaluate(&household, &situation)))
    }

    /// Route a list of households in one call (the batch API: one boundary crossing).
    pub fn route_batch(
        &self,
        households: Vec<Household>,
        situation: Situation,
    ) -> Result<Vec<Routing>> {
        crate::guard::guarded(|| {
            Ok(households
                .iter()
                .map(|h| self.router.evaluate(h, &situation))
                .collect())
        })
    }

    /// The lean batch: route a list of households in one call and return only rule, agency kind,
    /// project, urgency and meeting per recommendation (no explanations are built or crossed).
    pub fn route_batch_brief(
        &self,
        households: Vec<Household>,
        situation: Situation,
    ) -> Result<Vec<RoutingBrief>> {
        crate::guard::guarded(|| {
            let mut scratch = r::Scratch::new();
            Ok(households
                .iter()
                .map(|h| self.brief(h, &situation, &mut scratch))
                .collect())
        })
    }

    /// The lean batch from documents: `households_json` is one JSON array of households in the
    /// document format (as `household_from_json` reads), so the households cross as one string
    /// instead of field by field. Same results as [`Router::route_batch_brief`];
    /// `malformed_document` with the path (`$[3].members[0].relation`) when it does not parse.
    pub fn route_batch_json(
        &self,
        households_json: String,
        situation: Situation,
    ) -> Result<Vec<RoutingBrief>> {
        crate::guard::guarded(|| {
            let hs = households_document(&households_json)?;
            let mut scratch = r::Scratch::new();
            Ok(hs
                .iter()
                .map(|h| self.brief(h, &situation, &mut scratch))
                .collect())
        })
    }

    /// Route one household given as documents, returning the core's routing document (JSON, with
    /// explanations): `household_json` in the household document format, `situation_json` as
    /// `{"today": "2024-06-01", "urgency": "normal", "consent": "none", "receiving_window": …}`
    /// (urgency and consent default to `normal` / `none`).
    pub fn route_json(&self, household_json: String, situation_json: String) -> Result<String> {
        crate::guard::guarded(|| {
            let h: Household = crate::guard::from_json(&household_json)?;
            let s: r::Situation = crate::guard::from_json(&situation_json)?;
            let routing = self.router.evaluate(&h, &s);
            Ok(serde_json::to_string(&routing).expect("a routing serialises"))
        })
    }
}

/// Parse a JSON array of household documents. The fast path parses it in one go; when that fails,
/// the array is read again element by element so that the error names the household (`$[3]`,
/// then serde's message with the field) rather than only a line and column.
pub(crate) fn households_document(text: &str) -> Result<Vec<Household>> {
    crate::guard::check_depth(text)?;
    let whole = serde_json::from_str::<Vec<Household>>(text);
    whole.or_else(|e| {
        let items: Vec<serde_json::Value> = crate::guard::from_json(text)?;
        for (i, item) in items.into_iter().enumerate() {
            if let Err(x) = serde_json::from_value::<Household>(item) {
                return Err(TsunaguError::malformed(
                    format!("household {i}: {x}"),
                    &format!("$[{i}]"),
                ));
            }
        }
        Err(tsunagu::Error::Document(tsunagu::error::DocumentError::json(&e)).into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// Every `route` step of the routing vectors: (household JSON, situation JSON).
    fn vector_cases() -> Vec<(String, String)> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/routing");
        let mut cases = Vec::new();
        for entry in std::fs::read_dir(dir).expect("vectors") {
            let doc: Value = serde_json::from_str(
                &std::fs::read_to_string(entry.expect("entry").path()).unwrap(),
            )
            .unwrap();
            for step in doc["when"].as_array().unwrap() {
                if step["op"] == "route" {
                    cases.push((
                        step["args"]["household"].to_string(),
                        step["args"]["situation"].to_string(),
                    ));
                }
            }
        }
        assert!(cases.len() >= 5, "route steps found: {}", cases.len());
        cases
    }

    fn situation(v: &str) -> Situation {
        serde_json::from_str(v).unwrap()
    }

    #[test]
    fn brief_is_the_full_routing_without_explanations() {
        let router = Router::builtin().unwrap();
        let mut fallbacks = 0;
        for (h, s) in vector_cases() {
            let household = crate::household::household_from_json(h.clone()).unwrap();
            let full = router.route(household.clone(), situation(&s)).unwrap();
            let brief = router
                .route_batch_brief(vec![household], situation(&s))
                .unwrap()
                .remove(0);
            let from_json = router
                .route_batch_json(format!("[{h}]"), situation(&s))
                .unwrap()
                .remove(0);
            assert_eq!(brief, from_json);
            assert_eq!(brief.household, full.household.as_str());
            let projected: Vec<RecommendationBrief> = full
                .recommendations
                .iter()
                .map(|m| RecommendationBrief {
                    rank: m.rank,
                    rule: m.rule.to_string(),
                    agency_kind: m.agency_kind.as_ref().map(|c| c.to_string()),
                    project: m.project.as_ref().map(|c| c.to_string()),
                    urgency: m.urgency,
                    meeting: m.meeting.as_ref().map(|c| c.to_string()),
                })
                .collect();
            assert_eq!(brief.recommendations, projected);
            fallbacks += usize::from(brief.recommendations[0].rule == "fallback");
        }
        assert!(fallbacks >= 1, "the fallback path is covered");
    }

    /// The compact batch decodes to the brief batch: each vector household alone, and all of
    /// them in one batch under each vector's situation (so households with several
    /// recommendations, the fallback and both consent paths are covered).
    #[test]
    fn compact_batch_equals_the_brief_batch() {
        let router = Router::builtin().unwrap();
        let cases = vector_cases();
        let all = format!(
            "[{}]",
            cases
                .iter()
                .map(|(h, _)| h.as_str())
                .collect::<Vec<_>>()
                .join(",")
        );
        let mut several = 0;
        for (h, s) in &cases {
            let one = router
                .route_batch_compact(format!("[{h}]"), situation(s))
                .unwrap();
            let brief = router
                .route_batch_json(format!("[{h}]"), situation(s))
                .unwrap();
            assert_eq!(one.len(), 1);
            assert_eq!(one.to_briefs(), brief);
            assert_eq!(one.get(1), None);
            let batch = router
                .route_batch_compact(all.clone(), situation(s))
                .unwrap();
            let briefs = router.route_batch_json(all.clone(), situation(s)).unwrap();
            assert_eq!(batch.len(), cases.len());
            assert_eq!(batch.to_briefs(), briefs);
            // Each distinct code once.
            let mut codes = batch.codes.clone();
            codes.sort();
            codes.dedup();
            assert_eq!(codes.len(), batch.codes.len());
            several += briefs
                .iter()
                .filter(|b| b.recommendations.len() > 1)
                .count();
        }
        assert!(
            several > 0,
            "households with several recommendations covered"
        );
        let empty = router
            .route_batch_compact("[]".into(), situation(r#"{"today":"2024-06-01"}"#))
            .unwrap();
        assert!(empty.is_empty() && empty.to_briefs().is_empty());
        let bad = router
            .route_batch_compact(
                r#"[{"id":"b","members":[{"id":"b1","relation":"cousin"}]}]"#.into(),
                situation(r#"{"today":"2024-06-01"}"#),
            )
            .unwrap_err();
        assert_eq!(bad.code(), "malformed_document");
        assert!(bad.path().unwrap_or("").starts_with("$[0]"));
    }

    #[test]
    fn route_json_is_the_core_document() {
        let router = Router::builtin().unwrap();
        for (h, s) in vector_cases() {
            let got: Value =
                serde_json::from_str(&router.route_json(h.clone(), s.clone()).unwrap()).unwrap();
            let household = crate::household::household_from_json(h).unwrap();
            let full = router.route(household, situation(&s)).unwrap();
            let recs = got["recommendations"].as_array().unwrap();
            assert_eq!(recs.len(), full.recommendations.len());
            for (j, m) in recs.iter().zip(&full.recommendations) {
                assert_eq!(j["rule"], m.rule.as_str());
                assert_eq!(
                    j["explanation"]["description"]["en"],
                    m.explanation.description.en.as_str()
                );
            }
        }
    }

    #[test]
    fn a_malformed_batch_document_names_the_household() {
        let router = Router::builtin().unwrap();
        let s = situation(r#"{"today":"2024-06-01"}"#);
        let err = router
            .route_batch_json(
                r#"[{"id":"a","members":[{"id":"a1","relation":"head"}]},{"id":"b","members":[{"id":"b1","relation":"cousin"}]}]"#.into(),
                s,
            )
            .unwrap_err();
        assert_eq!(err.code(), "malformed_document");
        assert!(
            err.path().unwrap_or("").starts_with("$[1]"),
            "{:?}",
            err.path()
        );
    }
}
