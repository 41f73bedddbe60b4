//! Referrals (つなぎ) and the liaison contact log (連絡調整記録), DOMAIN.md §4.
//!
//! This module owns:
//! - the referral lifecycle ([`Referral`], [`ReferralCommand`], [`Referral::apply`]): proposed →
//!   sent → accepted / declined → completed, or revoked by the sender, with who may do what;
//! - the "no household is ever dropped" guarantee: a declined, revoked or stalled referral comes
//!   back to the sender's queue with the next options ([`stalled_referrals`], [`sender_queue`]);
//! - the liaison contact log ([`LiaisonContact`]) with Sendai's ten CSW roles and four functions,
//!   and the per-agency-kind tally that is the shape of Ishinomaki's Table 1
//!   ([`contacts_by_agency_kind`], [`sector_subtotals`]).
//!
//! - the basis of a referral's information sharing ([`ReferralBasis`]: consent or a legal
//!   basis) and its provision record ([`provision`], `basis.rs`).
//!
//! It does not own which agency a household *should* go to in the first place (see `routing`),
//! the case lifecycle (see `case`: closing a case as `transferred` needs an accepted referral), or
//! the agency directory itself (see `agency`).

mod basis;
mod contact;
mod lifecycle;
mod queue;

pub use basis::{provision, ReferralBasis, Sharing};
pub use contact::{
    contacts_by_agency_kind, sector_subtotals, validate_contacts, ContactChannel, CswFunction,
    CswRole, LiaisonContact,
};
pub use lifecycle::{
    DeclineReason, DeclineReasonCode, Referral, ReferralAction, ReferralCommand, ReferralProposal,
    ReferralState, ReferralStatus, ReferralTransition,
};
pub use queue::{
    sender_queue, sender_queue_with, stalled_referrals, stalled_referrals_with, ReturnReason,
    ReturnedReferral, StalledReferral, DEFAULT_FOLLOW_UP_DAYS,
};

use crate::coded::Coded;
use crate::ids::*;
use chrono::NaiveDate;

/// Errors of referrals and liaison contacts. Messages carry ids, codes and dates only, never
/// names, purposes, reasons or notes (which may hold personal information).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReferralError {
    /// An unknown or invalid vocabulary code.
    #[error(transparent)]
    Taxonomy(#[from] crate::taxonomy::TaxonomyError),
    /// An agency directory error (an unknown agency …).
    #[error(transparent)]
    Agency(#[from] crate::agency::AgencyError),
    /// The actor is not the agency allowed to take this action (only the receiver accepts,
    /// declines and completes; only the sender sends, revokes and sets the follow-up date).
    #[error("agency `{actor}` may not {action} referral `{referral}`")]
    NotAuthorised {
        /// The referral.
        referral: ReferralId,
        /// Who tried.
        actor: AgencyId,
        /// The action code (`accept`, `revoke` …).
        action: &'static str,
    },
    /// The action is not allowed in the referral's current state.
    #[error("referral `{referral}` is {state}: cannot {action}")]
    IllegalTransition {
        /// The referral.
        referral: ReferralId,
        /// Current state code (`proposed`, `declined` …).
        state: &'static str,
        /// The action code.
        action: &'static str,
    },
    /// A referral whose receiver is its sender.
    #[error("referral `{referral}` is sent by agency `{agency}` to itself at {path}")]
    SelfReferral {
        /// The referral.
        referral: ReferralId,
        /// The agency.
        agency: AgencyId,
        /// JSON path (`$.to`).
        path: String,
    },
    /// An action dated before the referral's last recorded step.
    #[error("referral `{referral}`: {on} is before the last recorded step on {last} at {path}")]
    DateBeforeLastTransition {
        /// The referral.
        referral: ReferralId,
        /// The date given.
        on: NaiveDate,
        /// The date of the last step (proposal or transition).
        last: NaiveDate,
        /// JSON path of the date (`$.on`).
        path: String,
    },
    /// An action or contact dated after `today` (records are written after the fact).
    #[error("{subject}: {on} is after today ({today}) at {path}")]
    FutureDate {
        /// The referral or contact id.
        subject: String,
        /// The date given.
        on: NaiveDate,
        /// Today.
        today: NaiveDate,
        /// JSON path of the date.
        path: String,
    },
    /// A follow-up date earlier than the step that sets it.
    #[error(
        "referral `{referral}`: follow-up date {follow_up_on} is before {not_before} at {path}"
    )]
    InvalidFollowUp {
        /// The referral.
        referral: ReferralId,
        /// The follow-up date given.
        follow_up_on: NaiveDate,
        /// The earliest allowed date.
        not_before: NaiveDate,
        /// JSON path.
        path: String,
    },
    /// A required text (purpose, result, revoke reason) that is empty or blank.
    #[error("{subject}: required text is empty at {path}")]
    EmptyText {
        /// The referral or contact id.
        subject: String,
        /// JSON path of the field.
        path: String,
    },
    /// A referral document whose history does not replay to its state and dates (a hand-edited
    /// or corrupted record).
    #[error("referral `{referral}` is inconsistent at {path}: {detail}")]
    InconsistentReferral {
        /// The referral.
        referral: ReferralId,
        /// What does not fit (a fixed phrase, no data).
        detail: &'static str,
        /// JSON path.
        path: String,
    },
    /// A referral sharing on a consent that does not hold: unknown, another person's, not in
    /// effect on the day, not naming the receiver, or not covering a shared category.
    #[error("consent `{consent}` does not cover referral `{referral}` at {path}")]
    ConsentInvalid {
        /// The referral.
        referral: ReferralId,
        /// The consent named.
        consent: crate::consent::ConsentId,
        /// JSON path.
        path: String,
    },
    /// A referral sent without consent or a legal basis recorded for its information, once
    /// the register is in force.
    #[error("referral `{referral}` has no consent or legal basis for its information at {path}")]
    WithoutBasis {
        /// The referral.
        referral: ReferralId,
        /// JSON path.
        path: String,
    },
    /// Two contacts with one id in a log.
    #[error("duplicate contact id `{id}` at {path}")]
    DuplicateContact {
        /// The id.
        id: ContactId,
        /// JSON path.
        path: String,
    },
}

impl ReferralError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[
        "not_authorised",
        "illegal_referral_transition",
        "self_referral",
        "date_before_last_transition",
        "future_date",
        "invalid_follow_up",
        "empty_text",
        "inconsistent_referral",
        "duplicate_contact",
        "referral_consent_invalid",
        "referral_without_basis",
    ];
}

impl Coded for ReferralError {
    fn code(&self) -> &'static str {
        match self {
            ReferralError::Taxonomy(e) => e.code(),
            ReferralError::Agency(e) => e.code(),
            ReferralError::NotAuthorised { .. } => "not_authorised",
            ReferralError::IllegalTransition { .. } => "illegal_referral_transition",
            ReferralError::SelfReferral { .. } => "self_referral",
            ReferralError::DateBeforeLastTransition { .. } => "date_before_last_transition",
            ReferralError::FutureDate { .. } => "future_date",
            ReferralError::InvalidFollowUp { .. } => "invalid_follow_up",
            ReferralError::EmptyText { .. } => "empty_text",
            ReferralError::InconsistentReferral { .. } => "inconsistent_referral",
            ReferralError::DuplicateContact { .. } => "duplicate_contact",
            ReferralError::ConsentInvalid { .. } => "referral_consent_invalid",
            ReferralError::WithoutBasis { .. } => "referral_without_basis",
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            ReferralError::Taxonomy(e) => e.path(),
            ReferralError::Agency(e) => e.path(),
            ReferralError::NotAuthorised { .. } | ReferralError::IllegalTransition { .. } => None,
            ReferralError::SelfReferral { path, .. }
            | ReferralError::DateBeforeLastTransition { path, .. }
            | ReferralError::FutureDate { path, .. }
            | ReferralError::InvalidFollowUp { path, .. }
            | ReferralError::EmptyText { path, .. }
            | ReferralError::InconsistentReferral { path, .. }
            | ReferralError::DuplicateContact { path, .. }
            | ReferralError::ConsentInvalid { path, .. }
            | ReferralError::WithoutBasis { path, .. } => Some(path.clone()),
        }
    }
    fn kind(&self) -> crate::coded::ErrorKind {
        match self {
            ReferralError::Taxonomy(e) => e.kind(),
            ReferralError::Agency(e) => e.kind(),
            ReferralError::NotAuthorised { .. } => crate::coded::ErrorKind::Transition,
            ReferralError::IllegalTransition { .. } => crate::coded::ErrorKind::Transition,
            ReferralError::SelfReferral { .. } => crate::coded::ErrorKind::Rule,
            ReferralError::DateBeforeLastTransition { .. } => crate::coded::ErrorKind::Transition,
            ReferralError::FutureDate { .. } => crate::coded::ErrorKind::Rule,
            ReferralError::InvalidFollowUp { .. } => crate::coded::ErrorKind::Rule,
            ReferralError::EmptyText { .. } => crate::coded::ErrorKind::Invalid,
            ReferralError::InconsistentReferral { .. } => crate::coded::ErrorKind::Rule,
            ReferralError::DuplicateContact { .. } => crate::coded::ErrorKind::AlreadyExists,
            ReferralError::ConsentInvalid { .. } => crate::coded::ErrorKind::Consent,
            ReferralError::WithoutBasis { .. } => crate::coded::ErrorKind::Consent,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_list_matches_variants() {
        let d = NaiveDate::from_ymd_opt(2024, 4, 1).unwrap();
        let errors = [
            ReferralError::NotAuthorised {
                referral: "r".into(),
                actor: "a".into(),
                action: "accept",
            },
            ReferralError::IllegalTransition {
                referral: "r".into(),
                state: "proposed",
                action: "accept",
            },
            ReferralError::SelfReferral {
                referral: "r".into(),
                agency: "a".into(),
                path: "$.to".into(),
            },
            ReferralError::DateBeforeLastTransition {
                referral: "r".into(),
                on: d,
                last: d,
                path: "$.on".into(),
            },
            ReferralError::FutureDate {
                subject: "r".into(),
                on: d,
                today: d,
                path: "$.on".into(),
            },
            ReferralError::InvalidFollowUp {
                referral: "r".into(),
                follow_up_on: d,
                not_before: d,
                path: "$.follow_up_on".into(),
            },
            ReferralError::EmptyText {
                subject: "r".into(),
                path: "$.purpose".into(),
            },
            ReferralError::InconsistentReferral {
                referral: "r".into(),
                detail: "x",
                path: "$.history[0]".into(),
            },
            ReferralError::DuplicateContact {
                id: "c".into(),
                path: "$[1].id".into(),
            },
            ReferralError::ConsentInvalid {
                referral: "r".into(),
                consent: "c".into(),
                path: "$.basis.consent".into(),
            },
            ReferralError::WithoutBasis {
                referral: "r".into(),
                path: "$.referral".into(),
            },
        ];
        let codes: Vec<&str> = errors.iter().map(|e| e.code()).collect();
        assert_eq!(codes, ReferralError::CODES);
    }
}
