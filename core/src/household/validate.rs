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
//! - An issue is recorded once per member (or household) whatever its status: a past issue that
//!   recurs becomes current again, it is not listed twice. An unknown status is
//!   `unknown_issue_status` at `….issues[j].status`; an onset after `today` is the one date rule's
//!   `date_in_future` at `….issues[j].onset`.
//! - A household over the configured [`Limits`] (members per household, id bytes) is refused
//!   with the one error `limit_exceeded` before anything else is looked at: it is hostile or
//!   broken input, not a form to mark field by field.
//! - Eco-map ties must name existing members; agency ends of ties are checked against the agency
//!   directory by whoever holds one, not here.

use super::{Household, Relation};
use super::{Issue, IssueStatus};
use crate::coded::Coded;
use crate::ids::{IssueCode, PersonId};
use crate::limits::{Limit, LimitError, Limits};
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
    /// An issue status this version does not know (not current / past / suspected / resolved).
    #[error("unknown issue status at {path}")]
    UnknownIssueStatus {
        /// JSON path of the status.
        path: String,
    },
    /// An issue onset after `today` (the one date rule).
    #[error(transparent)]
    DateInFuture(#[from] crate::calendar::DateInFuture),
    /// An issue listed twice for the same member or for the household.
    #[error("issue `{code}` is listed twice at {path}")]
    DuplicateIssue {
        /// The issue code.
        code: IssueCode,
        /// JSON path of the second occurrence.
        path: String,
    },
    /// A household over a configured limit (members, id bytes): `limit_exceeded`.
    #[error(transparent)]
    Limit(#[from] LimitError),
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
        "unknown_issue_status",
        "date_in_future",
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
            HouseholdError::UnknownIssueStatus { .. } => "unknown_issue_status",
            HouseholdError::DateInFuture(e) => e.code(),
            HouseholdError::Limit(e) => e.code(),
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            HouseholdError::Document(e) => e.path(),
            HouseholdError::Taxonomy(e) => e.path(),
            HouseholdError::DateInFuture(e) => e.path(),
            HouseholdError::Limit(e) => e.path(),
            HouseholdError::UnknownIssueStatus { path }
            | HouseholdError::EmptyId { path }
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
            HouseholdError::UnknownIssueStatus { .. } => crate::coded::ErrorKind::Invalid,
            HouseholdError::DateInFuture(e) => e.kind(),
            HouseholdError::Limit(e) => e.kind(),
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
    validate_all_within(household, tax, today, &Limits::default())
}

/// The size of `household` against `limits`: members, then the bytes of every id.
pub fn check_limits(household: &Household, limits: &Limits) -> Result<(), LimitError> {
    limits.check(
        Limit::HouseholdMembers,
        household.members.len(),
        "$.members",
    )?;
    limits.check(Limit::IdBytes, household.id.as_str().len(), "$.id")?;
    for (i, m) in household.members.iter().enumerate() {
        let path = format!("$.members[{i}].id");
        limits.check(Limit::IdBytes, m.id.as_str().len(), &path)?;
    }
    Ok(())
}

/// [`validate_all`] under a municipality's `limits` (the registry passes its own): a
/// household over a limit has that one problem, `limit_exceeded`.
pub fn validate_all_within(
    household: &Household,
    tax: &Taxonomies,
    today: NaiveDate,
    limits: &Limits,
) -> Vec<HouseholdError> {
    if let Err(e) = check_limits(household, limits) {
        return vec![e.into()];
    }
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
        check_issues(&m.issues, &format!("{base}.issues"), tax, today, &mut errs);
    }
    check_issues(&household.issues, "$.issues", tax, today, &mut errs);

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

/// Issues of one list: each code known to the taxonomy and listed once, each status known,
/// each onset not after `today`. Paths name the code itself for a plain string and
/// `.code` / `.status` / `.onset` for the object form.
fn check_issues(
    issues: &[Issue],
    base: &str,
    tax: &Taxonomies,
    today: NaiveDate,
    errs: &mut Vec<HouseholdError>,
) {
    let mut seen: HashSet<&IssueCode> = HashSet::new();
    for (j, issue) in issues.iter().enumerate() {
        let plain =
            issue.status == IssueStatus::Current && issue.onset.is_none() && issue.source.is_none();
        let at = format!("{base}[{j}]");
        let code_path = if plain {
            at.clone()
        } else {
            format!("{at}.code")
        };
        if let Err(e) = tax.check_issue(&issue.code, &code_path) {
            errs.push(e.into());
        } else if !seen.insert(&issue.code) {
            errs.push(HouseholdError::DuplicateIssue {
                code: issue.code.clone(),
                path: code_path,
            });
        }
        if issue.status == IssueStatus::Unrecognised {
            errs.push(HouseholdError::UnknownIssueStatus {
                path: format!("{at}.status"),
            });
        }
        if let Some(onset) = issue.onset {
            if let Err(e) = crate::calendar::not_in_future(onset, today, &format!("{at}.onset")) {
                errs.push(e.into());
            }
        }
    }
}

/// `Ok` when `household` is valid; otherwise the first problem [`validate_all`] finds.
pub fn validate(
    household: &Household,
    tax: &Taxonomies,
    today: NaiveDate,
) -> Result<(), HouseholdError> {
    validate_within(household, tax, today, &Limits::default())
}

/// [`validate`] under a municipality's `limits`.
pub fn validate_within(
    household: &Household,
    tax: &Taxonomies,
    today: NaiveDate,
    limits: &Limits,
) -> Result<(), HouseholdError> {
    match validate_all_within(household, tax, today, limits)
        .into_iter()
        .next()
    {
        None => Ok(()),
        Some(e) => Err(e),
    }
}

#[cfg(test)]
mod tests;
