//! The basis on which a referral carries the person's information to the receiving agency
//! (提供の根拠): the person's valid consent naming the receiver, or a recorded legal basis
//! (法令に基づく場合, e.g. 個人情報の保護に関する法律第27条第1項第2号 — 人の生命・身体の保護で本人の
//! 同意を得ることが困難なとき; 児童虐待の防止等に関する法律第6条の通告).
//!
//! [`provision`] checks the basis and builds the provision record (第三者提供記録) the registry
//! keeps; it is pure (the registry passes the consents and the receiver's kind).
//!
//! **Decisions.** (1) A consent basis must cover every category the referral sheet carries: a
//! sheet is one document, so a category outside the consent's scope refuses the whole sharing
//! (`referral_consent_invalid`) instead of silently dropping a line. (2) The consent must be the
//! case subject's, in effect on the day of sharing, and name the receiving agency or its kind
//! (a consent to a meeting does not cover a single agency). (3) A legal basis opens the
//! categories listed and records the provision's text as the basis; the engine does not judge
//! whether the provision applies — the worker records it, and the record shows it.

use super::ReferralError;
use crate::consent::{ConsentId, ConsentRecord};
use crate::disclosure::{Basis, DisclosureLevel, Grant, ProvisionRecord};
use crate::ids::*;
use crate::meeting::MeetingTypes;
use crate::privacy::{Audience, InfoCategory};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The basis of a referral's information sharing (提供の根拠).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ReferralBasis {
    /// The person's consent (本人同意): the consent record.
    Consent {
        /// The consent record.
        consent: ConsentId,
    },
    /// A legal basis (法令に基づく提供), as the worker cites it.
    Law {
        /// The provision, e.g. `個人情報の保護に関する法律第27条第1項第2号`.
        provision: String,
    },
}

/// What a referral shares: checked by [`provision`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sharing<'a> {
    /// The referral.
    pub referral: &'a ReferralId,
    /// The case.
    pub case: &'a CaseId,
    /// The case subject (本人) whose information it is.
    pub person: &'a PersonId,
    /// Sending agency (the provider).
    pub from: &'a AgencyId,
    /// Receiving agency and its kind.
    pub to: (&'a AgencyId, &'a AgencyKindCode),
    /// The referral's purpose (free text, recorded as the provision's purpose).
    pub purpose: &'a str,
    /// Day shared.
    pub on: NaiveDate,
}

/// Check `basis` for sharing `shared` and build the provision record.
///
/// Errors: `empty_text` (no category, or a blank provision; at `$.shared` / `$.basis.provision`),
/// `referral_consent_invalid` (at `$.basis.consent`: unknown, another person's, not in effect,
/// not naming the receiver, or not covering a shared category).
pub fn provision(
    s: &Sharing<'_>,
    basis: &ReferralBasis,
    shared: &[InfoCategory],
    consents: &[ConsentRecord],
    types: &MeetingTypes,
) -> Result<ProvisionRecord, ReferralError> {
    if shared.is_empty() {
        return Err(ReferralError::EmptyText {
            subject: format!("referral `{}`", s.referral),
            path: "$.shared".into(),
        });
    }
    let basis = match basis {
        ReferralBasis::Law { provision } => {
            if provision.trim().is_empty() {
                return Err(ReferralError::EmptyText {
                    subject: format!("referral `{}`", s.referral),
                    path: "$.basis.provision".into(),
                });
            }
            Basis::Statute(provision.clone())
        }
        ReferralBasis::Consent { consent } => {
            let audience = Audience::Agency {
                id: s.to.0.clone(),
                kind: s.to.1.clone(),
            };
            let valid = consents.iter().find(|c| &c.id == consent).is_some_and(|c| {
                &c.person == s.person
                    && c.in_effect_on(s.on)
                    && c.covers_audience(&audience, types)
                    && shared.iter().all(|cat| c.scope.contains(cat))
            });
            if !valid {
                return Err(ReferralError::ConsentInvalid {
                    referral: s.referral.clone(),
                    consent: consent.clone(),
                    path: "$.basis.consent".into(),
                });
            }
            Basis::Consent(consent.clone())
        }
    };
    let grants: Vec<Grant> = InfoCategory::ALL
        .into_iter()
        .filter(|c| shared.contains(c))
        .map(|category| Grant {
            category,
            basis: basis.clone(),
        })
        .collect();
    let categories: Vec<InfoCategory> = grants.iter().map(|g| g.category).collect();
    Ok(ProvisionRecord {
        on: s.on,
        provider: s.from.clone(),
        audience: Audience::Agency {
            id: s.to.0.clone(),
            kind: s.to.1.clone(),
        },
        person: s.person.clone(),
        case: s.case.clone(),
        purpose: s.purpose.to_string(),
        level: DisclosureLevel::of(&categories),
        grants,
        meeting: None,
        recipients: Vec::new(),
    })
}
