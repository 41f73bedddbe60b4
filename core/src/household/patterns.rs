//! Composite-pattern detection (複合課題の把握): pure functions over a household that return
//! each pattern found *and its evidence* (skeleton: filled in by the household owner).

use super::Household;
use crate::agency::Directory;
use crate::ids::{IssueCode, PersonId};
use crate::taxonomy::{Domain, Label, Taxonomies};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A composite pattern (複合課題).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Pattern {
    /// 8050問題: an elderly parent supporting a middle-aged child who is withdrawn or without income.
    #[serde(rename = "8050")]
    EightyFifty,
    /// ダブルケア: one person caring for a child and an elderly relative at once.
    DoubleCare,
    /// ヤングケアラー: a minor who cares for a family member.
    YoungCarer,
    /// 多問題世帯: issues in three or more domains.
    MultiProblem,
    /// 孤立世帯: the household is cut off from people and support.
    Isolated,
    /// 制度の狭間: a need that no window in the directory covers.
    ServiceGap,
}

/// An issue as it appears in the household: whose it is and its code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IssueRef {
    /// The member, or `None` for a household-level issue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<PersonId>,
    /// Issue code.
    pub code: IssueCode,
}

/// Evidence for a finding: the members and issues involved, and the facts in words.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Evidence {
    /// Members involved.
    pub members: Vec<PersonId>,
    /// Issues involved.
    pub issues: Vec<IssueRef>,
    /// Domains involved (for multi-problem households).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<Domain>,
    /// The facts in ja/en ("member p1 is 82", "p2 has issue hikikomori"), ids not names.
    pub facts: Vec<Label>,
}

/// A detected pattern with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PatternFinding {
    /// The pattern.
    pub pattern: Pattern,
    /// Why.
    pub evidence: Evidence,
}

/// Thresholds of the detectors, as data a municipality may tune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PatternSettings {}

impl Default for PatternSettings {
    fn default() -> Self {
        PatternSettings {}
    }
}

/// Detect every composite pattern in `household` on `today`.
pub fn detect_patterns(
    household: &Household,
    tax: &Taxonomies,
    directory: &Directory,
    settings: &PatternSettings,
    today: NaiveDate,
) -> Vec<PatternFinding> {
    let _ = (household, tax, directory, settings, today);
    Vec::new()
}
