//! Retention (保存年限): how long a household's case records are kept, per record kind, as data
//! (`core/data/retention.toml`, a municipality's 文書管理規程 replaces it), the query for what is
//! past retention on a date, and the erasure records (消去記録) of households whose data key was
//! destroyed (the command is `registry::erasure`; the key and the sealed journal are
//! `journal::seal`).
//!
//! Pure: the date is an argument, the cases come from the registry.
//!
//! # Decisions
//!
//! - **Counted per household, from the closure of its last case.** The data key is per household
//!   (see `registry::erasure`), so erasure is per household: it is past retention only when
//!   every case of it is closed and each case's period has ended. An open case (or a reopened
//!   one) keeps the whole household. A household with no case is never reported (nothing dates
//!   it); the municipality erases it by a case-less rule later, if it needs one.
//! - **From the next 1 April** (翌年度の4月1日起算), as public records are counted: a case closed
//!   in fiscal year FY is past a period of N years on 1 April of FY + 1 + N.
//! - **A rule per record kind**, chosen per case: the first rule listing the case's closure
//!   reason, else the rule listing none. The household's due date is the latest of its cases';
//!   the rule of that case is named in the report and in the erasure.

use crate::case::{fiscal_year_of, Case, CaseState};
use crate::coded::{Coded, DocumentError, ErrorKind};
use crate::ids::HouseholdId;
use crate::worker::Actor;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

const BUILTIN_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/data/retention.json"));

/// A retention rule (保存年限の規定).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RetentionRule {
    /// Stable id, named by an erasure (`case_record`).
    pub id: String,
    /// The record kind it governs (記録の種別), e.g. `case_record`.
    pub record_kind: String,
    /// Japanese label.
    pub ja: String,
    /// Years kept after the fiscal year the case closed in (1–100).
    pub years: u32,
    /// Closure reasons (終結理由 codes) this rule is for; empty: every other reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closure_reasons: Vec<String>,
    /// Where the period comes from (根拠), for the erasure record and the audit.
    pub basis: String,
}

/// The retention policy (保存年限表): its rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RetentionPolicy {
    /// The rules, in the order they are tried.
    pub rule: Vec<RetentionRule>,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        RetentionPolicy::builtin()
    }
}

/// A household past retention on a date (保存年限の経過した世帯).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PastRetention {
    /// The household.
    pub household: HouseholdId,
    /// The rule whose period ends last among its cases.
    pub rule: String,
    /// The latest closure among its cases.
    pub last_closed_on: NaiveDate,
    /// The first day the household is past retention (1 April).
    pub due_on: NaiveDate,
}

impl RetentionPolicy {
    /// The built-in policy (`core/data/retention.toml`).
    pub fn builtin() -> Self {
        let policy: RetentionPolicy =
            serde_json::from_str(BUILTIN_JSON).expect("built-in retention policy is valid");
        debug_assert!(policy.validate().is_ok());
        policy
    }

    /// A municipality's policy from TOML, every problem at once.
    ///
    /// Errors: a document error (TOML or shape), `invalid_retention_policy` listing the
    /// problems (paths `$.rule[i].…`).
    pub fn from_toml(text: &str) -> Result<Self, RetentionError> {
        let policy: RetentionPolicy = crate::coded::from_toml(text)?;
        policy.validate()?;
        Ok(policy)
    }

    /// Check the rules: ids unique and non-empty, 1–100 years, exactly one rule without
    /// closure reasons (the default), no closure reason in two rules.
    pub fn validate(&self) -> Result<(), RetentionError> {
        let mut problems = Vec::new();
        let mut ids = BTreeSet::new();
        let mut reasons = BTreeSet::new();
        let mut defaults = 0;
        for (i, r) in self.rule.iter().enumerate() {
            if r.id.trim().is_empty() || !ids.insert(r.id.as_str()) {
                problems.push(format!("$.rule[{i}].id"));
            }
            if !(1..=100).contains(&r.years) {
                problems.push(format!("$.rule[{i}].years"));
            }
            if r.closure_reasons.is_empty() {
                defaults += 1;
            }
            for (j, c) in r.closure_reasons.iter().enumerate() {
                if !reasons.insert(c.as_str()) {
                    problems.push(format!("$.rule[{i}].closure_reasons[{j}]"));
                }
            }
        }
        if defaults != 1 {
            problems.push("$.rule".to_string());
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(RetentionError::InvalidPolicy { problems })
        }
    }

    /// The rule by id.
    pub fn rule(&self, id: &str) -> Option<&RetentionRule> {
        self.rule.iter().find(|r| r.id == id)
    }

    /// The rule governing a case closed for `reason`.
    pub fn rule_for(&self, reason: &str) -> Option<&RetentionRule> {
        self.rule
            .iter()
            .find(|r| r.closure_reasons.iter().any(|c| c == reason))
            .or_else(|| self.rule.iter().find(|r| r.closure_reasons.is_empty()))
    }

    /// When a household with these cases is past retention: `None` while a case is open (or
    /// there is no case). The rule named is the one whose period ends last.
    pub fn household_due<'a>(
        &self,
        household: &HouseholdId,
        cases: impl IntoIterator<Item = &'a Case>,
    ) -> Option<PastRetention> {
        let mut best: Option<PastRetention> = None;
        let mut any = false;
        for case in cases {
            any = true;
            let CaseState::Closed { reason, on } = case.state() else {
                return None;
            };
            let rule = self.rule_for(reason.as_str())?;
            let due = due_on(*on, rule.years)?;
            let better = match &best {
                None => true,
                Some(b) => due > b.due_on || (due == b.due_on && *on > b.last_closed_on),
            };
            let last = best.as_ref().map_or(*on, |b| b.last_closed_on.max(*on));
            if better {
                best = Some(PastRetention {
                    household: household.clone(),
                    rule: rule.id.clone(),
                    last_closed_on: last,
                    due_on: due,
                });
            } else if let Some(b) = best.as_mut() {
                b.last_closed_on = last;
            }
        }
        if any {
            best
        } else {
            None
        }
    }
}

/// 1 April of the fiscal year `years` after the one following the closure's fiscal year.
pub fn due_on(closed_on: NaiveDate, years: u32) -> Option<NaiveDate> {
    let fy = fiscal_year_of(closed_on);
    NaiveDate::from_ymd_opt(fy.checked_add(1)?.checked_add(years as i32)?, 4, 1)
}

/// An erasure record (消去記録): who erased a household's personal data, when, why, under which
/// retention rule. Kept in clear in the journal (the `erase_household` event) and in the
/// registry after replay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ErasureRecord {
    /// The household erased.
    pub household: HouseholdId,
    /// The date of the erasure.
    pub on: NaiveDate,
    /// The retention rule.
    pub rule: String,
    /// Why (a short reason without personal data, e.g. `保存年限経過（定期消去）`).
    pub reason: String,
    /// Who erased it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Actor>,
}

/// The registry's record of erasures: the policy in force, the erasure records, and the
/// households whose sealed events replayed as tombstones (their state is gone).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Erasures {
    /// The retention policy in force.
    pub policy: RetentionPolicy,
    /// Erasure records by household.
    pub records: BTreeMap<HouseholdId, ErasureRecord>,
    /// Households met as tombstones on replay.
    #[serde(skip)]
    pub tombstoned: BTreeSet<HouseholdId>,
}

/// Errors of retention and erasure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RetentionError {
    /// A document error (`malformed_document` …): the policy is not TOML of the right shape.
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// `invalid_retention_policy`: the policy's rules do not hold together.
    #[error("retention policy has {} problem(s), first at {}", problems.len(), problems.first().map_or("$", |p| p.as_str()))]
    InvalidPolicy {
        /// JSON paths of every problem.
        problems: Vec<String>,
    },
    /// `unknown_retention_rule`: an erasure names a rule the policy does not have.
    #[error("no retention rule `{rule}` at $.rule")]
    UnknownRule {
        /// The rule id.
        rule: String,
    },
    /// `retention_not_reached`: the household is not past retention on that date (a case is
    /// open, or a period has not ended).
    #[error("household is not past retention on {on}")]
    NotReached {
        /// The date of the erasure.
        on: NaiveDate,
        /// When it will be past retention, if every case is closed.
        due_on: Option<NaiveDate>,
    },
    /// `household_erased`: the household was already erased.
    #[error("household was erased on {on}")]
    AlreadyErased {
        /// The date of that erasure.
        on: NaiveDate,
    },
}

impl RetentionError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[
        "household_erased",
        "invalid_retention_policy",
        "retention_not_reached",
        "unknown_retention_rule",
    ];
}

impl Coded for RetentionError {
    fn code(&self) -> &'static str {
        match self {
            RetentionError::Document(e) => e.code(),
            RetentionError::InvalidPolicy { .. } => "invalid_retention_policy",
            RetentionError::UnknownRule { .. } => "unknown_retention_rule",
            RetentionError::NotReached { .. } => "retention_not_reached",
            RetentionError::AlreadyErased { .. } => "household_erased",
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            RetentionError::Document(e) => e.path(),
            RetentionError::InvalidPolicy { problems } => problems.first().cloned(),
            RetentionError::UnknownRule { .. } => Some("$.rule".to_string()),
            RetentionError::NotReached { .. } | RetentionError::AlreadyErased { .. } => {
                Some("$.household".to_string())
            }
        }
    }
    fn kind(&self) -> ErrorKind {
        match self {
            RetentionError::Document(e) => e.kind(),
            RetentionError::InvalidPolicy { .. } => ErrorKind::RuleDocument,
            RetentionError::UnknownRule { .. } => ErrorKind::NotFound,
            RetentionError::NotReached { .. } => ErrorKind::Rule,
            RetentionError::AlreadyErased { .. } => ErrorKind::Transition,
        }
    }
}

#[cfg(test)]
mod tests;
