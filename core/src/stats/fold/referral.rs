//! Statistics of referral commands (つなぎ・連絡調整): liaison contacts per agency (Table 1),
//! referrals proposed and their status by the end of the year; in the export, the contacts and
//! referrals tables.

use super::sink::{FactSink, Facts, Rows};
use crate::error::Error;
use crate::referral::{ReferralCommand, ReferralStatus};
use crate::registry::{LogContact, ProposeReferral, ReferralAction};
use crate::stats::export::exporter::Exporter;
use crate::stats::export::tables::{ContactRow, ReferralRow};
use crate::stats::position::Position;
use chrono::NaiveDate;

/// The date and new status of a referral step; `None` for a step that does not change the
/// status (setting a follow-up).
fn referral_step(action: &ReferralCommand) -> Option<(NaiveDate, ReferralStatus)> {
    Some(match action {
        ReferralCommand::Send { on, .. } => (*on, ReferralStatus::Sent),
        ReferralCommand::Accept { on } => (*on, ReferralStatus::Accepted),
        ReferralCommand::Decline { on, .. } => (*on, ReferralStatus::Declined),
        ReferralCommand::Complete { on, .. } => (*on, ReferralStatus::Completed),
        ReferralCommand::Revoke { on, .. } => (*on, ReferralStatus::Revoked),
        ReferralCommand::SetFollowUp { .. } => return None,
    })
}

impl Facts for LogContact {
    fn facts(&self, _: Position, _: NaiveDate, sink: &mut impl FactSink) {
        sink.contact(&self.contact.agency, self.contact.on);
    }
}
impl Rows for LogContact {
    fn rows(&self, _: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error> {
        let contact = &self.contact;
        let case = contact.case.as_ref().map(|c| x.case_pseudonym(c));
        let agency = x.agency(&contact.agency);
        x.out.contacts.push(ContactRow {
            contact: x.key.pseudonym("contact", contact.id.as_str()),
            case,
            on: contact.on,
            agency,
            channel: contact.channel,
        });
        Ok(())
    }
}

impl Facts for ProposeReferral {
    fn facts(&self, at: Position, _: NaiveDate, sink: &mut impl FactSink) {
        sink.proposal(at, &self.proposal.id, self.proposal.on);
    }
}
impl Rows for ProposeReferral {
    fn rows(&self, _: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error> {
        let proposal = &self.proposal;
        let row = ReferralRow {
            referral: x.key.pseudonym("referral", proposal.id.as_str()),
            case: x.case_pseudonym(&proposal.case),
            from: x.agency(&proposal.from),
            to: x.agency(&proposal.to),
            proposed_on: proposal.on,
            status: ReferralStatus::Proposed,
        };
        x.referrals.insert(proposal.id.clone(), row);
        Ok(())
    }
}

impl Facts for ReferralAction {
    fn facts(&self, at: Position, _: NaiveDate, sink: &mut impl FactSink) {
        if let Some((on, status)) = referral_step(&self.action) {
            sink.referral_step(at, &self.referral, on, status);
        }
    }
}
impl Rows for ReferralAction {
    fn rows(&self, _: NaiveDate, x: &mut Exporter<'_>) -> Result<(), Error> {
        if let Some((_, status)) = referral_step(&self.action) {
            if let Some(r) = x.referrals.get_mut(&self.referral) {
                r.status = status;
            }
        }
        Ok(())
    }
}

// Sharing a referral's information: a provision record, neither counted nor exported (like a
// disclosure).
impl Facts for crate::registry::ShareReferralInfo {
    fn facts(&self, _: Position, _: NaiveDate, _: &mut impl FactSink) {}
}
impl Rows for crate::registry::ShareReferralInfo {
    fn rows(&self, _: NaiveDate, _: &mut Exporter<'_>) -> Result<(), Error> {
        Ok(())
    }
}
