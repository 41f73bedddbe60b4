//! Consent (同意): consent records, their lifecycle, and the meeting track a case follows as
//! consent comes and goes.
//!
//! A [`ConsentRecord`] carries the fields of a consent receipt after ISO/IEC TS 27560: whose
//! consent, which information categories ([`InfoCategory`], two of them 要配慮個人情報), to whom
//! ([`Recipient`]: an agency, every agency of a kind, or a meeting type), for which purposes, on
//! which legal basis, how it was obtained, when, until when, and whether it was withdrawn.
//! Commands ([`ConsentCommand`]: give, refuse, withdraw) are checked by [`handle`] against the
//! records so far and yield an event ([`ConsentEvent`]) that [`apply`] folds in; both are pure,
//! so the journal stores the events and rebuilds the records by replay.
//!
//! **Dates.** A consent is in effect from the day it is given through its expiry date
//! (`expires_on` inclusive: "有効期限 2025年3月31日" means valid on March 31), and no longer on
//! and after the day of withdrawal (`withdrawn_on` inclusive). [`ConsentRecord::state_on`]
//! derives the state on any date.
//!
//! **Who consents** (`capacity.rs`): the person, a representative with the basis of the
//! authority ([`ConsentGiver`]: 代理人, 成年後見人 …), a minor together with a parent
//! ([`ParentConsent`]); each household member consents for their own information.
//!
//! This module owns the records; what they allow is decided by [`crate::disclosure::decide`].

mod capacity;
mod track;

pub use capacity::{check_capacity, is_minor, ConsentGiver, ParentConsent, Representative};
pub use track::{meeting_track, track_after, track_changes, MeetingTrack, TrackCause, TrackChange};

use crate::coded::Coded;
use crate::ids::*;
use crate::meeting::MeetingTypes;
use crate::privacy::Audience;
pub use crate::privacy::{InfoCategory, Recipient};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

crate::ids::string_newtype! {
    /// Consent record (同意書 / consent receipt) id.
    ConsentId,
}

impl Recipient {
    /// Whether this recipient names `audience`. Decision: a consent to an agency (or kind) does
    /// not cover a meeting that agency attends — a meeting has other members — and a consent to
    /// a meeting type does not cover a single agency outside the meeting.
    pub fn covers(&self, audience: &Audience, types: &MeetingTypes) -> bool {
        match (self, audience) {
            (Recipient::Agency(a), Audience::Agency { id, .. }) => a == id,
            (Recipient::AgencyKind(k), Audience::Agency { kind, .. }) => k == kind,
            (Recipient::MeetingType(c), Audience::Meeting { meeting_type, .. }) => {
                types.same_base(c, meeting_type)
            }
            _ => false,
        }
    }
}

/// How consent was obtained (取得方法).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    /// Signed form (同意書).
    Written,
    /// Spoken, recorded by the worker (口頭同意、記録あり).
    Verbal,
    /// Electronic (電子的な同意).
    Electronic,
}

/// The person's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Consent given (同意).
    Given,
    /// Consent refused (不同意).
    Refused,
}

/// State of a consent on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentState {
    /// Before the person answered: nothing is in effect yet.
    Pending,
    /// In effect.
    Given,
    /// Refused.
    Refused,
    /// Withdrawn (撤回) on or before the date.
    Withdrawn,
    /// Past its expiry date (期限切れ).
    Expired,
}

/// What a person is asked to consent to (the terms of a consent receipt).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentTerms {
    /// The person (本人) whose information it is.
    pub person: PersonId,
    /// Categories covered.
    pub scope: Vec<InfoCategory>,
    /// Recipients covered.
    pub recipients: Vec<Recipient>,
    /// Purpose codes covered; empty means any purpose of supporting this person (the usual
    /// wording of a 重層的支援 consent form). A disclosure's purpose must be listed otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub purposes: Vec<String>,
    /// Legal basis of the processing, e.g. `個人情報の保護に関する法律第27条第1項（本人の同意）`.
    pub legal_basis: String,
    /// How it was obtained.
    pub method: ConsentMethod,
    /// The agency that obtained it (ISO/IEC TS 27560: the controller).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub obtained_by: Option<AgencyId>,
    /// Last day in effect, when limited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_on: Option<NaiveDate>,
    /// The representative who gave it (代理人・成年後見人 …); absent when the person gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_by: Option<ConsentGiver>,
    /// A parent's consent given with a minor's own (親権者の同意).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<ParentConsent>,
}

/// A consent record (同意記録 / consent receipt).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentRecord {
    /// Record id.
    pub id: ConsentId,
    /// The person (本人) whose information it is.
    pub person: PersonId,
    /// Categories covered.
    pub scope: Vec<InfoCategory>,
    /// Recipients covered.
    pub recipients: Vec<Recipient>,
    /// Purpose codes covered; empty = any purpose of supporting the person.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub purposes: Vec<String>,
    /// Legal basis of the processing.
    pub legal_basis: String,
    /// How it was obtained.
    pub method: ConsentMethod,
    /// The agency that obtained it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub obtained_by: Option<AgencyId>,
    /// Given or refused.
    pub answer: Answer,
    /// Date of the answer (the given-on date of a consent).
    pub answered_on: NaiveDate,
    /// Last day in effect (a given consent only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_on: Option<NaiveDate>,
    /// Date of withdrawal (a given consent only); in effect no longer from that day on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_on: Option<NaiveDate>,
    /// The representative who gave it; absent when the person gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_by: Option<ConsentGiver>,
    /// A parent's consent given with a minor's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<ParentConsent>,
}

impl ConsentRecord {
    /// The date consent was given, if it was.
    pub fn given_on(&self) -> Option<NaiveDate> {
        (self.answer == Answer::Given).then_some(self.answered_on)
    }

    /// State on `date`.
    pub fn state_on(&self, date: NaiveDate) -> ConsentState {
        if date < self.answered_on {
            return ConsentState::Pending;
        }
        if self.answer == Answer::Refused {
            return ConsentState::Refused;
        }
        if self.withdrawn_on.is_some_and(|w| date >= w) {
            return ConsentState::Withdrawn;
        }
        if self.expires_on.is_some_and(|e| date > e) {
            return ConsentState::Expired;
        }
        ConsentState::Given
    }

    /// In effect on `date`.
    pub fn in_effect_on(&self, date: NaiveDate) -> bool {
        self.state_on(date) == ConsentState::Given
    }

    /// Whether the purposes cover `purpose` (empty purposes cover any).
    pub fn covers_purpose(&self, purpose: &str) -> bool {
        self.purposes.is_empty() || self.purposes.iter().any(|p| p == purpose)
    }

    /// Whether some recipient names `audience`.
    pub fn covers_audience(&self, audience: &Audience, types: &MeetingTypes) -> bool {
        self.recipients.iter().any(|r| r.covers(audience, types))
    }

    /// Record a given consent. Errors: `empty_consent_scope`, `no_recipients`,
    /// `expiry_before_consent`.
    pub fn give(id: ConsentId, terms: ConsentTerms, on: NaiveDate) -> Result<Self, ConsentError> {
        if terms.scope.is_empty() {
            return Err(ConsentError::EmptyScope {
                consent: id,
                path: "$.terms.scope".into(),
            });
        }
        if terms.recipients.is_empty() {
            return Err(ConsentError::NoRecipients {
                consent: id,
                path: "$.terms.recipients".into(),
            });
        }
        if let Some(e) = terms.expires_on.filter(|e| *e < on) {
            return Err(ConsentError::ExpiryBeforeConsent {
                consent: id,
                expires_on: e,
                given_on: on,
                path: "$.terms.expires_on".into(),
            });
        }
        Ok(Self::from_terms(id, terms, Answer::Given, on))
    }

    /// Record a refusal. The refused terms are kept (what was asked); an expiry is meaningless
    /// for a refusal and is dropped. A later consent is a new record.
    pub fn refuse(id: ConsentId, mut terms: ConsentTerms, on: NaiveDate) -> Self {
        terms.expires_on = None;
        Self::from_terms(id, terms, Answer::Refused, on)
    }

    /// This record withdrawn from `on`. Errors: `consent_not_given` (a refusal),
    /// `already_withdrawn`, `withdrawal_before_consent`. Withdrawing an expired consent is
    /// accepted: it records the person's will and changes nothing that is allowed.
    pub fn withdraw(&self, on: NaiveDate) -> Result<Self, ConsentError> {
        if self.answer != Answer::Given {
            return Err(ConsentError::NotGiven {
                consent: self.id.clone(),
                path: "$.id".into(),
            });
        }
        if let Some(w) = self.withdrawn_on {
            return Err(ConsentError::AlreadyWithdrawn {
                consent: self.id.clone(),
                withdrawn_on: w,
                path: "$.id".into(),
            });
        }
        if on < self.answered_on {
            return Err(ConsentError::WithdrawalBeforeConsent {
                consent: self.id.clone(),
                on,
                given_on: self.answered_on,
                path: "$.on".into(),
            });
        }
        Ok(ConsentRecord {
            withdrawn_on: Some(on),
            ..self.clone()
        })
    }

    fn from_terms(id: ConsentId, t: ConsentTerms, answer: Answer, on: NaiveDate) -> Self {
        ConsentRecord {
            id,
            person: t.person,
            scope: t.scope,
            recipients: t.recipients,
            purposes: t.purposes,
            legal_basis: t.legal_basis,
            method: t.method,
            obtained_by: t.obtained_by,
            answer,
            answered_on: on,
            expires_on: t.expires_on,
            withdrawn_on: None,
            given_by: t.given_by,
            parent: t.parent,
        }
    }
}

/// A consent command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "command", rename_all = "snake_case", deny_unknown_fields)]
pub enum ConsentCommand {
    /// The person gives consent.
    Give {
        /// New record id.
        id: ConsentId,
        /// What is consented to.
        terms: ConsentTerms,
        /// Date given.
        on: NaiveDate,
    },
    /// The person refuses.
    Refuse {
        /// New record id.
        id: ConsentId,
        /// What was asked.
        terms: ConsentTerms,
        /// Date refused.
        on: NaiveDate,
    },
    /// The person withdraws a consent.
    Withdraw {
        /// The record.
        id: ConsentId,
        /// First day no longer in effect.
        on: NaiveDate,
    },
}

/// A consent event, as the journal stores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "event", rename_all = "snake_case", deny_unknown_fields)]
pub enum ConsentEvent {
    /// Consent given: the new record.
    Given {
        /// The record.
        record: ConsentRecord,
    },
    /// Consent refused: the new record.
    Refused {
        /// The record.
        record: ConsentRecord,
    },
    /// Consent withdrawn.
    Withdrawn {
        /// The record.
        id: ConsentId,
        /// Whose consent.
        person: PersonId,
        /// First day no longer in effect.
        on: NaiveDate,
    },
}

impl ConsentEvent {
    /// The date the event takes effect.
    pub fn on(&self) -> NaiveDate {
        match self {
            ConsentEvent::Given { record } | ConsentEvent::Refused { record } => record.answered_on,
            ConsentEvent::Withdrawn { on, .. } => *on,
        }
    }
    /// The consent record it is about.
    pub fn consent(&self) -> &ConsentId {
        match self {
            ConsentEvent::Given { record } | ConsentEvent::Refused { record } => &record.id,
            ConsentEvent::Withdrawn { id, .. } => id,
        }
    }
}

/// Check `command` against the records so far; the event it produces, or an error (and nothing
/// changes). Errors: `duplicate_consent`, `unknown_consent`, and those of
/// [`ConsentRecord::give`] and [`ConsentRecord::withdraw`].
pub fn handle(
    consents: &[ConsentRecord],
    command: ConsentCommand,
) -> Result<ConsentEvent, ConsentError> {
    let fresh = |id: &ConsentId| -> Result<(), ConsentError> {
        if consents.iter().any(|c| &c.id == id) {
            Err(ConsentError::DuplicateConsent {
                consent: id.clone(),
                path: "$.id".into(),
            })
        } else {
            Ok(())
        }
    };
    match command {
        ConsentCommand::Give { id, terms, on } => {
            fresh(&id)?;
            Ok(ConsentEvent::Given {
                record: ConsentRecord::give(id, terms, on)?,
            })
        }
        ConsentCommand::Refuse { id, terms, on } => {
            fresh(&id)?;
            Ok(ConsentEvent::Refused {
                record: ConsentRecord::refuse(id, terms, on),
            })
        }
        ConsentCommand::Withdraw { id, on } => {
            let record = consents.iter().find(|c| c.id == id).ok_or_else(|| {
                ConsentError::UnknownConsent {
                    consent: id.clone(),
                    path: "$.id".into(),
                }
            })?;
            let withdrawn = record.withdraw(on)?;
            Ok(ConsentEvent::Withdrawn {
                id,
                person: withdrawn.person,
                on,
            })
        }
    }
}

/// Fold an event (produced by [`handle`]) into the records.
pub fn apply(consents: &mut Vec<ConsentRecord>, event: &ConsentEvent) {
    match event {
        ConsentEvent::Given { record } | ConsentEvent::Refused { record } => {
            consents.push(record.clone())
        }
        ConsentEvent::Withdrawn { id, on, .. } => {
            if let Some(c) = consents.iter_mut().find(|c| &c.id == id) {
                c.withdrawn_on = Some(*on);
            }
        }
    }
}

/// Errors of consent records.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConsentError {
    /// The expiry date is before the date consent was given.
    #[error(
        "consent `{consent}` expires on {expires_on}, before it was given on {given_on}, at {path}"
    )]
    ExpiryBeforeConsent {
        /// The record.
        consent: ConsentId,
        /// Expiry.
        expires_on: NaiveDate,
        /// Date given.
        given_on: NaiveDate,
        /// JSON path.
        path: String,
    },
    /// Withdrawal dated before the consent was given.
    #[error("consent `{consent}` withdrawn on {on}, before it was given on {given_on}, at {path}")]
    WithdrawalBeforeConsent {
        /// The record.
        consent: ConsentId,
        /// Withdrawal date.
        on: NaiveDate,
        /// Date given.
        given_on: NaiveDate,
        /// JSON path.
        path: String,
    },
    /// The consent was already withdrawn.
    #[error("consent `{consent}` was already withdrawn on {withdrawn_on}, at {path}")]
    AlreadyWithdrawn {
        /// The record.
        consent: ConsentId,
        /// Earlier withdrawal.
        withdrawn_on: NaiveDate,
        /// JSON path.
        path: String,
    },
    /// Withdrawing a refusal.
    #[error("consent `{consent}` was refused, not given; nothing to withdraw, at {path}")]
    NotGiven {
        /// The record.
        consent: ConsentId,
        /// JSON path.
        path: String,
    },
    /// A consent covering no category.
    #[error("consent `{consent}` covers no information category at {path}")]
    EmptyScope {
        /// The record.
        consent: ConsentId,
        /// JSON path.
        path: String,
    },
    /// A consent naming no recipient.
    #[error("consent `{consent}` names no recipient at {path}")]
    NoRecipients {
        /// The record.
        consent: ConsentId,
        /// JSON path.
        path: String,
    },
    /// A record id already used.
    #[error("consent `{consent}` already exists at {path}")]
    DuplicateConsent {
        /// The record.
        consent: ConsentId,
        /// JSON path.
        path: String,
    },
    /// A representative's consent without the basis of the authority.
    #[error("consent `{consent}` given by a representative without the basis at {path}")]
    ProxyWithoutBasis {
        /// The record.
        consent: ConsentId,
        /// JSON path.
        path: String,
    },
    /// 親権者 named as the representative of an adult.
    #[error("consent `{consent}`: parental authority does not extend to an adult at {path}")]
    ParentOfAdult {
        /// The record.
        consent: ConsentId,
        /// JSON path.
        path: String,
    },
    /// A minor's own consent without a parent's.
    #[error("consent `{consent}` of a minor needs a parent's consent at {path}")]
    MinorWithoutParent {
        /// The record.
        consent: ConsentId,
        /// JSON path.
        path: String,
    },
    /// A record id not known.
    #[error("unknown consent `{consent}` at {path}")]
    UnknownConsent {
        /// The record.
        consent: ConsentId,
        /// JSON path.
        path: String,
    },
}

impl ConsentError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[
        "expiry_before_consent",
        "withdrawal_before_consent",
        "already_withdrawn",
        "consent_not_given",
        "empty_consent_scope",
        "no_recipients",
        "duplicate_consent",
        "unknown_consent",
        "proxy_without_basis",
        "parent_of_adult",
        "minor_without_parent_consent",
    ];
}

impl Coded for ConsentError {
    fn code(&self) -> &'static str {
        match self {
            ConsentError::ExpiryBeforeConsent { .. } => "expiry_before_consent",
            ConsentError::WithdrawalBeforeConsent { .. } => "withdrawal_before_consent",
            ConsentError::AlreadyWithdrawn { .. } => "already_withdrawn",
            ConsentError::NotGiven { .. } => "consent_not_given",
            ConsentError::EmptyScope { .. } => "empty_consent_scope",
            ConsentError::NoRecipients { .. } => "no_recipients",
            ConsentError::DuplicateConsent { .. } => "duplicate_consent",
            ConsentError::UnknownConsent { .. } => "unknown_consent",
            ConsentError::ProxyWithoutBasis { .. } => "proxy_without_basis",
            ConsentError::ParentOfAdult { .. } => "parent_of_adult",
            ConsentError::MinorWithoutParent { .. } => "minor_without_parent_consent",
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            ConsentError::ExpiryBeforeConsent { path, .. }
            | ConsentError::WithdrawalBeforeConsent { path, .. }
            | ConsentError::AlreadyWithdrawn { path, .. }
            | ConsentError::NotGiven { path, .. }
            | ConsentError::EmptyScope { path, .. }
            | ConsentError::NoRecipients { path, .. }
            | ConsentError::DuplicateConsent { path, .. }
            | ConsentError::UnknownConsent { path, .. }
            | ConsentError::ProxyWithoutBasis { path, .. }
            | ConsentError::ParentOfAdult { path, .. }
            | ConsentError::MinorWithoutParent { path, .. } => Some(path.clone()),
        }
    }
    fn kind(&self) -> crate::coded::ErrorKind {
        match self {
            ConsentError::ExpiryBeforeConsent { .. } => crate::coded::ErrorKind::Consent,
            ConsentError::WithdrawalBeforeConsent { .. } => crate::coded::ErrorKind::Consent,
            ConsentError::AlreadyWithdrawn { .. } => crate::coded::ErrorKind::Transition,
            ConsentError::NotGiven { .. } => crate::coded::ErrorKind::Consent,
            ConsentError::EmptyScope { .. } => crate::coded::ErrorKind::Consent,
            ConsentError::NoRecipients { .. } => crate::coded::ErrorKind::Consent,
            ConsentError::DuplicateConsent { .. } => crate::coded::ErrorKind::AlreadyExists,
            ConsentError::UnknownConsent { .. } => crate::coded::ErrorKind::NotFound,
            ConsentError::ProxyWithoutBasis { .. } => crate::coded::ErrorKind::Consent,
            ConsentError::ParentOfAdult { .. } => crate::coded::ErrorKind::Consent,
            ConsentError::MinorWithoutParent { .. } => crate::coded::ErrorKind::Consent,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    pub(crate) fn terms(person: &str, scope: &[InfoCategory], to: Recipient) -> ConsentTerms {
        ConsentTerms {
            person: person.into(),
            scope: scope.to_vec(),
            recipients: vec![to],
            purposes: vec![],
            legal_basis: "個人情報の保護に関する法律第27条第1項（本人の同意）".into(),
            method: ConsentMethod::Written,
            obtained_by: Some("csw".into()),
            expires_on: None,
            given_by: None,
            parent: None,
        }
    }

    fn ml() -> Recipient {
        Recipient::MeetingType("multi_layered_support_meeting".into())
    }

    #[test]
    fn lifecycle_states_by_date() {
        let mut t = terms("p", &InfoCategory::ALL, ml());
        t.expires_on = Some(d("2025-03-31"));
        let c = ConsentRecord::give("c1".into(), t, d("2024-06-01")).unwrap();
        assert_eq!(c.given_on(), Some(d("2024-06-01")));
        assert_eq!(c.state_on(d("2024-05-31")), ConsentState::Pending);
        assert_eq!(c.state_on(d("2024-06-01")), ConsentState::Given);
        assert_eq!(c.state_on(d("2025-03-31")), ConsentState::Given);
        assert_eq!(c.state_on(d("2025-04-01")), ConsentState::Expired);
        let w = c.withdraw(d("2024-09-01")).unwrap();
        assert_eq!(w.state_on(d("2024-08-31")), ConsentState::Given);
        assert_eq!(w.state_on(d("2024-09-01")), ConsentState::Withdrawn);
        assert_eq!(w.state_on(d("2025-04-01")), ConsentState::Withdrawn);
        let r = ConsentRecord::refuse("c2".into(), terms("p", &[], ml()), d("2024-06-01"));
        assert_eq!(r.given_on(), None);
        assert_eq!(r.state_on(d("2024-06-01")), ConsentState::Refused);
        assert!(!r.in_effect_on(d("2030-01-01")));
    }

    #[test]
    fn command_errors() {
        let on = d("2024-06-01");
        let mut t = terms("p", &InfoCategory::ALL, ml());
        t.expires_on = Some(d("2024-05-31"));
        let e = ConsentRecord::give("c".into(), t, on).unwrap_err();
        assert_eq!(e.code(), "expiry_before_consent");
        assert_eq!(e.path().as_deref(), Some("$.terms.expires_on"));
        // Expiry on the day given: valid for that day.
        let mut t = terms("p", &InfoCategory::ALL, ml());
        t.expires_on = Some(on);
        assert!(ConsentRecord::give("c".into(), t, on)
            .unwrap()
            .in_effect_on(on));

        let e = ConsentRecord::give("c".into(), terms("p", &[], ml()), on).unwrap_err();
        assert_eq!(e.code(), "empty_consent_scope");
        let mut t = terms("p", &InfoCategory::ALL, ml());
        t.recipients.clear();
        assert_eq!(
            ConsentRecord::give("c".into(), t, on).unwrap_err().code(),
            "no_recipients"
        );

        let c = ConsentRecord::give("c".into(), terms("p", &InfoCategory::ALL, ml()), on).unwrap();
        let e = c.withdraw(d("2024-05-01")).unwrap_err();
        assert_eq!(e.code(), "withdrawal_before_consent");
        assert_eq!(e.path().as_deref(), Some("$.on"));
        let w = c.withdraw(on).unwrap();
        assert_eq!(
            w.withdraw(d("2024-07-01")).unwrap_err().code(),
            "already_withdrawn"
        );
        let r = ConsentRecord::refuse("r".into(), terms("p", &[], ml()), on);
        assert_eq!(r.withdraw(on).unwrap_err().code(), "consent_not_given");
    }

    #[test]
    fn handle_and_apply_replay_the_commands() {
        let mut book = Vec::new();
        let give = ConsentCommand::Give {
            id: "c1".into(),
            terms: terms("p", &[InfoCategory::Identity], ml()),
            on: d("2024-06-01"),
        };
        let ev = handle(&book, give.clone()).unwrap();
        assert_eq!(ev.on(), d("2024-06-01"));
        apply(&mut book, &ev);
        assert_eq!(book.len(), 1);
        // Same id again: rejected, nothing changes.
        let snapshot = book.clone();
        assert_eq!(handle(&book, give).unwrap_err().code(), "duplicate_consent");
        assert_eq!(book, snapshot);
        let e = handle(
            &book,
            ConsentCommand::Withdraw {
                id: "nope".into(),
                on: d("2024-07-01"),
            },
        )
        .unwrap_err();
        assert_eq!(e.code(), "unknown_consent");
        let ev = handle(
            &book,
            ConsentCommand::Withdraw {
                id: "c1".into(),
                on: d("2024-07-01"),
            },
        )
        .unwrap();
        assert_eq!(ev.consent().as_str(), "c1");
        apply(&mut book, &ev);
        assert_eq!(book[0].withdrawn_on, Some(d("2024-07-01")));
        // Events round-trip through JSON, as the journal stores them.
        let json = serde_json::to_string(&ev).unwrap();
        assert!(json.contains("\"event\":\"withdrawn\""));
        assert_eq!(serde_json::from_str::<ConsentEvent>(&json).unwrap(), ev);
    }

    #[test]
    fn recipients_match_audiences() {
        let types = MeetingTypes::builtin();
        let agency = Audience::Agency {
            id: "hc".into(),
            kind: "community_general_support_center".into(),
        };
        let meeting = Audience::Meeting {
            meeting_type: "multi_layered_support_meeting".into(),
            participants_acknowledged: true,
        };
        assert!(Recipient::Agency("hc".into()).covers(&agency, &types));
        assert!(!Recipient::Agency("other".into()).covers(&agency, &types));
        assert!(
            Recipient::AgencyKind("community_general_support_center".into())
                .covers(&agency, &types)
        );
        assert!(!Recipient::Agency("hc".into()).covers(&meeting, &types));
        assert!(ml().covers(&meeting, &types));
        assert!(!ml().covers(&agency, &types));
        assert!(!Recipient::MeetingType("support_meeting".into()).covers(&meeting, &types));
        // Unknown codes never match.
        assert!(!Recipient::MeetingType("nope".into()).covers(&meeting, &types));
    }

    #[test]
    fn special_care_categories() {
        let special: Vec<_> = InfoCategory::ALL
            .into_iter()
            .filter(|c| c.is_special_care())
            .map(InfoCategory::code)
            .collect();
        assert_eq!(special, ["health_disability", "legal_criminal"]);
    }
}
