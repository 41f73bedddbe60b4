//! Conflict keys (編集対象): for every command, the record it edits in place — what two devices
//! may edit concurrently — or `None` for an additive record (two visits recorded on two tablets
//! are two visits). One impl per command, grouped by area; [`RecordKey::of`] dispatches through
//! them exhaustively, so a new command does not compile until its key is decided.

use super::RecordKey;
use crate::disaster::DisasterCommand;
use crate::participation::MatchCommand;
use crate::registry::command::each_command;
use crate::registry::*;

/// The record a command edits in place, if it edits one.
pub(crate) trait ConflictKey: Clone + Into<Command> {
    /// The record edited in place; `None` for an additive record.
    fn record_key(&self) -> Option<RecordKey>;

    /// The command that re-applies this one after a merge, when a person takes the other
    /// device's version of a conflict ([`super::Choice::TakeOther`]): the command itself, unless
    /// re-applying means something else once the record exists.
    fn retaken(&self) -> Command {
        self.clone().into()
    }
}

/// The command that re-applies `command` when the other side of a conflict is taken.
pub(super) fn retaken(command: &Command) -> Command {
    each_command!(command, c => ConflictKey::retaken(c))
}

impl RecordKey {
    /// The record a command edits, when it edits one in place (additive records give `None`).
    pub fn of(command: &Command) -> Option<RecordKey> {
        each_command!(command, c => ConflictKey::record_key(c))
    }
}

/// A command that only adds a record (or configuration that is not edited concurrently).
macro_rules! additive {
    ($($ty:ty),* $(,)?) => {
        $(
            impl ConflictKey for $ty {
                fn record_key(&self) -> Option<RecordKey> {
                    None
                }
            }
        )*
    };
}

// Configuration: extensions and registrations add, they do not edit.
additive!(ExtendTaxonomy, ExtendMeetingTypes, RegisterAgency);

// Households: the household document.
impl ConflictKey for RegisterHousehold {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::Household(self.household.id.to_string()))
    }
    /// Re-applying a household document is an update once the household exists.
    fn retaken(&self) -> Command {
        UpdateHousehold {
            household: self.household.clone(),
        }
        .into()
    }
}
impl ConflictKey for UpdateHousehold {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::Household(self.household.id.to_string()))
    }
}
/// A move edits two households; its key is the one left (the mover's membership there is what
/// two devices could both change: two moves of one person, or a move and an update).
impl ConflictKey for MovePerson {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::Household(self.from.to_string()))
    }
}
// The limits are configuration: the later setting wins on replay, as for extensions.
additive!(ConfigureLimits);

// Cases: opening adds a case; its lifecycle commands edit it.
additive!(OpenCase, OpenOutreachCase);
impl ConflictKey for CaseAction {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::Case(self.case.to_string()))
    }
}

// Plans: every plan command edits the plan.
impl ConflictKey for CreatePlan {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::Plan(self.plan.id.to_string()))
    }
}
impl ConflictKey for Replan {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::Plan(self.plan.id.to_string()))
    }
}
impl ConflictKey for ConsentToPlan {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::Plan(self.plan.to_string()))
    }
}
impl ConflictKey for RecordMonitoring {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::Plan(self.plan.to_string()))
    }
}
impl ConflictKey for CompletePlanAction {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::Plan(self.plan.to_string()))
    }
}

// Referrals: contacts and proposals add; steps edit the referral's lifecycle.
additive!(LogContact, ProposeReferral);
// Sharing a referral's information edits the referral (once, before it is sent).
impl ConflictKey for ShareReferralInfo {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::Referral(self.referral.to_string()))
    }
}
impl ConflictKey for ReferralAction {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::Referral(self.referral.to_string()))
    }
}

// Meetings, consents and disclosures are additive records.
additive!(HoldMeeting, ConsentAction, Disclose);
// Designations, meeting records and pledges add (a second pledge of the same attendee from
// another device is refused `already_exists` on merge); a plan from a decision edits the plan.
additive!(DesignateConvener, RecordMeeting, RecordPledge);
impl ConflictKey for PlanFromDecision {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::Plan(self.plan.id.to_string()))
    }
}

// Participation: the resource's directory entry and a match's status are edited in place;
// follow-up visits and gaps are additive.
additive!(ExtendResourceKinds, RecordResourceGap);
impl ConflictKey for RegisterResource {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::Resource(self.resource.id.to_string()))
    }
}
impl ConflictKey for UpdateResource {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::Resource(self.resource.id.to_string()))
    }
}
impl ConflictKey for MatchAction {
    fn record_key(&self) -> Option<RecordKey> {
        match &self.r#match {
            // Follow-up visits are additive.
            MatchCommand::RecordFollowUp { .. } => None,
            MatchCommand::Propose { .. }
            | MatchCommand::MarkTried { .. }
            | MatchCommand::MarkContinuing { .. }
            | MatchCommand::Stop { .. } => Some(RecordKey::Match(self.r#match.id().to_string())),
        }
    }
}

// Community: an activity is registered and ended in place; sessions are additive.
additive!(RecordSession);
impl ConflictKey for RegisterActivity {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::Activity(self.activity.id.to_string()))
    }
}
impl ConflictKey for EndActivity {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::Activity(self.activity.to_string()))
    }
}

// Disaster: opening, stage, risk and the end of the phase are the record's state; visits,
// issues, dispatches and links are additive. The intervals are configuration.
additive!(SetVisitIntervals);
impl ConflictKey for OpenDisasterRecord {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::DisasterRecord(self.record.id.to_string()))
    }
}
impl ConflictKey for DisasterAction {
    fn record_key(&self) -> Option<RecordKey> {
        use DisasterCommand as D;
        match &self.action {
            D::MoveStage { .. } | D::AssessRisk { .. } => {
                Some(RecordKey::DisasterRecord(self.record.to_string()))
            }
            D::AddIssue { .. }
            | D::RecordVisit { .. }
            | D::RequestDispatch { .. }
            | D::MarkDispatched { .. }
            | D::ReportDispatch { .. }
            | D::LinkCase { .. } => None,
        }
    }
}
impl ConflictKey for EndDisasterPhase {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::DisasterRecord(self.record.to_string()))
    }
}

// Workers: the roster entry is edited in place (roles, leaving); roles are configuration. A
// case team is one record: assignments and hand-overs of one case on two tablets conflict.
additive!(ExtendRoles);
impl ConflictKey for RegisterWorker {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::Worker(self.worker.id.to_string()))
    }
}
impl ConflictKey for UpdateWorker {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::Worker(self.worker.to_string()))
    }
}
impl ConflictKey for AssignTeam {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::CaseTeam(self.case.to_string()))
    }
}
impl ConflictKey for HandOver {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::CaseTeam(self.case.to_string()))
    }
}
// Address restrictions: recording one adds a record; lifting edits the applicant's record in
// force — two tablets lifting one restriction, or one lifting while another records, conflict
// on the person.
additive!(ProtectAddress);
impl ConflictKey for LiftAddressProtection {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::Person(self.person.to_string()))
    }
}
// Persons: the record is edited in place by registration and update; a merge and a split edit
// the merged record's status (merged into / its own person again).
impl ConflictKey for RegisterPerson {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::Person(self.person.id.to_string()))
    }
    /// Re-applying a person record is an update once the person exists.
    fn retaken(&self) -> Command {
        UpdatePerson {
            person: self.person.clone(),
        }
        .into()
    }
}
impl ConflictKey for UpdatePerson {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::Person(self.person.id.to_string()))
    }
}
impl ConflictKey for MergePersons {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::Person(self.merged.to_string()))
    }
}
impl ConflictKey for SplitPerson {
    fn record_key(&self) -> Option<RecordKey> {
        Some(RecordKey::Person(self.person.to_string()))
    }
}
// Case record: entries, corrections, outreach steps and attachments are additive (two workers'
// entries on two tablets are two entries). A correction supersedes by naming its entry; two
// corrections of one entry merged from two devices replay as the first, and the second is
// refused (`entry_superseded`) and surfaces in the merge for a person to redo. The record kinds
// are configuration that only adds.
additive!(ExtendRecordKinds, WriteEntry, OutreachAction, Attach);
// Form records: a filled form is added once, never edited.
additive!(RecordForm);
// The kanji-variant table is configuration: extensions add.
additive!(ExtendKanjiVariants);
// Erasure: destroys a household's key once; a second erasure of it is refused
// (`household_erased`), so two devices' erasures merge as the first.
additive!(EraseHousehold);
