//! Household validation (世帯情報の検証): the consistency rules a household document must meet
//! before anything else (routing, pattern detection, cases) looks at it.
//!
//! [`validate_all`] walks the document in order and reports *every* problem it finds, each with a
//! stable code and the JSON path of the offending field, so a form can mark all of them at once;
//! [`validate`] returns the first of them. Taxonomy codes (issues, care levels, certificate kinds)
//! are checked against the [`Taxonomies`] in force and fail with the taxonomy's `unknown_code`.
//!
//! Decisions where the domain leaves a detail open:
//! - A household need not record a head (世帯主), but it may record at most one, and at most one
//!   spouse (配偶者) of the head.
//! - Relation consistency is checked against the head only, and only when both ages are known:
//!   a child or grandchild (子・孫) older than the head, or a parent or grandparent (親・祖父母)
//!   younger than the head, is `inconsistent_relation`. Equal ages pass (approximate ages are
//!   rounded).
//! - When both `birth_date` and `approx_age` are given they must agree within
//!   [`APPROX_AGE_TOLERANCE`] years (an approximate age such as "in her 40s" → 45 is off by up
//!   to five); otherwise `age_mismatch`.
//! - An age (known or approximate) above [`MAX_PLAUSIBLE_AGE`] is `implausible_age`.
//! - An issue listed twice for the same member (or twice for the household), or a member listed
//!   twice in one `cares_for`, is a data-entry error: `duplicate_issue` / `duplicate_reference`.
//! - Eco-map ties must name existing members; agency ends of ties are checked against the agency
//!   directory by whoever holds one, not here.

use super::{Household, Relation};
use crate::coded::Coded;
use crate::ids::{IssueCode, PersonId};
use crate::taxonomy::Taxonomies;
use chrono::NaiveDate;
use std::collections::HashSet;

/// How far (in years) an approximate age may be from the age the birth date gives.
pub const APPROX_AGE_TOLERANCE: u32 = 5;

/// The highest age accepted as plausible.
pub const MAX_PLAUSIBLE_AGE: u32 = 130;

/// Errors of household validation (世帯情報の検証エラー).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HouseholdError {
    /// A document that does not parse.
    #[error(transparent)]
    Document(#[from] crate::coded::DocumentError),
    /// An unknown or invalid vocabulary code.
    #[error(transparent)]
    Taxonomy(#[from] crate::taxonomy::TaxonomyError),
    /// An id (of the household or of a member) that is empty or only whitespace.
    #[error("empty id at {path}")]
    EmptyId {
        /// JSON path.
        path: String,
    },
    /// A household with no members.
    #[error("household `{household}` has no members at {path}")]
    EmptyHousehold {
        /// The household.
        household: String,
        /// JSON path (`$.members`).
        path: String,
    },
    /// Two members with one id.
    #[error("duplicate member id `{id}` at {path}")]
    DuplicateMember {
        /// The id.
        id: PersonId,
        /// JSON path of the second occurrence.
        path: String,
    },
    /// More than one member recorded as head of household (世帯主).
    #[error("member `{id}` is a second head of household at {path}")]
    MultipleHeads {
        /// The second head.
        id: PersonId,
        /// JSON path of its relation.
        path: String,
    },
    /// More than one member recorded as spouse (配偶者) of the head.
    #[error("member `{id}` is a second spouse of the head at {path}")]
    MultipleSpouses {
        /// The second spouse.
        id: PersonId,
        /// JSON path of its relation.
        path: String,
    },
    /// A birth date after `today`.
    #[error("member `{id}` has a birth date after today at {path}")]
    BirthDateInFuture {
        /// The member.
        id: PersonId,
        /// JSON path of the birth date.
        path: String,
    },
    /// Birth date and approximate age disagree by more than [`APPROX_AGE_TOLERANCE`] years.
    #[error("member `{id}` is {age} by birth date but approx_age is {approx_age} at {path}")]
    AgeMismatch {
        /// The member.
        id: PersonId,
        /// Age from the birth date.
        age: u32,
        /// The approximate age given.
        approx_age: u32,
        /// JSON path of the approximate age.
        path: String,
    },
    /// An age above [`MAX_PLAUSIBLE_AGE`].
    #[error("member `{id}` has implausible age {age} at {path}")]
    ImplausibleAge {
        /// The member.
        id: PersonId,
        /// The age.
        age: u32,
        /// JSON path of the birth date or approximate age.
        path: String,
    },
    /// A reference to a member id that is not in the household.
    #[error("unknown member `{id}` at {path}")]
    UnknownMember {
        /// The id referred to.
        id: PersonId,
        /// JSON path of the reference.
        path: String,
    },
    /// A member who cares for themself.
    #[error("member `{id}` refers to themself at {path}")]
    SelfReference {
        /// The member.
        id: PersonId,
        /// JSON path of the reference.
        path: String,
    },
    /// A member referred to twice in one list.
    #[error("member `{id}` is listed twice at {path}")]
    DuplicateReference {
        /// The id listed twice.
        id: PersonId,
        /// JSON path of the second occurrence.
        path: String,
    },
    /// An issue listed twice for the same member or for the household.
    #[error("issue `{code}` is listed twice at {path}")]
    DuplicateIssue {
        /// The issue code.
        code: IssueCode,
        /// JSON path of the second occurrence.
        path: String,
    },
    /// A relation to the head that the ages contradict (a child older than the head, a parent
    /// younger than the head …).
    #[error("member `{id}` ({relation}, age {age}) is inconsistent with head `{head}` (age {head_age}) at {path}")]
    InconsistentRelation {
        /// The member.
        id: PersonId,
        /// Its relation code (`child`, `parent` …).
        relation: &'static str,
        /// Its age.
        age: u32,
        /// The head.
        head: PersonId,
        /// The head's age.
        head_age: u32,
        /// JSON path of the member's relation.
        path: String,
    },
}

impl HouseholdError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[
        "empty_id",
        "empty_household",
        "duplicate_member",
        "multiple_heads",
        "multiple_spouses",
        "birth_date_in_future",
        "age_mismatch",
        "implausible_age",
        "unknown_member",
        "self_reference",
        "duplicate_reference",
        "duplicate_issue",
        "inconsistent_relation",
    ];
}

impl Coded for HouseholdError {
    fn code(&self) -> &'static str {
        match self {
            HouseholdError::Document(e) => e.code(),
            HouseholdError::Taxonomy(e) => e.code(),
            HouseholdError::EmptyId { .. } => "empty_id",
            HouseholdError::EmptyHousehold { .. } => "empty_household",
            HouseholdError::DuplicateMember { .. } => "duplicate_member",
            HouseholdError::MultipleHeads { .. } => "multiple_heads",
            HouseholdError::MultipleSpouses { .. } => "multiple_spouses",
            HouseholdError::BirthDateInFuture { .. } => "birth_date_in_future",
            HouseholdError::AgeMismatch { .. } => "age_mismatch",
            HouseholdError::ImplausibleAge { .. } => "implausible_age",
            HouseholdError::UnknownMember { .. } => "unknown_member",
            HouseholdError::SelfReference { .. } => "self_reference",
            HouseholdError::DuplicateReference { .. } => "duplicate_reference",
            HouseholdError::DuplicateIssue { .. } => "duplicate_issue",
            HouseholdError::InconsistentRelation { .. } => "inconsistent_relation",
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            HouseholdError::Document(e) => e.path(),
            HouseholdError::Taxonomy(e) => e.path(),
            HouseholdError::EmptyId { path }
            | HouseholdError::EmptyHousehold { path, .. }
            | HouseholdError::DuplicateMember { path, .. }
            | HouseholdError::MultipleHeads { path, .. }
            | HouseholdError::MultipleSpouses { path, .. }
            | HouseholdError::BirthDateInFuture { path, .. }
            | HouseholdError::AgeMismatch { path, .. }
            | HouseholdError::ImplausibleAge { path, .. }
            | HouseholdError::UnknownMember { path, .. }
            | HouseholdError::SelfReference { path, .. }
            | HouseholdError::DuplicateReference { path, .. }
            | HouseholdError::DuplicateIssue { path, .. }
            | HouseholdError::InconsistentRelation { path, .. } => Some(path.clone()),
        }
    }
    fn kind(&self) -> crate::coded::ErrorKind {
        match self {
            HouseholdError::Document(e) => e.kind(),
            HouseholdError::Taxonomy(e) => e.kind(),
            HouseholdError::EmptyId { .. } => crate::coded::ErrorKind::Invalid,
            HouseholdError::EmptyHousehold { .. } => crate::coded::ErrorKind::Invalid,
            HouseholdError::DuplicateMember { .. } => crate::coded::ErrorKind::Invalid,
            HouseholdError::MultipleHeads { .. } => crate::coded::ErrorKind::Invalid,
            HouseholdError::MultipleSpouses { .. } => crate::coded::ErrorKind::Invalid,
            HouseholdError::BirthDateInFuture { .. } => crate::coded::ErrorKind::Invalid,
            HouseholdError::AgeMismatch { .. } => crate::coded::ErrorKind::Invalid,
            HouseholdError::ImplausibleAge { .. } => crate::coded::ErrorKind::Invalid,
            HouseholdError::UnknownMember { .. } => crate::coded::ErrorKind::Invalid,
            HouseholdError::SelfReference { .. } => crate::coded::ErrorKind::Invalid,
            HouseholdError::DuplicateReference { .. } => crate::coded::ErrorKind::Invalid,
            HouseholdError::DuplicateIssue { .. } => crate::coded::ErrorKind::Invalid,
            HouseholdError::InconsistentRelation { .. } => crate::coded::ErrorKind::Invalid,
        }
    }
}

/// Snake_case code of a relation, as it appears in documents.
pub(crate) fn relation_code(r: Relation) -> &'static str {
    match r {
        Relation::Head => "head",
        Relation::Spouse => "spouse",
        Relation::Child => "child",
        Relation::ChildInLaw => "child_in_law",
        Relation::Parent => "parent",
        Relation::Grandparent => "grandparent",
        Relation::Grandchild => "grandchild",
        Relation::Sibling => "sibling",
        Relation::Other => "other",
    }
}

/// Which side of the head's generation a relation puts a member on (`None`: either side).
fn generation_rule(r: Relation) -> Option<Generation> {
    match r {
        Relation::Child | Relation::Grandchild => Some(Generation::Younger),
        Relation::Parent | Relation::Grandparent => Some(Generation::Older),
        _ => None,
    }
}

#[derive(Clone, Copy)]
enum Generation {
    /// Not older than the head.
    Younger,
    /// Not younger than the head.
    Older,
}

/// Every problem of `household`, in document order (empty when it is valid).
///
/// Codes: `empty_id`, `empty_household`, `duplicate_member`, `multiple_heads`,
/// `multiple_spouses`, `birth_date_in_future`, `age_mismatch`, `implausible_age`,
/// `unknown_member`, `self_reference`, `duplicate_reference`, `duplicate_issue`,
/// `inconsistent_relation`, and the taxonomy's `unknown_code`.
pub fn validate_all(
    household: &Household,
    tax: &Taxonomies,
    today: NaiveDate,
) -> Vec<HouseholdError> {
    let mut errs: Vec<HouseholdError> = Vec::new();

    if household.id.as_str().trim().is_empty() {
        errs.push(HouseholdError::EmptyId {
            path: "$.id".into(),
        });
    }
    if household.members.is_empty() {
        errs.push(HouseholdError::EmptyHousehold {
            household: household.id.to_string(),
            path: "$.members".into(),
        });
    }

    let ids: HashSet<&PersonId> = household.members.iter().map(|m| &m.id).collect();
    let head = household
        .head()
        .and_then(|h| h.age_on(today).map(|age| (h, age)));
    let mut seen: HashSet<&PersonId> = HashSet::new();
    let mut heads = 0usize;
    let mut spouses = 0usize;
    for (i, m) in household.members.iter().enumerate() {
        let base = format!("$.members[{i}]");
        let mut push = |e: HouseholdError| errs.push(e);
        if m.id.as_str().trim().is_empty() {
            push(HouseholdError::EmptyId {
                path: format!("{base}.id"),
            });
        } else if !seen.insert(&m.id) {
            push(HouseholdError::DuplicateMember {
                id: m.id.clone(),
                path: format!("{base}.id"),
            });
        }
        match m.relation {
            Relation::Head => {
                heads += 1;
                if heads > 1 {
                    push(HouseholdError::MultipleHeads {
                        id: m.id.clone(),
                        path: format!("{base}.relation"),
                    });
                }
            }
            Relation::Spouse => {
                spouses += 1;
                if spouses > 1 {
                    push(HouseholdError::MultipleSpouses {
                        id: m.id.clone(),
                        path: format!("{base}.relation"),
                    });
                }
            }
            _ => {}
        }
        // Relation consistency against the (first) head, when both ages are known.
        if let (Some((h, head_age)), Some(rule), Some(age)) =
            (head, generation_rule(m.relation), m.age_on(today))
        {
            let bad = match rule {
                Generation::Younger => age > head_age,
                Generation::Older => age < head_age,
            };
            if bad {
                push(HouseholdError::InconsistentRelation {
                    id: m.id.clone(),
                    relation: relation_code(m.relation),
                    age,
                    head: h.id.clone(),
                    head_age,
                    path: format!("{base}.relation"),
                });
            }
        }
        if let Some(birth) = m.birth_date {
            if birth > today {
                push(HouseholdError::BirthDateInFuture {
                    id: m.id.clone(),
                    path: format!("{base}.birth_date"),
                });
            } else if let Some(age) = crate::calendar::age_on(birth, today) {
                if age > MAX_PLAUSIBLE_AGE {
                    push(HouseholdError::ImplausibleAge {
                        id: m.id.clone(),
                        age,
                        path: format!("{base}.birth_date"),
                    });
                }
                if let Some(approx) = m.approx_age {
                    if age.abs_diff(approx) > APPROX_AGE_TOLERANCE {
                        push(HouseholdError::AgeMismatch {
                            id: m.id.clone(),
                            age,
                            approx_age: approx,
                            path: format!("{base}.approx_age"),
                        });
                    }
                }
            }
        }
        if let Some(approx) = m.approx_age {
            if approx > MAX_PLAUSIBLE_AGE {
                push(HouseholdError::ImplausibleAge {
                    id: m.id.clone(),
                    age: approx,
                    path: format!("{base}.approx_age"),
                });
            }
        }
        if let Some(level) = &m.care_level {
            if let Err(e) = tax.check_care_level(level, &format!("{base}.care_level")) {
                errs.push(e.into());
            }
        }
        for (j, d) in m.disabilities.iter().enumerate() {
            let path = format!("{base}.disabilities[{j}].kind");
            if let Err(e) = tax.check_certificate_kind(&d.kind, &path) {
                errs.push(e.into());
            }
        }
        let mut cared: HashSet<&PersonId> = HashSet::new();
        for (j, c) in m.cares_for.iter().enumerate() {
            let path = format!("{base}.cares_for[{j}]");
            let e = if c == &m.id {
                HouseholdError::SelfReference {
                    id: c.clone(),
                    path,
                }
            } else if !ids.contains(c) {
                HouseholdError::UnknownMember {
                    id: c.clone(),
                    path,
                }
            } else if !cared.insert(c) {
                HouseholdError::DuplicateReference {
                    id: c.clone(),
                    path,
                }
            } else {
                continue;
            };
            errs.push(e);
        }
        check_issues(&m.issues, &format!("{base}.issues"), tax, &mut errs);
    }
    check_issues(&household.issues, "$.issues", tax, &mut errs);

    for (i, t) in household.ties.iter().enumerate() {
        if let Some(member) = &t.member {
            if !ids.contains(member) {
                errs.push(HouseholdError::UnknownMember {
                    id: member.clone(),
                    path: format!("$.ties[{i}].member"),
                });
            }
        }
    }
    errs
}

/// Issue codes of one list: each known to the taxonomy, none twice.
fn check_issues(
    issues: &[IssueCode],
    base: &str,
    tax: &Taxonomies,
    errs: &mut Vec<HouseholdError>,
) {
    let mut seen: HashSet<&IssueCode> = HashSet::new();
    for (j, code) in issues.iter().enumerate() {
        let path = format!("{base}[{j}]");
        if let Err(e) = tax.check_issue(code, &path) {
            errs.push(e.into());
        } else if !seen.insert(code) {
            errs.push(HouseholdError::DuplicateIssue {
                code: code.clone(),
                path,
            });
        }
    }
}

/// `Ok` when `household` is valid; otherwise the first problem [`validate_all`] finds.
pub fn validate(
    household: &Household,
    tax: &Taxonomies,
    today: NaiveDate,
) -> Result<(), HouseholdError> {
    match validate_all(household, tax, today).into_iter().next() {
        None => Ok(()),
        Some(e) => Err(e),
    }
}

#[cfg(test)]
pub(crate) mod strategies {
    //! Generators of valid households, shared by the validation and pattern tests.
    use super::super::*;
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
        )
            .prop_map(|(has_head, raws, household_issues, ties)| {
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
                        p.issues = r.issues.clone();
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
                    issues: household_issues,
                    ties,
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use super::strategies;
    use crate::coded::Coded;
    use crate::taxonomy::Taxonomies;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        strategies::today()
    }

    fn aged(id: &str, relation: Relation, age: u32) -> Person {
        let mut p = Person::new(id, relation);
        p.approx_age = Some(age);
        p
    }

    fn valid() -> Household {
        let mut head = aged("p1", Relation::Head, 45);
        head.cares_for = vec!["p2".into()];
        head.issues = vec!["income_living_costs".into()];
        let mut child = aged("p2", Relation::Child, 10);
        child.disabilities = vec![DisabilityCertificate {
            kind: "intellectual".into(),
            grade: Some("A".into()),
        }];
        let mut parent = aged("p3", Relation::Parent, 75);
        parent.care_level = Some("care_2".into());
        Household {
            id: "h1".into(),
            area: Area::default(),
            members: vec![head, child, parent],
            issues: vec!["housing".into()],
            ties: vec![Tie {
                member: Some("p1".into()),
                with: TieParty::Informal {
                    kind: "neighbour".into(),
                    label: None,
                },
                strength: TieStrength::Weak,
            }],
        }
    }

    /// (code, path) of every problem.
    fn problems(h: &Household) -> Vec<(&'static str, String)> {
        validate_all(h, &Taxonomies::builtin(), today())
            .into_iter()
            .map(|e| (e.code(), e.path().unwrap_or_default()))
            .collect()
    }

    fn one(code: &'static str, path: &str) -> Vec<(&'static str, String)> {
        vec![(code, path.to_string())]
    }

    #[test]
    fn valid_household_passes() {
        let h = valid();
        assert_eq!(problems(&h), vec![]);
        assert_eq!(validate(&h, &Taxonomies::builtin(), today()), Ok(()));
        assert_eq!(h.validate(&Taxonomies::builtin(), today()), Ok(()));
    }

    #[test]
    fn empty_ids() {
        let mut h = valid();
        h.id = "".into();
        h.members[1].id = " ".into();
        h.members[0].cares_for.clear();
        assert_eq!(
            problems(&h),
            vec![
                ("empty_id", "$.id".to_string()),
                ("empty_id", "$.members[1].id".to_string())
            ]
        );
    }

    #[test]
    fn empty_household() {
        let mut h = valid();
        h.members.clear();
        h.ties.clear();
        assert_eq!(problems(&h), one("empty_household", "$.members"));
    }

    #[test]
    fn duplicate_member() {
        let mut h = valid();
        h.members[2].id = "p2".into();
        assert_eq!(problems(&h), one("duplicate_member", "$.members[2].id"));
    }

    #[test]
    fn multiple_heads_and_spouses() {
        let mut h = valid();
        h.members.push(aged("p4", Relation::Head, 40));
        h.members.push(aged("p5", Relation::Spouse, 40));
        h.members.push(aged("p6", Relation::Spouse, 41));
        assert_eq!(
            problems(&h),
            vec![
                ("multiple_heads", "$.members[3].relation".to_string()),
                ("multiple_spouses", "$.members[5].relation".to_string())
            ]
        );
    }

    #[test]
    fn birth_date_in_future() {
        let mut h = valid();
        h.members[1].approx_age = None;
        h.members[1].birth_date = NaiveDate::from_ymd_opt(2024, 4, 2);
        assert_eq!(
            problems(&h),
            one("birth_date_in_future", "$.members[1].birth_date")
        );
        // Born today is fine (age 0).
        h.members[1].birth_date = Some(today());
        assert_eq!(problems(&h), vec![]);
    }

    #[test]
    fn birth_date_and_approx_age_must_agree_within_tolerance() {
        let mut h = valid();
        // Born 2014-04-01: exactly 10 on 2024-04-01.
        h.members[1].birth_date = NaiveDate::from_ymd_opt(2014, 4, 1);
        h.members[1].approx_age = Some(10 + APPROX_AGE_TOLERANCE);
        assert_eq!(problems(&h), vec![]);
        h.members[1].approx_age = Some(10 + APPROX_AGE_TOLERANCE + 1);
        assert_eq!(problems(&h), one("age_mismatch", "$.members[1].approx_age"));
    }

    #[test]
    fn implausible_age() {
        let mut h = valid();
        h.members[2].approx_age = Some(MAX_PLAUSIBLE_AGE + 1);
        assert_eq!(
            problems(&h),
            one("implausible_age", "$.members[2].approx_age")
        );
    }

    #[test]
    fn cares_for_references() {
        let mut h = valid();
        h.members[0].cares_for = vec!["p1".into(), "p9".into(), "p2".into(), "p2".into()];
        assert_eq!(
            problems(&h),
            vec![
                ("self_reference", "$.members[0].cares_for[0]".to_string()),
                ("unknown_member", "$.members[0].cares_for[1]".to_string()),
                (
                    "duplicate_reference",
                    "$.members[0].cares_for[3]".to_string()
                ),
            ]
        );
    }

    #[test]
    fn tie_member_must_exist() {
        let mut h = valid();
        h.ties[0].member = Some("p9".into());
        assert_eq!(problems(&h), one("unknown_member", "$.ties[0].member"));
    }

    #[test]
    fn relation_consistency_against_head() {
        let mut h = valid();
        h.members[1].approx_age = Some(46); // child older than the head (45)
        h.members[2].approx_age = Some(44); // parent younger than the head
        assert_eq!(
            problems(&h),
            vec![
                ("inconsistent_relation", "$.members[1].relation".to_string()),
                ("inconsistent_relation", "$.members[2].relation".to_string()),
            ]
        );
        // Same age passes; unknown ages are not checked.
        h.members[1].approx_age = Some(45);
        h.members[2].approx_age = None;
        assert_eq!(problems(&h), vec![]);
        // A sibling or spouse may be either side.
        h.members.push(aged("p4", Relation::Sibling, 80));
        h.members.push(aged("p5", Relation::Spouse, 20));
        assert_eq!(problems(&h), vec![]);
    }

    #[test]
    fn taxonomy_codes_are_checked() {
        let mut h = valid();
        h.issues = vec!["no_such_issue".into()];
        h.members[2].care_level = Some("care_9".into());
        h.members[1].disabilities[0].kind = "psychic".into();
        h.members[0].issues.push("unknown".into());
        assert_eq!(
            problems(&h),
            vec![
                ("unknown_code", "$.members[0].issues[1]".to_string()),
                (
                    "unknown_code",
                    "$.members[1].disabilities[0].kind".to_string()
                ),
                ("unknown_code", "$.members[2].care_level".to_string()),
                ("unknown_code", "$.issues[0]".to_string()),
            ]
        );
    }

    #[test]
    fn duplicate_issue() {
        let mut h = valid();
        h.members[0].issues.push("income_living_costs".into());
        h.issues.push("housing".into());
        assert_eq!(
            problems(&h),
            vec![
                ("duplicate_issue", "$.members[0].issues[1]".to_string()),
                ("duplicate_issue", "$.issues[1]".to_string()),
            ]
        );
    }

    #[test]
    fn validate_returns_the_first_problem() {
        let mut h = valid();
        h.members[2].id = "p2".into();
        h.issues = vec!["nope".into()];
        let err = validate(&h, &Taxonomies::builtin(), today()).unwrap_err();
        assert_eq!(err.code(), "duplicate_member");
        assert_eq!(err.path().as_deref(), Some("$.members[2].id"));
        assert!(!err.to_string().contains("name"));
    }

    #[test]
    fn messages_carry_ids_not_names() {
        let mut h = valid();
        h.members[2].name = Some("山田花子".into());
        h.members[2].approx_age = Some(30);
        let errs = validate_all(&h, &Taxonomies::builtin(), today());
        assert_eq!(errs.len(), 1);
        let msg = errs[0].to_string();
        assert!(msg.contains("p3") && !msg.contains("山田"), "{msg}");
    }

    #[test]
    fn every_code_is_listed_once() {
        use crate::coded::Coded;
        let p = || "$".to_string();
        let id = || PersonId::new("p");
        let all = [
            HouseholdError::EmptyId { path: p() },
            HouseholdError::EmptyHousehold {
                household: "h".into(),
                path: p(),
            },
            HouseholdError::DuplicateMember {
                id: id(),
                path: p(),
            },
            HouseholdError::MultipleHeads {
                id: id(),
                path: p(),
            },
            HouseholdError::MultipleSpouses {
                id: id(),
                path: p(),
            },
            HouseholdError::BirthDateInFuture {
                id: id(),
                path: p(),
            },
            HouseholdError::AgeMismatch {
                id: id(),
                age: 1,
                approx_age: 9,
                path: p(),
            },
            HouseholdError::ImplausibleAge {
                id: id(),
                age: 200,
                path: p(),
            },
            HouseholdError::UnknownMember {
                id: id(),
                path: p(),
            },
            HouseholdError::SelfReference {
                id: id(),
                path: p(),
            },
            HouseholdError::DuplicateReference {
                id: id(),
                path: p(),
            },
            HouseholdError::DuplicateIssue {
                code: "x".into(),
                path: p(),
            },
            HouseholdError::InconsistentRelation {
                id: id(),
                relation: "child",
                age: 1,
                head: "q".into(),
                head_age: 0,
                path: p(),
            },
        ];
        let codes: Vec<&str> = all.iter().map(|e| e.code()).collect();
        assert_eq!(codes, HouseholdError::CODES);
        assert!(all.iter().all(|e| e.path().as_deref() == Some("$")));
    }

    #[test]
    fn from_json_parses_and_validates() {
        let tax = Taxonomies::builtin();
        let text = r#"{
            "id": "h1",
            "members": [
                {"id": "p1", "relation": "head", "approx_age": 82, "employment": "retired"},
                {"id": "p2", "relation": "child", "birth_date": "1972-01-15",
                 "issues": ["hikikomori"], "engagement": "not_engaging"}
            ]
        }"#;
        let h = Household::from_json(text, &tax, today()).unwrap();
        assert_eq!(h.members[1].age_on(today()), Some(52));

        let bad = text.replace("\"child\"", "\"parent\"");
        let err = Household::from_json(&bad, &tax, today()).unwrap_err();
        assert_eq!(err.code(), "inconsistent_relation");
        assert_eq!(err.path().as_deref(), Some("$.members[1].relation"));

        let unknown_field = text.replace("\"approx_age\"", "\"aproxage\"");
        let err = Household::from_json(&unknown_field, &tax, today()).unwrap_err();
        assert_eq!(err.code(), "malformed_document");
    }

    proptest! {
        #[test]
        fn generated_households_are_valid(h in strategies::household()) {
            let errs = validate_all(&h, &Taxonomies::builtin(), today());
            prop_assert!(errs.is_empty(), "{errs:?}");
            // And survive a JSON round trip through from_json.
            let text = serde_json::to_string(&h).unwrap();
            let back = Household::from_json(&text, &Taxonomies::builtin(), today()).unwrap();
            prop_assert_eq!(back, h);
        }
    }
}
