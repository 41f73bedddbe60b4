//! The rule document: rules, conditions and outcomes as data, and the rule set built from the
//! defaults and a municipality's extensions.

use super::{ConsentState, Urgency};
use crate::household::{Employment, Engagement, Relation};
use crate::ids::*;
use crate::patterns::Pattern;
use crate::taxonomy::{Domain, Label};
use serde::{Deserialize, Serialize};

/// Routing rule id (ルールID), e.g. `window.elderly`; stable, used to override a default.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(transparent)]
pub struct RuleId(pub String);

impl RuleId {
    /// Build from anything string-like.
    pub fn new(value: impl Into<String>) -> Self {
        RuleId(value.into())
    }
    /// The raw string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for RuleId {
    fn from(value: &str) -> Self {
        RuleId(value.to_string())
    }
}

/// A rule document (振り分けルール定義): rules to add or override by id, and default rules to remove.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleDocument {
    /// Rules; a rule whose id is already in the set replaces it (keeping its place in ties).
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// Ids of rules already in the set to remove (a municipality without that window).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<RuleId>,
}

/// A routing rule (振り分けルール).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable id.
    pub id: RuleId,
    /// What the rule says, for administrators and in explanations.
    pub description: Label,
    /// Higher ranks first among recommendations of the same urgency; ties keep document order.
    pub priority: i32,
    /// When it applies.
    pub when: Condition,
    /// Where to route.
    pub then: Outcome,
}

/// Condition (条件): a typed predicate tree over the household and the situation.
///
/// Written as an object with one key naming the kind: `{"all": [...]}`, `{"pattern": "8050"}`,
/// `{"member": {"age": {"min": 65}}}`. A member predicate holds when **one** member satisfies
/// every field given; facts that are unknown (an age nobody recorded) never satisfy a predicate,
/// so `not` over them holds — write conditions on what is known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// Every child holds (and at least one child is given).
    All(Vec<Condition>),
    /// At least one child holds.
    Any(Vec<Condition>),
    /// The child does not hold.
    Not(Box<Condition>),
    /// The household or one of its members has a matching issue.
    HasIssue(IssueSelector),
    /// One member satisfies every given field.
    Member(MemberPredicate),
    /// The composite pattern (複合課題) is detected.
    Pattern(Pattern),
    /// One member's engagement with support is one of these (e.g. `not_engaging`, `refuses`).
    Engagement(Vec<Engagement>),
    /// The consent state is one of these.
    Consent(Vec<ConsentState>),
    /// The situation's urgency is one of these.
    Urgency(Vec<Urgency>),
    /// One of the household's area codes (小地域, 日常生活圏域, 区) is one of these.
    Area(Vec<AreaCode>),
    /// A count over the household is within bounds (e.g. issues in at least 3 domains).
    Count(CountPredicate),
}

/// Which issues match: by code, by domain, the taxonomy's life-threatening flag, or any issue.
/// At least one selector must be given; an issue matches when it meets any of them.
///
/// Only **current** issues match (課題の状態 = 現在): an issue recorded as past or resolved never
/// does, so a divorce after DV does not read as DV now. With `suspected = true` an issue recorded
/// as suspected (疑い) matches too — for the rules where the law acts on suspicion (a child
/// "believed to have been abused", 虐待を受けたと思われる児童, must be notified).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueSelector {
    /// Issue codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<IssueCode>,
    /// Whole domains.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<Domain>,
    /// Issues the taxonomy flags `life_threatening` (abuse, DV, suicide risk …).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub life_threatening: bool,
    /// Any issue at all.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub any: bool,
    /// Also match issues recorded as suspected (疑い), not only current ones (default false).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suspected: bool,
}

/// School stage (就学段階) on the routing date, from the birth date with the April 2 – April 1
/// cohort rule; from the approximate age when only that is known.
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
pub enum SchoolStage {
    /// 未就学 (before elementary school).
    Preschool,
    /// 小学生 (grades 1–6, including a special-needs school's elementary division).
    Elementary,
    /// 中学生 (grades 7–9).
    JuniorHigh,
    /// 高校生相当 (the three years after junior high, in school or not).
    HighSchool,
    /// Past school age.
    PostSchool,
}

impl SchoolStage {
    /// Every stage, youngest first.
    pub const ALL: [SchoolStage; 5] = [
        SchoolStage::Preschool,
        SchoolStage::Elementary,
        SchoolStage::JuniorHigh,
        SchoolStage::HighSchool,
        SchoolStage::PostSchool,
    ];
    /// Stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            SchoolStage::Preschool => "preschool",
            SchoolStage::Elementary => "elementary",
            SchoolStage::JuniorHigh => "junior_high",
            SchoolStage::HighSchool => "high_school",
            SchoolStage::PostSchool => "post_school",
        }
    }
    /// Japanese label.
    pub fn ja(self) -> &'static str {
        match self {
            SchoolStage::Preschool => "未就学",
            SchoolStage::Elementary => "小学生",
            SchoolStage::JuniorHigh => "中学生",
            SchoolStage::HighSchool => "高校生相当",
            SchoolStage::PostSchool => "学齢超過",
        }
    }
    /// The stage on `today` of someone born on `birth` (None before birth): the band of
    /// [`crate::calendar::school_stage`] (April-2 cohort rule), so routing and the calendar agree.
    pub fn on(birth: chrono::NaiveDate, today: chrono::NaiveDate) -> Option<SchoolStage> {
        use crate::calendar::SchoolStage as Exact;
        Some(match crate::calendar::school_stage(birth, today).ok()? {
            Exact::PreSchool => SchoolStage::Preschool,
            Exact::Elementary { .. } => SchoolStage::Elementary,
            Exact::JuniorHigh { .. } => SchoolStage::JuniorHigh,
            Exact::HighSchool { .. } => SchoolStage::HighSchool,
            Exact::Adult => SchoolStage::PostSchool,
        })
    }
    /// The stage for an approximate age (grade ≈ age − 5).
    pub fn for_age(age: u32) -> SchoolStage {
        Self::from_grade(age as i32 - 5)
    }
    fn from_grade(grade: i32) -> SchoolStage {
        match grade {
            i32::MIN..=0 => SchoolStage::Preschool,
            1..=6 => SchoolStage::Elementary,
            7..=9 => SchoolStage::JuniorHigh,
            10..=12 => SchoolStage::HighSchool,
            _ => SchoolStage::PostSchool,
        }
    }
}

/// Predicates over one member (世帯員); every field given must hold for the same member.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberPredicate {
    /// Age range (inclusive) on the routing date; an unknown age never matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<AgeRange>,
    /// School stage is one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub school_stage: Vec<SchoolStage>,
    /// Has a long-term-care certification within the range (`{}` = any level).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub care_level: Option<CareLevelRange>,
    /// Holds a disability certificate of one of these kinds (`{}` = any kind).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disability: Option<CertificateSelector>,
    /// Receives public assistance (生活保護), or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_assistance: Option<bool>,
    /// Is a single parent (ひとり親), or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub single_parent: Option<bool>,
    /// Cares for another member (介護・育児・世話), or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carer: Option<bool>,
    /// Is the head of household (世帯主), or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<bool>,
    /// Is in hospital now (入院中), or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hospitalised: Option<bool>,
    /// Relation to the head is one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relation: Vec<Relation>,
    /// Employment is one of these (unrecorded employment never matches).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub employment: Vec<Employment>,
    /// Engagement with support is one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub engagement: Vec<Engagement>,
    /// Has a matching issue of their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_issue: Option<IssueSelector>,
}

/// Inclusive age range; a missing bound is open.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct AgeRange {
    /// Minimum age.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u32>,
    /// Maximum age.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

/// Inclusive range of care levels by the taxonomy's rank; a missing bound is open.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CareLevelRange {
    /// Lowest level (e.g. `care_1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<CareLevelCode>,
    /// Highest level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<CareLevelCode>,
}

/// Disability certificate kinds; empty means any certificate.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificateSelector {
    /// Kinds (`physical`, `intellectual`, `mental`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<CertificateKindCode>,
}

/// What a [`CountPredicate`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CountOf {
    /// Distinct domains among all issues (household and members).
    Domains,
    /// Distinct issue codes.
    Issues,
    /// Members.
    Members,
    /// Members with at least one issue of their own.
    MembersWithIssues,
}

impl CountOf {
    /// Stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            CountOf::Domains => "domains",
            CountOf::Issues => "issues",
            CountOf::Members => "members",
            CountOf::MembersWithIssues => "members_with_issues",
        }
    }
}

/// A count within inclusive bounds (at least one bound given).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CountPredicate {
    /// What to count.
    pub of: CountOf,
    /// Lower bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<u32>,
    /// Upper bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<u32>,
}

/// Where to route (振り分け先) and what comes next.
///
/// `meeting` is the meeting that fits next once the person has consented; when consent is not
/// `given`, `meeting_without_consent` is used instead if set (a 支援会議 under Social Welfare Act
/// art. 106-6 may share information without consent; a 重層的支援会議 may not).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// Agency kind to route to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency_kind: Option<AgencyKindCode>,
    /// Component project (事業) to route to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<ProjectCode>,
    /// Urgency of the recommendation; the situation's urgency when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency: Option<Urgency>,
    /// Meeting type code that fits next (with consent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<super::MeetingCode>,
    /// Meeting type code that fits next while consent is missing, refused or withdrawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_without_consent: Option<super::MeetingCode>,
}

impl Outcome {
    /// The meeting that fits under `consent`.
    pub fn meeting_for(&self, consent: ConsentState) -> Option<&super::MeetingCode> {
        if consent == ConsentState::Given {
            self.meeting.as_ref()
        } else {
            self.meeting_without_consent
                .as_ref()
                .or(self.meeting.as_ref())
        }
    }
}
