//! Generators of valid households, shared by the validation and pattern tests.

use super::*;
use crate::taxonomy::Taxonomies;
use chrono::{Months, NaiveDate};
use proptest::prelude::*;
use proptest::sample::subsequence;

/// The date every generated household is valid on.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 4, 1).unwrap()
}

fn issue_codes() -> Vec<IssueCode> {
    Taxonomies::builtin()
        .issues()
        .iter()
        .map(|i| i.code.clone())
        .collect()
}

#[derive(Debug, Clone)]
struct Raw {
    relation: Relation,
    age: u32,
    by_birth_date: Option<u32>,
    issues: Vec<IssueCode>,
    care_level: Option<u8>,
    disabilities: Vec<&'static str>,
    employment: Option<Employment>,
    engagement: Engagement,
    single_parent: bool,
    cares_for_mask: Vec<bool>,
    hospitalised: bool,
    /// Status of each issue (by position): mostly current.
    statuses: Vec<IssueStatus>,
}

/// A status for a generated issue: current twice as often as each other status.
fn status() -> impl Strategy<Value = IssueStatus> {
    prop::sample::select(vec![
        IssueStatus::Current,
        IssueStatus::Current,
        IssueStatus::Past,
        IssueStatus::Suspected,
        IssueStatus::Resolved,
    ])
}

fn raw() -> impl Strategy<Value = Raw> {
    let n = issue_codes().len();
    (
        prop::sample::select(vec![
            Relation::Spouse,
            Relation::Child,
            Relation::ChildInLaw,
            Relation::Parent,
            Relation::Grandparent,
            Relation::Grandchild,
            Relation::Sibling,
            Relation::Other,
        ]),
        0u32..105,
        prop::option::of(0u32..12),
        subsequence(issue_codes(), 0..4.min(n)),
        prop::option::of(0u8..7),
        subsequence(vec!["physical", "intellectual", "mental"], 0..2),
        prop::option::of(prop::sample::select(vec![
            Employment::FullTime,
            Employment::PartTime,
            Employment::SelfEmployed,
            Employment::Unemployed,
            Employment::Student,
            Employment::Retired,
        ])),
        prop::sample::select(vec![
            Engagement::Engaged,
            Engagement::NotEngaging,
            Engagement::Refuses,
        ]),
        any::<bool>(),
        prop::collection::vec(any::<bool>(), 6),
        any::<bool>(),
        prop::collection::vec(status(), 4),
    )
        .prop_map(
            |(
                relation,
                age,
                by_birth_date,
                issues,
                care_level,
                disabilities,
                employment,
                engagement,
                single_parent,
                cares_for_mask,
                hospitalised,
                statuses,
            )| Raw {
                relation,
                age,
                by_birth_date,
                issues,
                care_level,
                disabilities,
                employment,
                engagement,
                single_parent,
                cares_for_mask,
                hospitalised,
                statuses,
            },
        )
}

/// A valid household of 1–6 members (valid on [`today`] against the built-in taxonomy).
pub fn household() -> impl Strategy<Value = Household> {
    (
        any::<bool>(),
        prop::collection::vec(raw(), 1..=6),
        subsequence(issue_codes(), 0..3),
        prop::collection::vec((0usize..7, any::<bool>(), 0u8..3), 0..4),
        prop::collection::vec(status(), 3),
    )
        .prop_map(|(has_head, raws, household_issues, ties, statuses)| {
            let levels: Vec<CareLevelCode> = Taxonomies::builtin()
                .document()
                .care_levels
                .iter()
                .map(|c| c.code.clone())
                .collect();
            let n = raws.len();
            let head_age = raws[0].age.max(18);
            let mut spouse_seen = false;
            let members: Vec<Person> = raws
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let mut relation = r.relation;
                    let mut age = r.age;
                    if i == 0 {
                        relation = if has_head {
                            Relation::Head
                        } else {
                            Relation::Other
                        };
                        age = head_age;
                    } else if relation == Relation::Spouse {
                        if spouse_seen {
                            relation = Relation::Other;
                        }
                        spouse_seen = true;
                    }
                    if has_head {
                        match relation {
                            Relation::Child | Relation::Grandchild => age = age.min(head_age),
                            Relation::Parent | Relation::Grandparent => age = age.max(head_age),
                            _ => {}
                        }
                    }
                    let mut p = Person::new(format!("p{i}"), relation);
                    match r.by_birth_date {
                        Some(k) => {
                            p.birth_date = today().checked_sub_months(Months::new(age * 12 + k))
                        }
                        None => p.approx_age = Some(age),
                    }
                    p.issues = r
                        .issues
                        .iter()
                        .zip(&r.statuses)
                        .map(|(c, s)| Issue::current(c.clone()).with_status(*s))
                        .collect();
                    p.care_level = r
                        .care_level
                        .map(|l| levels[l as usize % levels.len()].clone());
                    p.disabilities = r
                        .disabilities
                        .iter()
                        .map(|k| DisabilityCertificate {
                            kind: (*k).into(),
                            grade: None,
                        })
                        .collect();
                    p.employment = r.employment;
                    p.engagement = r.engagement;
                    p.single_parent = r.single_parent;
                    p.hospitalised = r.hospitalised;
                    p.cares_for = (0..n)
                        .filter(|j| *j != i && r.cares_for_mask[*j])
                        .map(|j| PersonId::new(format!("p{j}")))
                        .collect();
                    p
                })
                .collect();
            let ties = ties
                .into_iter()
                .map(|(m, informal, strength)| Tie {
                    member: (m < n).then(|| PersonId::new(format!("p{m}"))),
                    with: if informal {
                        TieParty::Informal {
                            kind: "neighbour".into(),
                            label: None,
                        }
                    } else {
                        TieParty::Agency {
                            agency: "a1".into(),
                        }
                    },
                    strength: [
                        TieStrength::Strong,
                        TieStrength::Weak,
                        TieStrength::Stressful,
                    ][strength as usize],
                })
                .collect();
            Household {
                id: "h1".into(),
                area: Area::default(),
                members,
                issues: household_issues
                    .into_iter()
                    .zip(statuses)
                    .map(|(c, s)| Issue::current(c).with_status(s))
                    .collect(),
                ties,
            }
        })
}
