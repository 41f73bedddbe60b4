//! Routing (振り分け) with explanations: a compiled rule set as an object, one household or a
//! whole batch per call.

use crate::date::IsoDate;
use crate::error::Result;
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
}
