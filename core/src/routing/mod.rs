//! Referral routing rules (振り分けルール): rule documents, their validation, compilation into a
//! fast program, and evaluation with explanations.
//!
//! Each municipality designs its own support system ("それぞれの市町村においてどのようにデザイン
//! するか"), so *where a household's situation should go* is data it writes, checks and
//! understands:
//!
//! - A [`RuleDocument`] (JSON or TOML) holds [`Rule`]s: an id, a ja/en description, a priority, a
//!   [`Condition`] (a typed predicate tree over the household and the [`Situation`]) and an
//!   [`Outcome`] (agency kind and/or component project, urgency, the meeting that fits next).
//! - [`RuleSet::builtin`] is the default rule set (`core/data/routing_default.toml`), encoding
//!   DOMAIN.md §1 and §4; a municipality's document extends or overrides it by rule id
//!   ([`RuleSet::extend_json`], [`RuleSet::extend_toml`]).
//! - Loading reports **every** problem ([`RuleProblem`], gathered in
//!   [`RoutingError::InvalidRuleDocument`]) with the rule id, the JSON path and, for TOML, the
//!   line; an invalid document never partially loads.
//! - [`Router::compile`] turns a rule set into a flat predicate program with precomputed bitsets;
//!   [`Router::matches`] is the allocation-free hot path returning ranked matches, and
//!   [`Router::evaluate`] / [`Router::explain`] build the recommendations with the facts that
//!   satisfied each condition, in ja and en, naming members by id, never by name.
//! - No consultation is turned away (断らない相談): when no rule matches, the receiving window's
//!   comprehensive consultation is recommended (rule id [`FALLBACK_RULE_ID`]).
//!
//! This module owns the rules and their evaluation; it does not own the agencies (see `agency`),
//! composite-pattern detection (`patterns::detect_patterns`, called lazily), referrals
//! (`referral`) or meeting records (`meeting`): meeting types are plain codes here.

mod compile;
mod decode;
mod document;
mod explain;
mod load;
mod problem;
mod set;
mod validate;

#[cfg(test)]
mod tests;

pub use compile::{Match, Router, Scratch};
pub use document::{
    AgeRange, CareLevelRange, CertificateSelector, Condition, CountOf, CountPredicate,
    IssueSelector, MemberPredicate, Outcome, Rule, RuleDocument, RuleId, SchoolStage,
};
pub use explain::{Explanation, Fact, Recommendation, Routing};
pub use problem::{RuleProblem, RuleSource};
pub use set::RuleSet;
pub use validate::{MeetingCode, RoutingEnv, BUILTIN_MEETING_CODES, REFERENCE_DIRECTORY};

use crate::coded::Coded;
use crate::ids::AgencyKindCode;
use serde::{Deserialize, Serialize};

/// Rule id of the fallback recommendation given when no rule matches (reserved: no rule may use it).
pub const FALLBACK_RULE_ID: &str = "fallback";

/// Urgency is the case module's: assessment and routing speak the same scale.
pub use crate::case::Urgency;

impl Urgency {
    /// Stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            Urgency::Immediate => "immediate",
            Urgency::High => "high",
            Urgency::Normal => "normal",
        }
    }
    /// Japanese label.
    pub fn ja(self) -> &'static str {
        match self {
            Urgency::Immediate => "緊急（即時対応）",
            Urgency::High => "高",
            Urgency::Normal => "通常",
        }
    }
}

/// State of the person's consent (同意) to sharing their information, as routing sees it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ConsentState {
    /// Not (yet) asked or not recorded (同意なし).
    #[default]
    None,
    /// Given (同意あり).
    Given,
    /// Refused (同意拒否).
    Refused,
    /// Given, then withdrawn (同意撤回): binds every later disclosure.
    Withdrawn,
}

impl ConsentState {
    /// Stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            ConsentState::None => "none",
            ConsentState::Given => "given",
            ConsentState::Refused => "refused",
            ConsentState::Withdrawn => "withdrawn",
        }
    }
    /// Japanese label.
    pub fn ja(self) -> &'static str {
        match self {
            ConsentState::None => "同意なし",
            ConsentState::Given => "同意あり",
            ConsentState::Refused => "同意拒否",
            ConsentState::Withdrawn => "同意撤回",
        }
    }
}

/// What routing needs to know beyond the household (状況): how urgent it is, the consent state,
/// which window received the consultation, and the date.
///
/// `today` is an argument like everywhere in the domain (ages and school stages depend on it);
/// routing never reads the clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Situation {
    /// Urgency as assessed at intake.
    #[serde(default)]
    pub urgency: Urgency,
    /// Consent to information sharing.
    #[serde(default)]
    pub consent: ConsentState,
    /// Agency kind of the window that received the consultation (受付窓口); the fallback
    /// recommendation keeps the case there. `None` means the municipality's comprehensive window
    /// (`comprehensive_window`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub receiving_window: Option<AgencyKindCode>,
    /// The date of routing.
    pub today: chrono::NaiveDate,
}

impl Situation {
    /// A normal-urgency situation without consent, received at the comprehensive window.
    pub fn new(today: chrono::NaiveDate) -> Self {
        Situation {
            urgency: Urgency::Normal,
            consent: ConsentState::None,
            receiving_window: None,
            today,
        }
    }
}

/// Errors of this area.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RoutingError {
    /// A document that does not parse.
    #[error(transparent)]
    Document(#[from] crate::coded::DocumentError),
    /// A rule document (or the set it would produce) has problems; nothing was loaded.
    #[error("invalid rule document: {} problem(s); first: {}", problems.len(), problems.first().map(|p| p.to_string()).unwrap_or_default())]
    InvalidRuleDocument {
        /// Every problem found, in document order.
        problems: Vec<RuleProblem>,
    },
    /// The rule set or taxonomy exceeds what the compiled program can index.
    #[error("rule set too large: {count} {list} (at most {max})")]
    RuleSetTooLarge {
        /// What overflowed (`issue codes`, `certificate kinds`, `rules` …).
        list: &'static str,
        /// How many there are.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A document over a configured limit (`limit_exceeded`), or limits out of range.
    #[error(transparent)]
    Limit(#[from] crate::limits::LimitError),
}

impl RoutingError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &["invalid_rule_document", "rule_set_too_large"];
}

impl Coded for RoutingError {
    fn code(&self) -> &'static str {
        match self {
            RoutingError::Document(e) => e.code(),
            RoutingError::InvalidRuleDocument { .. } => "invalid_rule_document",
            RoutingError::RuleSetTooLarge { .. } => "rule_set_too_large",
            RoutingError::Limit(e) => e.code(),
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            RoutingError::Document(e) => e.path(),
            RoutingError::InvalidRuleDocument { problems } => {
                problems.first().map(|p| p.path.clone())
            }
            RoutingError::RuleSetTooLarge { .. } => None,
            RoutingError::Limit(e) => e.path(),
        }
    }
    fn kind(&self) -> crate::coded::ErrorKind {
        match self {
            RoutingError::Document(e) => e.kind(),
            RoutingError::InvalidRuleDocument { .. } => crate::coded::ErrorKind::RuleDocument,
            RoutingError::RuleSetTooLarge { .. } => crate::coded::ErrorKind::Invalid,
            RoutingError::Limit(e) => e.kind(),
        }
    }
}
