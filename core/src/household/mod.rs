//! Households and persons (世帯・世帯員): the unit of support and its validation. Composite
//! patterns (複合課題) are detected above this module and the agency directory, in
//! [`crate::patterns`].
//!
//! A household document lists its members with the attributes that decide which system covers
//! them (care level, disability certificates, public assistance, school stage …), the issues of
//! each member and of the household as a whole, and its ties to agencies and informal supports
//! (the eco-map, エコマップ). Birth dates are often unknown: `approx_age` stands in for them.
//! Each issue is recorded with its status (現在・過去・疑い・解決), onset and source ([`Issue`]):
//! a past DV is history, not a reason to notify anyone today.
//!
//! This module owns the shape and its consistency rules; it does not own routing (see `routing`).

mod issue;
#[cfg(test)]
pub(crate) mod strategies;
mod validate;

pub use issue::{Issue, IssueSource, IssueStatus};

pub use validate::{check_limits, validate_all_within, validate_within};
pub use validate::{
    validate, validate_all, HouseholdError, APPROX_AGE_TOLERANCE, MAX_PLAUSIBLE_AGE,
};

use crate::ids::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Household (世帯).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Household {
    /// Household id.
    pub id: HouseholdId,
    /// Where the household lives, at each area level the municipality uses.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub area: Area,
    /// Members (世帯員), the head (世帯主) among them.
    pub members: Vec<Person>,
    /// Issues of the household as a whole (e.g. housing, hoarding), each with its status.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub issues: Vec<Issue>,
    /// Ties to agencies and informal supports (エコマップ).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub ties: Vec<Tie>,
}

/// Area codes (地区): 小地域 / 小学校区, 日常生活圏域 / 中学校区, 区 / 総合支所.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Area {
    /// 小地域 / 小学校区.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub small_area: Option<AreaCode>,
    /// 日常生活圏域 / 中学校区.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub daily_life_area: Option<AreaCode>,
    /// 区 / 総合支所.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub ward: Option<AreaCode>,
}

impl Area {
    /// Every area code set, finest first.
    pub fn codes(&self) -> impl Iterator<Item = &AreaCode> {
        [&self.small_area, &self.daily_life_area, &self.ward]
            .into_iter()
            .flatten()
    }
}

/// Relation to the head of household (続柄).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Relation {
    /// 世帯主
    Head,
    /// 配偶者
    Spouse,
    /// 子
    Child,
    /// 子の配偶者
    ChildInLaw,
    /// 親
    Parent,
    /// 祖父母
    Grandparent,
    /// 孫
    Grandchild,
    /// 兄弟姉妹
    Sibling,
    /// その他
    Other,
}

/// Person (世帯員).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Person {
    /// Person id.
    pub id: PersonId,
    /// Name (氏名) — personal information; disclosure rules apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub name: Option<String>,
    /// Relation to the head of household.
    pub relation: Relation,
    /// Birth date, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub birth_date: Option<NaiveDate>,
    /// Approximate age when the birth date is unknown (e.g. "in her 40s" → 45).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub approx_age: Option<u32>,
    /// Long-term-care certification (要支援・要介護).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub care_level: Option<CareLevelCode>,
    /// Disability certificates (障害者手帳).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub disabilities: Vec<DisabilityCertificate>,
    /// Receives public assistance (生活保護).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub public_assistance: bool,
    /// Single parent (ひとり親).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub single_parent: bool,
    /// Employment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub employment: Option<Employment>,
    /// Foreign nationality (外国籍).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub foreign_national: bool,
    /// Whom this person cares for (介護・育児・世話), by member id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub cares_for: Vec<PersonId>,
    /// Issues of this person, each with its status (current / past / suspected / resolved).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub issues: Vec<Issue>,
    /// Engagement with support (関わりの状況).
    #[serde(default)]
    pub engagement: Engagement,
    /// In hospital now (入院中).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub hospitalised: bool,
}

impl Person {
    /// A person with only the required fields; the rest default.
    pub fn new(id: impl Into<PersonId>, relation: Relation) -> Self {
        Person {
            id: id.into(),
            name: None,
            relation,
            birth_date: None,
            approx_age: None,
            care_level: None,
            disabilities: Vec::new(),
            public_assistance: false,
            single_parent: false,
            employment: None,
            foreign_national: false,
            cares_for: Vec::new(),
            issues: Vec::new(),
            engagement: Engagement::default(),
            hospitalised: false,
        }
    }

    /// Codes of this person's current issues (what routing, patterns and the report look at).
    pub fn current_issues(&self) -> impl Iterator<Item = &IssueCode> {
        self.issues
            .iter()
            .filter(|i| i.is_current())
            .map(|i| &i.code)
    }

    /// Whether this person has `code` as a current issue.
    pub fn has_current_issue(&self, code: &IssueCode) -> bool {
        self.current_issues().any(|c| c == code)
    }

    /// Age on `today`: from the birth date when known, else the approximate age.
    pub fn age_on(&self, today: NaiveDate) -> Option<u32> {
        match self.birth_date {
            Some(b) => crate::calendar::age_on(b, today),
            None => self.approx_age,
        }
    }
}

/// Disability certificate (障害者手帳) with its grade (等級 / 判定), where known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DisabilityCertificate {
    /// Kind code (`physical`, `intellectual`, `mental`).
    pub kind: CertificateKindCode,
    /// Grade as written on the certificate (1級, A, B …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub grade: Option<String>,
}

/// Employment status (就労状況).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Employment {
    /// 正規雇用
    FullTime,
    /// 非正規・パート
    PartTime,
    /// 自営
    SelfEmployed,
    /// 無職（求職中を含む）
    Unemployed,
    /// 学生
    Student,
    /// 退職
    Retired,
}

/// How the person engages with support (関わりの状況).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Engagement {
    /// Engaging with support.
    #[default]
    Engaged,
    /// Not (yet) engaging: cannot or does not come (ひきこもり etc.).
    NotEngaging,
    /// Refuses support (支援拒否).
    Refuses,
}

/// A tie on the eco-map (エコマップ): a member's relation to an agency or an informal support.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Tie {
    /// The member; `None` for the household as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub member: Option<PersonId>,
    /// The other end.
    pub with: TieParty,
    /// Strength of the relation.
    pub strength: TieStrength,
}

/// The other end of a tie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum TieParty {
    /// An agency in the directory.
    Agency {
        /// Agency id.
        agency: AgencyId,
    },
    /// An informal support (民生委員, neighbour, friend, relative outside the household …).
    Informal {
        /// What kind (agency-kind code such as `welfare_commissioner` or `neighbour`, or free text).
        kind: String,
        /// Display label (no personal names needed).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        label: Option<String>,
    },
}

/// Relation strength on the eco-map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum TieStrength {
    /// Strong (太線).
    Strong,
    /// Weak (点線).
    Weak,
    /// Stressful (ストレスのある関係).
    Stressful,
}

impl Household {
    /// Parse a household JSON document and validate it ([`validate`]) against `tax` on `today`.
    ///
    /// Codes: `malformed_document`, and every code of [`validate_all`].
    pub fn from_json(
        text: &str,
        tax: &crate::taxonomy::Taxonomies,
        today: NaiveDate,
    ) -> Result<Self, HouseholdError> {
        crate::limits::Limits::default().check_json_text(text)?;
        let household: Household = crate::coded::from_json(text)?;
        validate(&household, tax, today)?;
        Ok(household)
    }
    /// `Ok` when valid; otherwise the first problem (see [`validate`]).
    pub fn validate(
        &self,
        tax: &crate::taxonomy::Taxonomies,
        today: NaiveDate,
    ) -> Result<(), HouseholdError> {
        validate(self, tax, today)
    }
    /// Every problem, in document order (see [`validate_all`]).
    pub fn validate_all(
        &self,
        tax: &crate::taxonomy::Taxonomies,
        today: NaiveDate,
    ) -> Vec<HouseholdError> {
        validate_all(self, tax, today)
    }
    /// Member by id.
    pub fn member(&self, id: &PersonId) -> Option<&Person> {
        self.members.iter().find(|m| &m.id == id)
    }
    /// The head of household, if one is recorded.
    pub fn head(&self) -> Option<&Person> {
        self.members.iter().find(|m| m.relation == Relation::Head)
    }
    /// Every recorded issue of the household and its members, whatever its status, with the
    /// member it belongs to (`None` for household-level issues), in document order.
    pub fn all_issues(&self) -> impl Iterator<Item = (Option<&Person>, &Issue)> {
        self.issues.iter().map(|i| (None, i)).chain(
            self.members
                .iter()
                .flat_map(|m| m.issues.iter().map(move |i| (Some(m), i))),
        )
    }

    /// The current issues of the household as a whole (codes), in document order.
    pub fn own_current_issues(&self) -> impl Iterator<Item = &IssueCode> {
        self.issues
            .iter()
            .filter(|i| i.is_current())
            .map(|i| &i.code)
    }

    /// The current issues of the household and its members (codes), with the member each
    /// belongs to, in document order: what routing, pattern detection and the report use.
    pub fn current_issues(&self) -> impl Iterator<Item = (Option<&Person>, &IssueCode)> {
        self.all_issues()
            .filter(|(_, i)| i.is_current())
            .map(|(m, i)| (m, &i.code))
    }
}
