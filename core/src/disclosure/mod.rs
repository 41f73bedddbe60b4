//! Disclosure (情報提供): what an audience may see of a case, on which basis, the view actually
//! shown, and the provision record (第三者提供記録) every disclosure leaves.
//!
//! **One entry point**, [`decide`]. The rule is data, not a tree of branches: the categories an
//! audience may see are the union of
//! - the categories its personal-information rule opens without consent
//!   ([`crate::meeting::PersonalInfoRule::categories_without_consent`]: every category for a
//!   statutory-confidentiality meeting such as 支援会議, none for consent-required meetings and for
//!   single agencies), each on [`Basis::Statute`] with the type's legal basis, and
//! - the scope of every consent of the person in effect on the request date that names the
//!   audience and covers the purpose, each on [`Basis::Consent`],
//!
//! and the level ([`DisclosureLevel`]) follows from that set. An aggregate-only audience sees no
//! case at all (`personal_info_not_allowed`); an empty set is `consent_required`.
//!
//! **Decisions.** (1) Under 社会福祉法第106条の6 (and the other statutory meetings) members may
//! exchange the information the case needs, special-care categories (要配慮個人情報) included:
//! the engine opens every category and the presenter chooses what is needed by passing the
//! categories shown to [`disclose`] / [`redact`] (data minimisation happens there). (2) Where a
//! statute and a consent both cover a category the statute is recorded as the basis: it is the
//! meeting's own basis and survives a withdrawal, so the record does not suggest otherwise.
//! (3) Aggregate figures ([`ViewKind::Aggregate`]) are not personal information: any audience
//! may have them and they leave no provision record.
//!
//! This module decides and records; it does not store — the journal keeps the
//! [`ProvisionRecord`]s, and [`access_log`] reads them.

mod pseudonym;
mod view;

#[cfg(test)]
mod tests;

pub use pseudonym::{
    pseudonymise, relative_day, PseudonymisedCase, PseudonymousMember, PseudonymousTie, RelativeDay,
};
pub use view::{redact, CaseView, IssueCategories, MemberView};

use crate::coded::Coded;
use crate::consent::{ConsentId, ConsentRecord, ConsentState};
use crate::ids::*;
use crate::meeting::{MeetingTypes, PersonalInfoRule};
pub use crate::privacy::Audience;
use crate::privacy::InfoCategory;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What the audience asks for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ViewKind {
    /// The case itself (personal information).
    #[default]
    Case,
    /// Only aggregate figures the case contributes to (no personal information).
    Aggregate,
}

/// A request to show a case to an audience.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DisclosureRequest {
    /// The case.
    pub case: CaseId,
    /// The person (本人) whose information it is.
    pub person: PersonId,
    /// Who would see it.
    pub audience: Audience,
    /// Purpose code (matched against consents that list purposes).
    pub purpose: String,
    /// Date of the disclosure.
    pub on: NaiveDate,
    /// Case view (default) or aggregate figures.
    #[serde(default)]
    pub view: ViewKind,
}

/// How much of a case an audience sees.
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
pub enum DisclosureLevel {
    /// Aggregate figures only; no personal information.
    AggregateOnly,
    /// Some categories, but neither the full view nor every non-special category.
    Partial,
    /// Every category except the special-care ones (要配慮個人情報を除く).
    WithoutSpecialCare,
    /// Every category.
    Full,
}

impl DisclosureLevel {
    /// The level a set of categories amounts to.
    pub fn of(categories: &[InfoCategory]) -> Self {
        let has = |c: &InfoCategory| categories.contains(c);
        if categories.is_empty() {
            DisclosureLevel::AggregateOnly
        } else if InfoCategory::ALL.iter().all(has) {
            DisclosureLevel::Full
        } else if InfoCategory::ALL
            .iter()
            .all(|c| has(c) != c.is_special_care())
        {
            DisclosureLevel::WithoutSpecialCare
        } else {
            DisclosureLevel::Partial
        }
    }
}

/// Why information may be provided.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The person's consent (the record id).
    Consent(ConsentId),
    /// A statute (the meeting type's legal basis, e.g. `社会福祉法第106条の6`).
    Statute(String),
}

/// One category allowed, with its basis.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    /// The category.
    pub category: InfoCategory,
    /// Its basis.
    pub basis: Basis,
}

/// What an audience may see of a case, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DisclosureDecision {
    /// The request decided.
    pub request: DisclosureRequest,
    /// The level.
    pub level: DisclosureLevel,
    /// Categories allowed, in [`InfoCategory::ALL`] order, each with its basis (empty at
    /// [`DisclosureLevel::AggregateOnly`]).
    pub grants: Vec<Grant>,
}

impl DisclosureDecision {
    /// The categories allowed.
    pub fn categories(&self) -> Vec<InfoCategory> {
        self.grants.iter().map(|g| g.category).collect()
    }
    /// Whether `category` is allowed.
    pub fn allows(&self, category: InfoCategory) -> bool {
        self.grants.iter().any(|g| g.category == category)
    }
    /// The categories actually shown when the presenter offers `shown`: those allowed and
    /// offered, in [`InfoCategory::ALL`] order.
    pub fn effective(&self, shown: &[InfoCategory]) -> Vec<InfoCategory> {
        self.grants
            .iter()
            .map(|g| g.category)
            .filter(|c| shown.contains(c))
            .collect()
    }
}

/// Why a consent-based disclosure is refused (`consent_required`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MissingConsent {
    /// The person has no consent record at all.
    NoConsent,
    /// The consents name other recipients.
    RecipientNotCovered,
    /// A consent names the audience but not this purpose.
    PurposeNotCovered,
    /// The consent naming the audience is dated after the request.
    NotYetGiven,
    /// The person refused.
    Refused,
    /// The consent was withdrawn on or before the request date.
    Withdrawn,
    /// The consent expired before the request date.
    Expired,
}

impl std::fmt::Display for MissingConsent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MissingConsent::NoConsent => "no consent recorded",
            MissingConsent::RecipientNotCovered => "no consent names this audience",
            MissingConsent::PurposeNotCovered => "the consent does not cover this purpose",
            MissingConsent::NotYetGiven => "the consent is not yet given on that date",
            MissingConsent::Refused => "consent was refused",
            MissingConsent::Withdrawn => "consent was withdrawn",
            MissingConsent::Expired => "consent expired",
        })
    }
}

/// Errors of disclosure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DisclosureError {
    /// An unknown or invalid vocabulary code.
    #[error(transparent)]
    Taxonomy(#[from] crate::taxonomy::TaxonomyError),
    /// The audience needs a consent that is missing, withdrawn, expired or out of scope.
    #[error("consent required to show case `{case}` (person `{person}`) to {audience}: {reason}")]
    ConsentRequired {
        /// The case.
        case: CaseId,
        /// The person.
        person: PersonId,
        /// The audience.
        audience: Audience,
        /// Why no consent applies.
        reason: MissingConsent,
    },
    /// An aggregate-only audience asked for an individual case.
    #[error("{audience} sees aggregate figures only; case `{case}` may not be shown")]
    PersonalInfoNotAllowed {
        /// The case.
        case: CaseId,
        /// The audience.
        audience: Audience,
    },
    /// A meeting whose type requires acknowledgement, some participant not having given it.
    #[error("participants of {audience} have not all acknowledged confidentiality")]
    ConfidentialityNotAcknowledged {
        /// The audience.
        audience: Audience,
    },
    /// A disclosure dated before the person's last consent event (an answer or a withdrawal)
    /// was recorded (`date_before_consent_event`): once consent has changed, a provision record
    /// may not be placed before the change, where the earlier consent would still seem to hold.
    #[error(
        "disclosure dated {on} is before the last consent event of person `{person}` ({last})"
    )]
    DateBeforeConsentEvent {
        /// The person.
        person: PersonId,
        /// The disclosure's date.
        on: NaiveDate,
        /// The date of the person's last consent event.
        last: NaiveDate,
    },
    /// A person not in the household.
    #[error("person `{person}` is not a member of household `{household}`")]
    UnknownPerson {
        /// The person.
        person: PersonId,
        /// The household.
        household: HouseholdId,
    },
}

impl DisclosureError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[
        "consent_required",
        "personal_info_not_allowed",
        "confidentiality_not_acknowledged",
        "date_before_consent_event",
        "unknown_person",
    ];
}

impl Coded for DisclosureError {
    fn code(&self) -> &'static str {
        match self {
            DisclosureError::Taxonomy(e) => e.code(),
            DisclosureError::ConsentRequired { .. } => "consent_required",
            DisclosureError::PersonalInfoNotAllowed { .. } => "personal_info_not_allowed",
            DisclosureError::ConfidentialityNotAcknowledged { .. } => {
                "confidentiality_not_acknowledged"
            }
            DisclosureError::DateBeforeConsentEvent { .. } => "date_before_consent_event",
            DisclosureError::UnknownPerson { .. } => "unknown_person",
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            DisclosureError::Taxonomy(e) => e.path(),
            DisclosureError::ConsentRequired { .. } => Some("$.audience".into()),
            DisclosureError::PersonalInfoNotAllowed { .. } => Some("$.view".into()),
            DisclosureError::ConfidentialityNotAcknowledged { .. } => {
                Some("$.audience.participants_acknowledged".into())
            }
            DisclosureError::DateBeforeConsentEvent { .. } => Some("$.request.on".into()),
            DisclosureError::UnknownPerson { .. } => Some("$.person".into()),
        }
    }
    fn kind(&self) -> crate::coded::ErrorKind {
        match self {
            DisclosureError::Taxonomy(e) => e.kind(),
            DisclosureError::ConsentRequired { .. } => crate::coded::ErrorKind::Consent,
            DisclosureError::PersonalInfoNotAllowed { .. } => crate::coded::ErrorKind::Consent,
            DisclosureError::ConfidentialityNotAcknowledged { .. } => {
                crate::coded::ErrorKind::Consent
            }
            DisclosureError::DateBeforeConsentEvent { .. } => crate::coded::ErrorKind::Consent,
            DisclosureError::UnknownPerson { .. } => crate::coded::ErrorKind::NotFound,
        }
    }
}

/// Decide what `request.audience` may see of the case (see the module docs for the rule).
///
/// Errors: `unknown_code` (meeting type, at `$.audience.meeting_type`),
/// `confidentiality_not_acknowledged`, `personal_info_not_allowed`, `consent_required`.
pub fn decide(
    request: &DisclosureRequest,
    consents: &[ConsentRecord],
    meeting_types: &MeetingTypes,
) -> Result<DisclosureDecision, DisclosureError> {
    let (rule, statute) = match &request.audience {
        Audience::Agency { .. } => (PersonalInfoRule::ConsentRequired, None),
        Audience::Meeting {
            meeting_type,
            participants_acknowledged,
        } => {
            let ty = meeting_types
                .check(meeting_type, "$.audience.meeting_type")?
                .base;
            if ty.requires_acknowledgement
                && !participants_acknowledged
                && request.view == ViewKind::Case
            {
                return Err(DisclosureError::ConfidentialityNotAcknowledged {
                    audience: request.audience.clone(),
                });
            }
            (ty.personal_info, Some(ty.legal_basis.clone()))
        }
    };
    if request.view == ViewKind::Aggregate {
        return Ok(DisclosureDecision {
            request: request.clone(),
            level: DisclosureLevel::AggregateOnly,
            grants: Vec::new(),
        });
    }
    if !rule.allows_cases() {
        return Err(DisclosureError::PersonalInfoNotAllowed {
            case: request.case.clone(),
            audience: request.audience.clone(),
        });
    }
    let by_statute = rule.categories_without_consent();
    let usable: Vec<&ConsentRecord> = consents
        .iter()
        .filter(|c| applies(c, request, meeting_types))
        .collect();
    let grants: Vec<Grant> = InfoCategory::ALL
        .into_iter()
        .filter_map(|category| {
            let basis = match (&statute, by_statute.contains(&category)) {
                (Some(text), true) => Some(Basis::Statute(text.clone())),
                _ => usable
                    .iter()
                    .find(|c| c.scope.contains(&category))
                    .map(|c| Basis::Consent(c.id.clone())),
            }?;
            Some(Grant { category, basis })
        })
        .collect();
    if grants.is_empty() {
        return Err(DisclosureError::ConsentRequired {
            case: request.case.clone(),
            person: request.person.clone(),
            audience: request.audience.clone(),
            reason: missing_reason(request, consents, meeting_types),
        });
    }
    let categories: Vec<InfoCategory> = grants.iter().map(|g| g.category).collect();
    Ok(DisclosureDecision {
        request: request.clone(),
        level: DisclosureLevel::of(&categories),
        grants,
    })
}

/// Whether a consent record lets information reach the request's audience on its date.
fn applies(c: &ConsentRecord, r: &DisclosureRequest, types: &MeetingTypes) -> bool {
    c.person == r.person
        && c.in_effect_on(r.on)
        && c.covers_audience(&r.audience, types)
        && c.covers_purpose(&r.purpose)
}

fn missing_reason(
    r: &DisclosureRequest,
    consents: &[ConsentRecord],
    types: &MeetingTypes,
) -> MissingConsent {
    let mine: Vec<&ConsentRecord> = consents.iter().filter(|c| c.person == r.person).collect();
    let naming: Vec<&&ConsentRecord> = mine
        .iter()
        .filter(|c| c.covers_audience(&r.audience, types))
        .collect();
    let fitting = naming
        .iter()
        .filter(|c| c.covers_purpose(&r.purpose))
        .max_by_key(|c| c.answered_on);
    match fitting {
        Some(c) => match c.state_on(r.on) {
            ConsentState::Pending => MissingConsent::NotYetGiven,
            ConsentState::Refused => MissingConsent::Refused,
            ConsentState::Withdrawn => MissingConsent::Withdrawn,
            ConsentState::Expired => MissingConsent::Expired,
            // In effect but scope empty (a record built by hand): nothing in scope.
            ConsentState::Given => MissingConsent::RecipientNotCovered,
        },
        None if !naming.is_empty() => MissingConsent::PurposeNotCovered,
        None if !mine.is_empty() => MissingConsent::RecipientNotCovered,
        None => MissingConsent::NoConsent,
    }
}

/// A provision record (第三者提供記録): one disclosure of a person's information.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProvisionRecord {
    /// Date provided.
    pub on: NaiveDate,
    /// The agency that provided it.
    pub provider: AgencyId,
    /// To whom.
    pub audience: Audience,
    /// Whose information.
    pub person: PersonId,
    /// The case.
    pub case: CaseId,
    /// Purpose.
    pub purpose: String,
    /// Level of what was shown.
    pub level: DisclosureLevel,
    /// Categories shown, each with its basis.
    pub grants: Vec<Grant>,
    /// The held meeting it was shown at (会議), when the audience was one; none in records
    /// written before meeting records existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<crate::meeting::MeetingId>,
    /// Who received it (提供先): the meeting's attendees; empty for an agency audience (the
    /// agency itself) and in older records.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipients: Vec<crate::meeting::AttendeeRef>,
}

impl ProvisionRecord {
    /// The categories shown.
    pub fn categories(&self) -> Vec<InfoCategory> {
        self.grants.iter().map(|g| g.category).collect()
    }
}

/// The outcome of [`disclose`]: the decision and, when personal information is shown, the
/// provision record to journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Disclosure {
    /// The decision.
    pub decision: DisclosureDecision,
    /// The record; `None` when nothing personal is shown (aggregate figures, or nothing of
    /// what was allowed offered).
    pub record: Option<ProvisionRecord>,
    /// Categories the presenter offered that the decision does not allow (not shown).
    pub withheld: Vec<InfoCategory>,
}

/// Decide, then record what `provider` actually shows: the categories in `shown` that the
/// decision allows (show the view with [`redact`] and the same `shown`). Same errors as
/// [`decide`]; on error nothing is recorded.
pub fn disclose(
    request: &DisclosureRequest,
    consents: &[ConsentRecord],
    meeting_types: &MeetingTypes,
    provider: &AgencyId,
    shown: &[InfoCategory],
) -> Result<Disclosure, DisclosureError> {
    let decision = decide(request, consents, meeting_types)?;
    let grants: Vec<Grant> = decision
        .grants
        .iter()
        .filter(|g| shown.contains(&g.category))
        .cloned()
        .collect();
    let withheld = InfoCategory::ALL
        .into_iter()
        .filter(|c| shown.contains(c) && !decision.allows(*c))
        .collect();
    let record = (!grants.is_empty()).then(|| {
        let categories: Vec<InfoCategory> = grants.iter().map(|g| g.category).collect();
        ProvisionRecord {
            on: request.on,
            provider: provider.clone(),
            audience: request.audience.clone(),
            person: request.person.clone(),
            case: request.case.clone(),
            purpose: request.purpose.clone(),
            level: DisclosureLevel::of(&categories),
            grants,
            meeting: None,
            recipients: Vec::new(),
        }
    });
    Ok(Disclosure {
        decision,
        record,
        withheld,
    })
}

/// The access log of a person (開示記録): every provision of their information — who saw what,
/// when and why — in date order (records of one day keep their journal order).
pub fn access_log<'a>(
    records: &'a [ProvisionRecord],
    person: &PersonId,
) -> Vec<&'a ProvisionRecord> {
    let mut out: Vec<&ProvisionRecord> = records.iter().filter(|r| &r.person == person).collect();
    out.sort_by_key(|r| r.on);
    out
}
