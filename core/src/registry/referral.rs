//! Referral commands (つなぎ・連絡調整): proposing a referral, acting on it as the sending or
//! receiving agency, and logging liaison contacts. The referral module owns the lifecycle and
//! checks the contact's own rules; this file checks that cases exist and belong to the
//! referral's household, and shares a referral's information on consent or a legal basis
//! (`share_referral_info`, the provision record) before it is sent.

use super::command::{Apply, RecordedDates};
use super::rules::{exists, not_found};
use super::{Receipt, Registry, RegistryError};
use crate::ids::*;
use crate::privacy::InfoCategory;
use crate::referral::{
    LiaisonContact, Referral, ReferralBasis, ReferralCommand, ReferralError, ReferralProposal,
    Sharing,
};
use crate::worker::{Actor, WorkerError};
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Log a liaison contact (連絡調整).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogContact {
    /// The contact.
    pub contact: LiaisonContact,
}

/// Propose a referral (つなぎの提案).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposeReferral {
    /// The proposal.
    pub proposal: ReferralProposal,
}

/// Act on a referral (つなぎの操作): send, accept, decline, complete, revoke ….
///
/// **The acting agency** is the event's actor's agency when the command is executed by an actor
/// ([`Registry::execute_as`]): only a worker of the receiving agency accepts, only one of the
/// sending agency revokes. `actor` may then be left out; when given it must be the actor's
/// agency (`worker_not_of_agency` at `$.actor`), never a way to act for another agency. Without
/// an actor (setup mode, journals older than actors) `actor` names the acting agency as it always
/// did, and is required (`actor_required` at `$.actor`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralAction {
    /// Referral id.
    pub referral: ReferralId,
    /// Acting agency: optional when the event has an actor (then it must be the actor's agency).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<AgencyId>,
    /// The command.
    pub action: ReferralCommand,
}

/// Share a proposed referral's information with the receiving agency (情報提供・つなぎシート):
/// on the person's valid consent naming the receiver, or on a recorded legal basis; writes the
/// provision record (第三者提供記録). Once the meeting register is in force (a convener
/// designated), a referral is sent only after this (`referral_without_basis` at `$.referral`);
/// before that, referrals send as they always did, so older journals replay.
///
/// Errors: `not_found` (referral), `illegal_referral_transition` (not `proposed`),
/// `already_exists` (shared already), `date_in_future`, `empty_text`, `referral_consent_invalid`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShareReferralInfo {
    /// The referral (proposed, not yet sent).
    pub referral: ReferralId,
    /// Consent or legal basis.
    pub basis: ReferralBasis,
    /// Categories the referral sheet carries (at least one).
    pub shared: Vec<InfoCategory>,
    /// Day shared.
    pub on: NaiveDate,
}

impl Apply for ShareReferralInfo {
    fn recorded_dates(&self) -> RecordedDates {
        vec![(self.on, "$.on")]
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        let r = reg
            .referrals
            .get(&self.referral)
            .ok_or_else(|| not_found("referral", &self.referral, "$.referral"))?;
        if r.status() != crate::referral::ReferralStatus::Proposed {
            return Err(ReferralError::IllegalTransition {
                referral: r.id.clone(),
                state: r.status().code(),
                action: "share",
            }
            .into());
        }
        if reg.referral_bases.contains_key(&self.referral) {
            return Err(exists("referral sharing", &self.referral, "$.referral"));
        }
        self.provision(reg).map(|_| ())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        let record = self.provision(reg)?;
        reg.referral_bases
            .insert(self.referral.clone(), self.basis.clone());
        reg.provisions.push(record.clone());
        Ok(Receipt::Recorded)
    }
}

impl ShareReferralInfo {
    fn provision(&self, reg: &Registry) -> Result<crate::disclosure::ProvisionRecord, Error> {
        let r = reg
            .referrals
            .get(&self.referral)
            .ok_or_else(|| not_found("referral", &self.referral, "$.referral"))?;
        let case = reg
            .cases
            .get(&r.case)
            .ok_or_else(|| not_found("case", &r.case, "$.referral"))?;
        let to = reg.directory.check(&r.to, "$.referral")?;
        let sharing = Sharing {
            referral: &r.id,
            case: &r.case,
            person: case.subject(),
            from: &r.from,
            to: (&to.id, &to.kind),
            purpose: &r.purpose,
            on: self.on,
        };
        Ok(crate::referral::provision(
            &sharing,
            &self.basis,
            &self.shared,
            &reg.consents,
            &reg.meeting_types,
        )?)
    }
}

impl Apply for LogContact {
    /// None: the referral module checks the contact's date.
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        let contact = &self.contact;
        if let Some(case) = &contact.case {
            if !reg.cases.contains_key(case) {
                return Err(not_found("case", case, "$.contact.case"));
            }
        }
        // Only the new contact is checked (plus a unique id): the earlier ones were checked when
        // they were recorded, and re-checking them against today would reject a log merged from
        // another device. O(log n) per contact, not O(n).
        if reg.contact_ids.contains(&contact.id) {
            return Err(ReferralError::DuplicateContact {
                id: contact.id.clone(),
                path: "$.contact.id".into(),
            }
            .into());
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, today: NaiveDate) -> Result<Receipt, Error> {
        self.contact.validate(&reg.directory, today)?;
        reg.contact_ids.insert(self.contact.id.clone());
        reg.contacts.push(self.contact.clone());
        Ok(Receipt::Recorded)
    }
}

impl Apply for ProposeReferral {
    /// None: a proposal's date is checked by the referral module.
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        let proposal = &self.proposal;
        if reg.referrals.contains_key(&proposal.id) {
            return Err(exists("referral", &proposal.id, "$.proposal.id"));
        }
        let case = reg
            .cases
            .get(&proposal.case)
            .ok_or_else(|| not_found("case", &proposal.case, "$.proposal.case"))?;
        if case.household() != &proposal.household {
            return Err(RegistryError::Mismatch {
                what: format!("case `{}` belongs to another household", proposal.case),
                path: "$.proposal.household".into(),
            }
            .into());
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        let r = Referral::propose(self.proposal.clone(), &reg.directory)?;
        reg.referrals.insert(r.id.clone(), r);
        Ok(Receipt::Recorded)
    }
}

impl Apply for ReferralAction {
    /// None: the referral module checks its steps' dates.
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        if !reg.referrals.contains_key(&self.referral) {
            return Err(not_found("referral", &self.referral, "$.referral"));
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, today: NaiveDate) -> Result<Receipt, Error> {
        if matches!(self.action, ReferralCommand::Send { .. })
            && reg.designations.in_force()
            && !reg.referral_bases.contains_key(&self.referral)
        {
            return Err(ReferralError::WithoutBasis {
                referral: self.referral.clone(),
                path: "$.referral".into(),
            }
            .into());
        }
        let acting = acting_agency(reg.actor(), self.actor.as_ref())?;
        let worker = reg.actor().map(|a| a.worker.clone());
        let r = reg
            .referrals
            .get_mut(&self.referral)
            .ok_or_else(|| not_found("referral", &self.referral, "$.referral"))?;
        let t = r.apply_by(self.action.clone(), &acting, worker.as_ref(), today)?;
        Ok(Receipt::ReferralTransition { status: t.to_state })
    }
}

/// The agency acting on a referral: the actor's, when there is an actor (a different agency
/// named in the command is `worker_not_of_agency` at `$.actor`); otherwise the one the command
/// names (`actor_required` at `$.actor` when none).
fn acting_agency(actor: Option<&Actor>, named: Option<&AgencyId>) -> Result<AgencyId, Error> {
    match (actor, named) {
        (Some(a), Some(n)) if n != &a.agency => Err(WorkerError::WorkerNotOfAgency {
            worker: a.worker.clone(),
            agency: n.clone(),
            path: Some("$.actor".into()),
        }
        .into()),
        (Some(a), _) => Ok(a.agency.clone()),
        (None, Some(n)) => Ok(n.clone()),
        (None, None) => Err(WorkerError::ActorRequired {
            path: Some("$.actor".into()),
        }
        .into()),
    }
}
