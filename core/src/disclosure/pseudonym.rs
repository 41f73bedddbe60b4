//! Pseudonymised case presentation (仮名化した事例提示) for meetings that discuss a case without
//! needing to know who it is — e.g. a 地域ケア会議 case study.
//!
//! Names and ids are replaced by stable labels: the person is 本人; the others are named by
//! their relation to the head of household (世帯主, 配偶者, 子 …), with A, B … when several share
//! one, eldest first (unknown ages last, then document order). Kinship is recorded relative to
//! the head only (the household has no sex field), so labels such as 長男 cannot be derived and
//! are not guessed. Agencies on the eco-map become 関係機関A, B … in order of first appearance.
//! Birth dates become ages for minors (`14歳`) and decade bands for adults (`40代`); dates
//! become days relative to the case's opening (`day 0`, `+35 days`).

use super::DisclosureError;
use crate::household::{
    DisabilityCertificate, Employment, Engagement, Household, Person, Relation, TieParty,
    TieStrength,
};
use crate::ids::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A date as days from the case's opening (day 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RelativeDay {
    /// Days after the opening (negative: before).
    pub days: i64,
    /// Display form: `day 0`, `+35 days`, `-3 days`.
    pub label: String,
}

/// `date` relative to `opened_on`.
pub fn relative_day(opened_on: NaiveDate, date: NaiveDate) -> RelativeDay {
    let days = (date - opened_on).num_days();
    let label = match days {
        0 => "day 0".to_string(),
        1 => "+1 day".to_string(),
        -1 => "-1 day".to_string(),
        d if d > 0 => format!("+{d} days"),
        d => format!("{d} days"),
    };
    RelativeDay { days, label }
}

/// A pseudonymised member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PseudonymousMember {
    /// Stable label (本人, 世帯主, 子A …).
    pub label: String,
    /// Relation to the head.
    pub relation: Relation,
    /// Age for minors (`14歳`), decade band for adults (`40代`), `年齢不明` when unknown.
    pub age_band: String,
    /// Care level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub care_level: Option<CareLevelCode>,
    /// Disability certificates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disabilities: Vec<DisabilityCertificate>,
    /// Receives public assistance.
    pub public_assistance: bool,
    /// Single parent.
    pub single_parent: bool,
    /// Employment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employment: Option<Employment>,
    /// Engagement.
    pub engagement: Engagement,
    /// In hospital.
    pub hospitalised: bool,
    /// Whom the member cares for, by label.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cares_for: Vec<String>,
    /// Issues.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<IssueCode>,
}

/// A pseudonymised eco-map tie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PseudonymousTie {
    /// The member's label; `None` for the household as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// The other end: 関係機関A … for agencies, the kind for informal supports (labels dropped).
    pub with: String,
    /// Strength.
    pub strength: TieStrength,
}

/// A case presented without identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PseudonymisedCase {
    /// The presentation date relative to the opening.
    pub as_of: RelativeDay,
    /// Members, in document order.
    pub members: Vec<PseudonymousMember>,
    /// Household-level issues.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<IssueCode>,
    /// Eco-map ties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ties: Vec<PseudonymousTie>,
}

fn relation_ja(r: Relation) -> &'static str {
    match r {
        Relation::Head => "世帯主",
        Relation::Spouse => "配偶者",
        Relation::Child => "子",
        Relation::ChildInLaw => "子の配偶者",
        Relation::Parent => "親",
        Relation::Grandparent => "祖父母",
        Relation::Grandchild => "孫",
        Relation::Sibling => "兄弟姉妹",
        Relation::Other => "その他",
    }
}

fn letter(i: usize) -> String {
    // A … Z, then AA, AB … (households this large do not occur, but labels stay unique).
    let mut n = i;
    let mut s = String::new();
    loop {
        s.insert(0, (b'A' + (n % 26) as u8) as char);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    s
}

fn age_band(p: &Person, on: NaiveDate) -> String {
    match p.age_on(on) {
        None => "年齢不明".to_string(),
        Some(a) if a < 20 => format!("{a}歳"),
        Some(a) if a >= 100 => "100歳以上".to_string(),
        Some(a) => format!("{}代", a / 10 * 10),
    }
}

/// Present `household` without identity, for the case of `person` opened on `opened_on`, as of
/// `reference`. DisclosureError: `unknown_person` when `person` is not a member.
pub fn pseudonymise(
    household: &Household,
    person: &PersonId,
    opened_on: NaiveDate,
    reference: NaiveDate,
) -> Result<PseudonymisedCase, DisclosureError> {
    if household.member(person).is_none() {
        return Err(DisclosureError::UnknownPerson {
            person: person.clone(),
            household: household.id.clone(),
        });
    }
    let labels = labels(household, person, reference);
    let label_of = |id: &PersonId| -> String {
        household
            .members
            .iter()
            .position(|m| &m.id == id)
            .map(|i| labels[i].clone())
            .unwrap_or_else(|| "世帯外".to_string())
    };
    let members = household
        .members
        .iter()
        .zip(&labels)
        .map(|(m, label)| PseudonymousMember {
            label: label.clone(),
            relation: m.relation,
            age_band: age_band(m, reference),
            care_level: m.care_level.clone(),
            disabilities: m.disabilities.clone(),
            public_assistance: m.public_assistance,
            single_parent: m.single_parent,
            employment: m.employment,
            engagement: m.engagement,
            hospitalised: m.hospitalised,
            cares_for: m.cares_for.iter().map(&label_of).collect(),
            issues: m.issues.iter().map(|i| i.code.clone()).collect(),
        })
        .collect();
    let mut agencies: Vec<&AgencyId> = Vec::new();
    let ties = household
        .ties
        .iter()
        .map(|t| {
            let with = match &t.with {
                TieParty::Agency { agency } => {
                    let i = match agencies.iter().position(|a| *a == agency) {
                        Some(i) => i,
                        None => {
                            agencies.push(agency);
                            agencies.len() - 1
                        }
                    };
                    format!("関係機関{}", letter(i))
                }
                TieParty::Informal { kind, .. } => kind.clone(),
            };
            PseudonymousTie {
                member: t.member.as_ref().map(&label_of),
                with,
                strength: t.strength,
            }
        })
        .collect();
    Ok(PseudonymisedCase {
        as_of: relative_day(opened_on, reference),
        members,
        issues: household.issues.iter().map(|i| i.code.clone()).collect(),
        ties,
    })
}

/// Labels for every member, in document order.
fn labels(household: &Household, person: &PersonId, on: NaiveDate) -> Vec<String> {
    let mut out = vec![String::new(); household.members.len()];
    for (i, m) in household.members.iter().enumerate() {
        if &m.id == person {
            out[i] = "本人".to_string();
            continue;
        }
        let mut same: Vec<(usize, &Person)> = household
            .members
            .iter()
            .enumerate()
            .filter(|(_, o)| o.relation == m.relation && &o.id != person)
            .collect();
        if same.len() == 1 {
            out[i] = relation_ja(m.relation).to_string();
            continue;
        }
        // Eldest first; unknown ages last; then document order.
        same.sort_by_key(|(j, o)| {
            let age = o.age_on(on);
            (age.is_none(), std::cmp::Reverse(age.unwrap_or(0)), *j)
        });
        let rank = same.iter().position(|(j, _)| *j == i).unwrap_or(0);
        out[i] = format!("{}{}", relation_ja(m.relation), letter(rank));
    }
    out
}
