//! The case view actually shown to an audience ([`redact`]), and which information categories
//! each field and issue belongs to.
//!
//! Field → category:
//! - identity: person ids (replaced by `M1`, `M2` … when withheld), household id, name, birth
//!   date, foreign nationality;
//! - household: relation to the head, age (from the birth date or the approximate age), area,
//!   employment, single parenthood, caring roles (`cares_for`), engagement;
//! - health_disability (要配慮): care level, disability certificates, hospitalisation;
//! - finances: public assistance;
//! - relations: the eco-map ties;
//! - issues: by the table in `issue_categories.toml` ([`IssueCategories`]), an issue being shown
//!   only when every category it reveals is shown.

use super::{DisclosureDecision, DisclosureLevel};
use crate::household::{
    Area, DisabilityCertificate, Employment, Engagement, Household, Relation, Tie,
};
use crate::ids::*;
use crate::privacy::InfoCategory;
use crate::taxonomy::{Domain, Taxonomies};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The table mapping issue codes to the information categories they reveal.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueCategories {
    /// By the issue's domain.
    #[serde(default)]
    pub domains: BTreeMap<Domain, Vec<InfoCategory>>,
    /// By issue code, overriding the domain.
    #[serde(default)]
    pub issues: BTreeMap<IssueCode, Vec<InfoCategory>>,
}

/// The built-in data: `core/src/disclosure/issue_categories.toml`, converted to JSON by `core/build.rs`.
const BUILTIN: &str = include_str!(concat!(
    env!("OUT_DIR"),
    "/src/disclosure/issue_categories.json"
));

impl IssueCategories {
    /// The built-in table (`core/src/disclosure/issue_categories.toml`).
    pub fn builtin() -> &'static IssueCategories {
        static TABLE: OnceLock<IssueCategories> = OnceLock::new();
        TABLE.get_or_init(|| {
            serde_json::from_str(BUILTIN)
                .expect("built-in issue categories parse (checked by tests)")
        })
    }

    /// The categories `issue` reveals: its own entry, else its taxonomy domain's, else — an
    /// unknown code — every category.
    pub fn categories_of(&self, issue: &IssueCode, tax: &Taxonomies) -> Vec<InfoCategory> {
        if let Some(c) = self.issues.get(issue) {
            return c.clone();
        }
        tax.issue(issue)
            .and_then(|i| self.domains.get(&i.domain))
            .cloned()
            .unwrap_or_else(|| InfoCategory::ALL.to_vec())
    }

    /// Whether `issue` may be shown when `shown` are the categories shown.
    pub fn visible(&self, issue: &IssueCode, tax: &Taxonomies, shown: &[InfoCategory]) -> bool {
        self.categories_of(issue, tax)
            .iter()
            .all(|c| shown.contains(c))
    }
}

/// A case as shown to one audience: withheld fields are absent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseView {
    /// The case.
    pub case: CaseId,
    /// Level of what is shown.
    pub level: DisclosureLevel,
    /// Categories shown.
    pub shown: Vec<InfoCategory>,
    /// Categories withheld (the same list whatever the household holds, so it reveals nothing).
    pub withheld: Vec<InfoCategory>,
    /// Household id (identity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household: Option<HouseholdId>,
    /// Area (household).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<Area>,
    /// Members with something shown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<MemberView>,
    /// Household-level issues that may be shown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<IssueCode>,
    /// Eco-map ties (relations), members referred to by key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ties: Vec<Tie>,
}

/// A member as shown: `None` (absent in JSON) means withheld.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberView {
    /// The person id when identity is shown, else `M1`, `M2` … (document order).
    pub key: String,
    /// The person the case is about (本人).
    pub subject: bool,
    /// Name (identity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Birth date (identity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<NaiveDate>,
    /// Foreign nationality (identity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foreign_national: Option<bool>,
    /// Relation to the head (household).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<Relation>,
    /// Age on the disclosure date (household).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    /// Employment (household).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employment: Option<Employment>,
    /// Single parent (household).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub single_parent: Option<bool>,
    /// Whom the member cares for, by key (household).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cares_for: Option<Vec<String>>,
    /// Engagement (household).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement: Option<Engagement>,
    /// Care level (health_disability, 要配慮); absent when none or withheld (see
    /// [`CaseView::withheld`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub care_level: Option<CareLevelCode>,
    /// Disability certificates (health_disability, 要配慮); empty when none or withheld.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disabilities: Vec<DisabilityCertificate>,
    /// In hospital (health_disability, 要配慮).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hospitalised: Option<bool>,
    /// Receives public assistance (finances).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_assistance: Option<bool>,
    /// Issues that may be shown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<IssueCode>,
}

/// The view of `household` that `decision` allows, restricted to the categories the presenter
/// offers (`shown`; pass [`InfoCategory::ALL`] to show everything allowed). A member appears
/// when identity or household is shown, or when some shown field of theirs has content.
pub fn redact(
    household: &Household,
    decision: &DisclosureDecision,
    shown: &[InfoCategory],
    tax: &Taxonomies,
) -> CaseView {
    let cats = decision.effective(shown);
    let has = |c: InfoCategory| cats.contains(&c);
    let table = IssueCategories::builtin();
    let issues_of = |codes: &[IssueCode]| -> Vec<IssueCode> {
        codes
            .iter()
            .filter(|i| table.visible(i, tax, &cats))
            .cloned()
            .collect()
    };
    let key_of = |id: &PersonId| -> String {
        if has(InfoCategory::Identity) {
            return id.to_string();
        }
        match household.members.iter().position(|m| &m.id == id) {
            Some(i) => format!("M{}", i + 1),
            None => "M?".to_string(),
        }
    };
    let when = |c: InfoCategory| has(c).then_some(());
    let members = household
        .members
        .iter()
        .map(|m| MemberView {
            key: key_of(&m.id),
            subject: m.id == decision.request.person,
            name: when(InfoCategory::Identity).and(m.name.clone()),
            birth_date: when(InfoCategory::Identity).and(m.birth_date),
            foreign_national: when(InfoCategory::Identity).map(|_| m.foreign_national),
            relation: when(InfoCategory::Household).map(|_| m.relation),
            age: when(InfoCategory::Household).and(m.age_on(decision.request.on)),
            employment: when(InfoCategory::Household).and(m.employment),
            single_parent: when(InfoCategory::Household).map(|_| m.single_parent),
            cares_for: when(InfoCategory::Household)
                .map(|_| m.cares_for.iter().map(&key_of).collect()),
            engagement: when(InfoCategory::Household).map(|_| m.engagement),
            care_level: when(InfoCategory::HealthDisability).and(m.care_level.clone()),
            disabilities: when(InfoCategory::HealthDisability)
                .map(|_| m.disabilities.clone())
                .unwrap_or_default(),
            hospitalised: when(InfoCategory::HealthDisability).map(|_| m.hospitalised),
            public_assistance: when(InfoCategory::Finances).map(|_| m.public_assistance),
            issues: issues_of(&m.issues.iter().map(|i| i.code.clone()).collect::<Vec<_>>()),
        })
        .filter(|v| {
            has(InfoCategory::Identity)
                || has(InfoCategory::Household)
                || !v.issues.is_empty()
                || v.care_level.is_some()
                || !v.disabilities.is_empty()
                || v.hospitalised == Some(true)
                || v.public_assistance == Some(true)
        })
        .collect();
    let ties = if has(InfoCategory::Relations) {
        household
            .ties
            .iter()
            .map(|t| Tie {
                member: t.member.as_ref().map(|p| PersonId::new(key_of(p))),
                with: t.with.clone(),
                strength: t.strength,
            })
            .collect()
    } else {
        Vec::new()
    };
    CaseView {
        case: decision.request.case.clone(),
        level: DisclosureLevel::of(&cats),
        withheld: InfoCategory::ALL
            .into_iter()
            .filter(|c| !cats.contains(c))
            .collect(),
        shown: cats.clone(),
        household: when(InfoCategory::Identity).map(|_| household.id.clone()),
        area: when(InfoCategory::Household).map(|_| household.area.clone()),
        members,
        issues: issues_of(
            &household
                .issues
                .iter()
                .map(|i| i.code.clone())
                .collect::<Vec<_>>(),
        ),
        ties,
    }
}
