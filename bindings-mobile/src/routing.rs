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

use crate::date::IsoDate;
use crate::error::{Result, TsunaguError};
use crate::household::Household;
use std::sync::Arc;
use tsunagu::routing as r;

/// Urgency (緊急度).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Urgency {
    /// 即時対応
    Immediate,
    /// 高
    High,
    /// 通常
    Normal,
}

/// Consent to information sharing, as routing sees it (同意の状態).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ConsentState {
    /// 同意なし
    None,
    /// 同意あり
    Given,
    /// 同意拒否
    Refused,
    /// 同意撤回
    Withdrawn,
}

/// What routing needs beyond the household (状況).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Situation {
    /// The date of routing.
    pub today: IsoDate,
    /// Urgency at intake.
    pub urgency: Urgency,
    /// Consent state.
    pub consent: ConsentState,
    /// Agency kind of the receiving window (`None`: comprehensive window).
    #[uniffi(default = None)]
    pub receiving_window: Option<String>,
}

/// A bilingual label.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Label {
    /// Japanese.
    pub ja: String,
    /// English.
    pub en: String,
}

/// A fact that satisfied a condition.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Fact {
    /// Kind (`age`, `issue`, `pattern` …).
    pub kind: String,
    /// The member concerned.
    pub member: Option<String>,
    /// In words.
    pub text: Label,
}

/// A recommendation (振り分け先の提案) with its explanation.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Recommendation {
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
    /// Lower-ranked rules merged into this one.
    pub also_matched: Vec<String>,
    /// The rule's description.
    pub description: Label,
    /// The facts behind it.
    pub facts: Vec<Fact>,
}

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

/// Routing of one household.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RoutingResult {
    /// Household id.
    pub household: String,
    /// Ranked, never empty.
    pub recommendations: Vec<Recommendation>,
}

fn urgency(u: r::Urgency) -> Urgency {
    match u {
        r::Urgency::Immediate => Urgency::Immediate,
        r::Urgency::High => Urgency::High,
        r::Urgency::Normal => Urgency::Normal,
    }
}

fn label(l: &tsunagu::taxonomy::Label) -> Label {
    Label {
        ja: l.ja.clone(),
        en: l.en.clone(),
    }
}

impl Situation {
    /// The core situation (`invalid_date` at `$.today`).
    pub fn to_core(&self) -> Result<r::Situation> {
        Ok(r::Situation {
            urgency: match self.urgency {
                Urgency::Immediate => r::Urgency::Immediate,
                Urgency::High => r::Urgency::High,
                Urgency::Normal => r::Urgency::Normal,
            },
            consent: match self.consent {
                ConsentState::None => r::ConsentState::None,
                ConsentState::Given => r::ConsentState::Given,
                ConsentState::Refused => r::ConsentState::Refused,
                ConsentState::Withdrawn => r::ConsentState::Withdrawn,
            },
            receiving_window: self
                .receiving_window
                .as_deref()
                .map(tsunagu::ids::AgencyKindCode::new),
            today: self.today.get("$.today")?,
        })
    }
}

/// Convert a core routing.
pub fn routing_result(x: &r::Routing) -> RoutingResult {
    RoutingResult {
        household: x.household.to_string(),
        recommendations: x
            .recommendations
            .iter()
            .map(|m| Recommendation {
                rank: m.rank,
                rule: m.rule.to_string(),
                agency_kind: m.agency_kind.as_ref().map(|c| c.to_string()),
                project: m.project.as_ref().map(|c| c.to_string()),
                urgency: urgency(m.urgency),
                meeting: m.meeting.as_ref().map(|c| c.to_string()),
                also_matched: m.also_matched.iter().map(|c| c.to_string()).collect(),
                description: label(&m.explanation.description),
                facts: m
                    .explanation
                    .facts
                    .iter()
                    .map(|f| Fact {
                        kind: f.kind.clone(),
                        member: f.member.as_ref().map(|p| p.to_string()),
                        text: label(&f.text),
                    })
                    .collect(),
            })
            .collect(),
    }
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
    fn brief(
        &self,
        h: &tsunagu::household::Household,
        s: &r::Situation,
        scratch: &mut r::Scratch,
    ) -> RoutingBrief {
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
                    urgency: urgency(m.urgency),
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
        Router::build(r::RuleSet::builtin())
    }

    /// No rules at all (every household gets the fallback) — a base for a municipality that
    /// writes its whole rule set.
    #[uniffi::constructor]
    pub fn empty() -> Result<Arc<Router>> {
        Router::build(r::RuleSet::empty())
    }

    /// A new router: these rules extended (or overridden by id) by a JSON rule document.
    /// `invalid_rule_document` lists every problem; this router is unchanged.
    pub fn extended(&self, document_json: String) -> Result<Arc<Router>> {
        let set = self
            .set
            .extend_json(&document_json, &r::RoutingEnv::builtin())?;
        Router::build(set)
    }

    /// Number of rules.
    pub fn rule_count(&self) -> u32 {
        self.set.rules().len() as u32
    }

    /// Route one household with explanations.
    pub fn route(&self, household: Household, situation: Situation) -> Result<RoutingResult> {
        let h = household.to_core()?;
        let s = situation.to_core()?;
        Ok(routing_result(&self.router.evaluate(&h, &s)))
    }

    /// Route a list of households in one call (the batch API: one boundary crossing). An invalid
    /// household fails the call with the path prefixed by its index (`$[3].members[0].birth_date`).
    pub fn route_batch(
        &self,
        households: Vec<Household>,
        situation: Situation,
    ) -> Result<Vec<RoutingResult>> {
        let s = situation.to_core()?;
        households
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = h.to_core().map_err(|e| e.under(&format!("$[{i}]")))?;
                Ok(routing_result(&self.router.evaluate(&h, &s)))
            })
            .collect()
    }

    /// The lean batch: route a list of households in one call and return only rule, agency kind,
    /// project, urgency and meeting per recommendation (no explanations are built or crossed).
    /// An invalid household fails the call with the path prefixed by its index.
    pub fn route_batch_brief(
        &self,
        households: Vec<Household>,
        situation: Situation,
    ) -> Result<Vec<RoutingBrief>> {
        let s = situation.to_core()?;
        let mut scratch = r::Scratch::new();
        households
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = h.to_core().map_err(|e| e.under(&format!("$[{i}]")))?;
                Ok(self.brief(&h, &s, &mut scratch))
            })
            .collect()
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
        let s = situation.to_core()?;
        let hs = households_document(&households_json)?;
        let mut scratch = r::Scratch::new();
        Ok(hs.iter().map(|h| self.brief(h, &s, &mut scratch)).collect())
    }

    /// Route one household given as documents, returning the core's routing document (JSON, with
    /// explanations): `household_json` in the household document format, `situation_json` as
    /// `{"today": "2024-06-01", "urgency": "normal", "consent": "none", "receiving_window": …}`
    /// (urgency and consent default to `normal` / `none`).
    pub fn route_json(&self, household_json: String, situation_json: String) -> Result<String> {
        let h: tsunagu::household::Household = tsunagu::error::from_json(&household_json)?;
        let s: r::Situation = tsunagu::error::from_json(&situation_json)?;
        let routing = self.router.evaluate(&h, &s);
        Ok(serde_json::to_string(&routing).expect("a routing serialises"))
    }
}

/// Parse a JSON array of household documents. The fast path parses it in one go; when that fails,
/// the array is read again element by element so that the error names the household (`$[3]`,
/// then serde's message with the field) rather than only a line and column.
pub(crate) fn households_document(text: &str) -> Result<Vec<tsunagu::household::Household>> {
    let whole = serde_json::from_str::<Vec<tsunagu::household::Household>>(text);
    whole.or_else(|e| {
        let items: Vec<serde_json::Value> = tsunagu::error::from_json(text)?;
        for (i, item) in items.into_iter().enumerate() {
            if let Err(x) = serde_json::from_value::<tsunagu::household::Household>(item) {
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
        let s: r::Situation = serde_json::from_str(v).unwrap();
        Situation {
            today: IsoDate(s.today.to_string()),
            urgency: urgency(s.urgency),
            consent: match s.consent {
                r::ConsentState::None => ConsentState::None,
                r::ConsentState::Given => ConsentState::Given,
                r::ConsentState::Refused => ConsentState::Refused,
                r::ConsentState::Withdrawn => ConsentState::Withdrawn,
            },
            receiving_window: s.receiving_window.map(|c| c.to_string()),
        }
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
            assert_eq!(brief.household, full.household);
            let projected: Vec<RecommendationBrief> = full
                .recommendations
                .iter()
                .map(|m| RecommendationBrief {
                    rank: m.rank,
                    rule: m.rule.clone(),
                    agency_kind: m.agency_kind.clone(),
                    project: m.project.clone(),
                    urgency: m.urgency,
                    meeting: m.meeting.clone(),
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
                    m.description.en.as_str()
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
