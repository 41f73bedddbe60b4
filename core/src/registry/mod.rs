//! Registry (台帳): the whole state of one municipality's support records — configuration
//! (taxonomy extensions, the agency directory, meeting types), households, cases, support plans,
//! liaison contacts, referrals, meetings, consents and the provision records of every disclosure;
//! for participation support, community building and disaster case management the
//! social-resource directory, match records with their follow-ups, resource gaps, community
//! activities and sessions, risk ranks and affected-household records — and the one [`Command`]
//! type that changes it.
//!
//! The person master (`person.rs`: register, update, merge and split persons) sits beside the
//! households: a household member's id refers to the master person of the same id.
//!
//! Every change goes through [`Registry::execute`]. Each command is a struct owned by its area's
//! file (`config.rs`, `household.rs`, `case.rs`, `plan.rs`, `referral.rs`, `meeting.rs`,
//! `consent.rs`, `disclosure.rs`, `participation.rs`, `community.rs`, `disaster.rs`), which says
//! what the registry needs from it: the dates it records as having happened (checked by the one
//! date rule in `rules.rs`), the cross-entity references it checks (a case's household exists and
//! the subject is a member, a plan belongs to an existing case …), and how it applies, delegating
//! the entity's own rules to its domain module. `command.rs` lists the commands once and
//! dispatches on them exhaustively. A rejected command changes nothing. Commands are
//! deterministic given the state and the `today` they were executed on, so the journal stores
//! [`Event`] = `{ on, command }` and replay re-executes them: replay rebuilds exactly the state
//! the commands produced (see [`Registry::replay`]).
//!
//! This module owns no domain rule itself; it wires the modules together. The journal-backed
//! [`CaseBook`] adds durability.

mod book;
mod case;
pub(crate) mod command;
mod community;
mod config;
mod consent;
mod disaster;
mod disclosure;
mod erasure;
mod forms;
mod household;
mod household_move;
mod limits;
mod meeting;
mod participation;
mod person;
mod plan;
mod protection;
mod record;
mod referral;
mod rules;
mod tasks;
mod worker;

pub use book::ActingBook;
pub use book::{path_under, BatchError, BookStore, CaseBook, DisclosurePreview};
pub use case::{CaseAction, OpenCase, OpenOutreachCase};
pub use command::{Command, Event};
pub use community::{EndActivity, RecordSession, RegisterActivity};
pub use config::{ExtendMeetingTypes, ExtendTaxonomy, RegisterAgency};
pub use consent::ConsentAction;
pub use disaster::{DisasterAction, EndDisasterPhase, OpenDisasterRecord, SetVisitIntervals};
pub use disclosure::Disclose;
pub use erasure::{household_key, seal_plan, EraseHousehold};
pub use forms::RecordForm;
pub use household::{RegisterHousehold, UpdateHousehold};
pub use household_move::{HouseholdMove, MovePerson, MoveReason};
pub use limits::ConfigureLimits;
pub use meeting::HoldMeeting;
pub use meeting::{DesignateConvener, PlanFromDecision, RecordMeeting, RecordPledge};
pub use participation::{
    ExtendResourceKinds, MatchAction, RecordResourceGap, RegisterResource, UpdateResource,
};
pub use person::{ExtendKanjiVariants, MergePersons, RegisterPerson, SplitPerson, UpdatePerson};
pub use plan::CompletePlanAction;
pub use plan::{ConsentToPlan, CreatePlan, RecordMonitoring, Replan};
pub use protection::{LiftAddressProtection, ProtectAddress};
pub use record::{Attach, ExtendRecordKinds, OutreachAction, WriteEntry};
pub use referral::ShareReferralInfo;
pub use referral::{LogContact, ProposeReferral, ReferralAction};
pub use worker::{AssignTeam, ExtendRoles, HandOver, RegisterWorker, UpdateWorker, WorkerUpdate};

use command::{each_command, Apply};
use rules::not_found;

use crate::agency::Directory;
use crate::case::{AcceptedReferral, Case, CaseContext, Transition};
use crate::coded::Coded;
use crate::community::{AreaStats, CommunityRegister};
use crate::consent::{ConsentRecord, TrackChange};
use crate::disaster::{
    DisasterRecord, DisasterRecordId, DispatchId, RiskRankCode, VisitDue, VisitIntervals,
};
use crate::disclosure::{CaseView, ProvisionRecord};
use crate::household::Household;
use crate::ids::*;
use crate::meeting::{Meeting, MeetingId, MeetingTypes};
use crate::participation::{
    AreaGaps, Candidate, FollowUpDue, GapRegister, MatchBook, MatchRecord, MatchRequest,
    MatchStatus, MatchWeights, ResourceDirectory, ResourceGap, ResourceKinds,
};
use crate::patterns::{PatternFinding, PatternSettings};
use crate::person::{
    CandidatePair, CandidateWeights, MergeRecord, PersonMaster, PersonQuery, PersonRecord,
    PersonSearch,
};
use crate::plan::{PlanHistory, PlanStatus};
use crate::referral::{LiaisonContact, Referral, ReferralStatus};
use crate::taxonomy::Taxonomies;
use crate::worker::{Actor, CaseTeam, CaseTeams, Roles, Staff, TeamPosition, WorkerRecord};
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What an accepted command produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "receipt", rename_all = "snake_case")]
#[allow(clippy::large_enum_variant)]
pub enum Receipt {
    /// Recorded; nothing else to report.
    Recorded,
    /// A case changed state.
    CaseTransition {
        /// The transition.
        transition: Transition,
    },
    /// A referral changed state.
    ReferralTransition {
        /// The new status.
        status: ReferralStatus,
    },
    /// Consent changed; these cases moved between meeting tracks (支援会議 ⇄ 重層的支援会議).
    Consent {
        /// Track changes caused.
        track_changes: Vec<TrackChange>,
    },
    /// A disclosure: the view shown and its provision record (none when nothing personal was shown).
    Disclosed {
        /// The redacted view.
        view: CaseView,
        /// The 第三者提供記録.
        record: Option<ProvisionRecord>,
    },
    /// A match record changed: its status now (a live status always carries the next follow-up).
    MatchUpdated {
        /// The status.
        status: MatchStatus,
    },
    /// An affected-household record opened or changed.
    DisasterUpdated {
        /// Current housing-stage code.
        stage: String,
        /// Current risk rank.
        rank: RiskRankCode,
        /// When the next watching-over visit is due (none once the phase has ended).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next_visit_due: Option<NaiveDate>,
    },
    /// The disaster phase ended and the household moved into `case`.
    DisasterPhaseEnded {
        /// The ordinary case.
        case: CaseId,
        /// Issues to carry into the case's assessment (the record's, plus `disaster_recovery`
        /// before permanent housing and `wide_area_evacuee` for evacuees).
        issues: Vec<IssueCode>,
        /// Professional dispatches not yet reported: the work continues in the case.
        open_dispatches: Vec<DispatchId>,
    },
}

/// A case a worker is on the team of ([`Registry::worker_cases`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WorkerCase {
    /// The case.
    pub case: CaseId,
    /// 主担当 or 副担当.
    pub position: TeamPosition,
    /// False once the case is closed.
    pub open: bool,
}

/// Errors of cross-entity rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// A referenced entity does not exist.
    #[error("unknown {entity} `{id}` at {path}")]
    NotFound {
        /// Entity kind (`household`, `case`, `plan`, `referral`, `person`).
        entity: &'static str,
        /// The id.
        id: String,
        /// JSON path of the reference.
        path: String,
    },
    /// An entity with this id already exists.
    #[error("{entity} `{id}` already exists at {path}")]
    AlreadyExists {
        /// Entity kind.
        entity: &'static str,
        /// The id.
        id: String,
        /// JSON path.
        path: String,
    },
    /// Two records that must agree do not (a plan for a case of another household …).
    #[error("{what} at {path}")]
    Mismatch {
        /// What disagrees (ids only).
        what: String,
        /// JSON path.
        path: String,
    },
    /// A closed case cannot take a household over.
    #[error("case `{case}` is closed at {path}")]
    CaseClosed {
        /// The case.
        case: CaseId,
        /// JSON path.
        path: String,
    },
    /// A record dated after the day it is written (a visit, a session, a match step … on a
    /// date later than `today`): records are written after the fact.
    /// The one date rule's error ([`crate::calendar::not_in_future`]).
    #[error(transparent)]
    DateInFuture(#[from] crate::calendar::DateInFuture),
}

impl RegistryError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[
        "not_found",
        "already_exists",
        "mismatch",
        "case_closed",
        "date_in_future",
    ];
}

impl Coded for RegistryError {
    fn code(&self) -> &'static str {
        match self {
            RegistryError::NotFound { .. } => "not_found",
            RegistryError::AlreadyExists { .. } => "already_exists",
            RegistryError::Mismatch { .. } => "mismatch",
            RegistryError::CaseClosed { .. } => "case_closed",
            RegistryError::DateInFuture(_) => "date_in_future",
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            RegistryError::NotFound { path, .. }
            | RegistryError::AlreadyExists { path, .. }
            | RegistryError::Mismatch { path, .. }
            | RegistryError::CaseClosed { path, .. } => Some(path.clone()),
            RegistryError::DateInFuture(e) => e.path(),
        }
    }
    fn kind(&self) -> crate::coded::ErrorKind {
        match self {
            RegistryError::NotFound { .. } => crate::coded::ErrorKind::NotFound,
            RegistryError::AlreadyExists { .. } => crate::coded::ErrorKind::AlreadyExists,
            RegistryError::Mismatch { .. } => crate::coded::ErrorKind::Rule,
            RegistryError::CaseClosed { .. } => crate::coded::ErrorKind::Transition,
            RegistryError::DateInFuture(_) => crate::coded::ErrorKind::Rule,
        }
    }
}

/// The whole state. Serialisable, so two registries can be compared byte for byte. Not
/// deserialisable on purpose: a registry is rebuilt by replaying its journal, never loaded from a
/// snapshot that could bypass the commands' checks.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Registry {
    taxonomies: Taxonomies,
    meeting_types: MeetingTypes,
    directory: Directory,
    households: BTreeMap<HouseholdId, Household>,
    cases: BTreeMap<CaseId, Case>,
    plans: BTreeMap<PlanId, PlanHistory>,
    contacts: Vec<LiaisonContact>,
    /// Ids of `contacts`, so a new contact is checked in O(log n) rather than against the log.
    #[serde(skip)]
    contact_ids: BTreeSet<ContactId>,
    referrals: BTreeMap<ReferralId, Referral>,
    meetings: BTreeMap<MeetingId, Meeting>,
    consents: Vec<ConsentRecord>,
    track_changes: Vec<TrackChange>,
    provisions: Vec<ProvisionRecord>,
    pattern_settings: PatternSettings,
    resource_kinds: ResourceKinds,
    resources: ResourceDirectory,
    matches: MatchBook,
    gaps: GapRegister,
    community: CommunityRegister,
    visit_intervals: VisitIntervals,
    disaster_records: Vec<DisasterRecord>,
    /// Positions of `disaster_records` by id.
    #[serde(skip)]
    disaster_index: BTreeMap<DisasterRecordId, usize>,
    roles: Roles,
    staff: Staff,
    teams: CaseTeams,
    /// The actor of the command being executed: set by [`Registry::execute_as`] for the
    /// duration of one command (so area files read it without a change to `Apply`), `None`
    /// between commands.
    #[serde(skip)]
    actor: Option<Actor>,
    /// The person master (個人台帳): records, merges, splits and the search index.
    persons: PersonMaster,
    /// The case record (支援経過記録): entries, outreach, attachments, record kinds.
    record: crate::record::CaseRecord,
    /// Filled forms kept whole (様式の記録), by record id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    form_records: BTreeMap<crate::forms::FormRecordId, crate::forms::FormRecord>,
    /// Retention policy and erasure records (保存年限・消去記録).
    erasures: crate::retention::Erasures,
    /// Address restrictions (住所秘匿, DV等支援措置), in force or lifted (`registry/protection.rs`).
    #[serde(skip_serializing_if = "crate::access::Protections::is_empty")]
    protections: crate::access::Protections,
    /// Convener designations (会議の招集者の指定); the first puts the meeting register in force.
    #[serde(skip_serializing_if = "crate::agency::Designations::is_empty")]
    designations: crate::agency::Designations,
    /// Meeting records that bind disclosure (会議録), by id (ids shared with `meetings`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    meeting_records: BTreeMap<MeetingId, crate::meeting::MeetingRecord>,
    /// The basis each referral's information was shared on (提供の根拠), by referral.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    referral_bases: BTreeMap<ReferralId, crate::referral::ReferralBasis>,
    /// The limits in force (上限), set by `configure_limits`.
    #[serde(skip_serializing_if = "crate::limits::Limits::is_default")]
    limits: crate::limits::Limits,
    /// Moves of persons between households (世帯間の異動), in the order recorded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    household_moves: Vec<HouseholdMove>,
}

impl CaseContext for Registry {
    fn taxonomies(&self) -> &Taxonomies {
        &self.taxonomies
    }
    fn agency_exists(&self, id: &AgencyId) -> bool {
        self.directory.get(id).is_some()
    }
    fn accepted_referral(&self, case: &CaseId, id: &ReferralId) -> Option<AcceptedReferral> {
        let r = self.referrals.get(id).filter(|r| &r.case == case)?;
        if !matches!(
            r.status(),
            ReferralStatus::Accepted | ReferralStatus::Completed
        ) {
            return None;
        }
        let accepted_on = r
            .history
            .iter()
            .find(|t| t.to_state == ReferralStatus::Accepted)?
            .on;
        Some(AcceptedReferral {
            id: r.id.clone(),
            case: r.case.clone(),
            from: r.from.clone(),
            to: r.to.clone(),
            accepted_on,
        })
    }
    fn plan_status(&self, id: &PlanId) -> Option<PlanStatus> {
        self.plans.get(id).map(|h| h.current().status())
    }
}

impl Registry {
    /// An empty registry with the built-in taxonomies and meeting types.
    pub fn new() -> Self {
        Registry::default()
    }

    /// Rebuild a registry by re-executing events in order.
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a Event>) -> Result<Registry, Error> {
        let mut reg = Registry::new();
        for e in events {
            reg.execute_event(e)?;
        }
        Ok(reg)
    }

    /// Execute a command on `today`. On error nothing changes.
    ///
    /// Every command goes the same way (see `registry/command.rs`): the one date rule over the dates it
    /// records, then the references it checks, then its area's rules and the change.
    pub fn execute(&mut self, command: &Command, today: NaiveDate) -> Result<Receipt, Error> {
        self.execute_as(command, today, None)
    }

    /// Execute a command on `today` by `actor` (`None`: no actor). On error nothing changes.
    ///
    /// First the actor ([`Staff::authorise`]): in setup mode (no worker registered yet) a
    /// command without an actor is accepted; once a worker exists one is required
    /// (`actor_required`), and it must be a registered worker (`unknown_worker`) of the agency it
    /// names (`worker_not_of_agency`), in post (`worker_inactive`). Then the command as in
    /// [`Registry::execute`], with the actor readable by the area files for this one command.
    pub fn execute_as(
        &mut self,
        command: &Command,
        today: NaiveDate,
        actor: Option<&Actor>,
    ) -> Result<Receipt, Error> {
        self.staff.authorise(actor)?;
        self.actor = actor.cloned();
        let result = each_command!(command, c => {
            rules::check_not_future(&Apply::recorded_dates(c), today)
                .and_then(|()| Apply::check(c, self))
                .and_then(|()| Apply::apply(c, self, today))
        });
        self.actor = None;
        result
    }

    /// Execute a journal event: its command on its date by its actor ([`Event::by`]).
    pub fn execute_event(&mut self, event: &Event) -> Result<Receipt, Error> {
        self.execute_as(&event.command, event.on, event.by.as_ref())
    }

    /// The actor of the command being executed (`None` outside `execute_as`, or without one).
    pub(crate) fn actor(&self) -> Option<&Actor> {
        self.actor.as_ref()
    }

    // ------------------------------------------------------------------ queries

    /// Taxonomies in force.
    pub fn taxonomies(&self) -> &Taxonomies {
        &self.taxonomies
    }
    /// Meeting types in force.
    pub fn meeting_types(&self) -> &MeetingTypes {
        &self.meeting_types
    }
    /// The agency directory.
    pub fn directory(&self) -> &Directory {
        &self.directory
    }
    /// Household by id.
    pub fn household(&self, id: &HouseholdId) -> Option<&Household> {
        self.households.get(id)
    }
    /// All households.
    pub fn households(&self) -> impl Iterator<Item = &Household> {
        self.households.values()
    }
    /// Case by id.
    pub fn case(&self, id: &CaseId) -> Option<&Case> {
        self.cases.get(id)
    }
    /// All cases.
    pub fn cases(&self) -> impl Iterator<Item = &Case> {
        self.cases.values()
    }
    /// Plan history by id.
    pub fn plan(&self, id: &PlanId) -> Option<&PlanHistory> {
        self.plans.get(id)
    }
    /// All plan histories.
    pub fn plans(&self) -> impl Iterator<Item = &PlanHistory> {
        self.plans.values()
    }
    /// Liaison contacts, in order of recording.
    pub fn contacts(&self) -> &[LiaisonContact] {
        &self.contacts
    }
    /// Referral by id.
    pub fn referral(&self, id: &ReferralId) -> Option<&Referral> {
        self.referrals.get(id)
    }
    /// All referrals.
    pub fn referrals(&self) -> Vec<Referral> {
        self.referrals.values().cloned().collect()
    }
    /// All meetings.
    pub fn meetings(&self) -> impl Iterator<Item = &Meeting> {
        self.meetings.values()
    }
    /// Consent records.
    pub fn consents(&self) -> &[ConsentRecord] {
        &self.consents
    }
    /// Meeting-track changes caused by consent events.
    pub fn track_changes(&self) -> &[TrackChange] {
        &self.track_changes
    }
    /// Every provision record (第三者提供記録).
    pub fn provisions(&self) -> &[ProvisionRecord] {
        &self.provisions
    }
    /// Who saw what of a person's information, when and why.
    pub fn access_log(&self, person: &PersonId) -> Vec<&ProvisionRecord> {
        crate::disclosure::access_log(&self.provisions, person)
    }
    /// Plans whose monitoring is overdue on `today`.
    pub fn overdue_monitoring(&self, today: NaiveDate) -> Vec<crate::plan::OverdueMonitoring> {
        crate::plan::overdue_monitoring(self.plans.values().map(|h| h.current()), today)
    }
    /// Referrals sent and unanswered past their follow-up date.
    pub fn stalled_referrals(&self, today: NaiveDate) -> Vec<crate::referral::StalledReferral> {
        crate::referral::stalled_referrals(&self.referrals(), today)
    }
    /// Declined, revoked or stalled referrals back in their senders' queues with next options.
    pub fn sender_queue(&self, today: NaiveDate) -> Vec<crate::referral::ReturnedReferral> {
        crate::referral::sender_queue(&self.referrals(), &self.directory, &self.taxonomies, today)
    }
    /// Social-resource kinds in force.
    pub fn resource_kinds(&self) -> &ResourceKinds {
        &self.resource_kinds
    }
    /// The social-resource directory (社会資源リスト).
    pub fn resources(&self) -> &ResourceDirectory {
        &self.resources
    }
    /// Match records, in the order proposed.
    pub fn matches(&self) -> &[MatchRecord] {
        self.matches.matches()
    }
    /// Match record by id.
    pub fn match_record(&self, id: &crate::participation::MatchId) -> Option<&MatchRecord> {
        self.matches.get(id)
    }
    /// Candidate resources for a member of a registered household, best first, each with the
    /// reasons that raised its score (the weights default to [`MatchWeights::default`]).
    pub fn match_candidates(
        &self,
        household: &HouseholdId,
        request: &MatchRequest,
        weights: &MatchWeights,
        today: NaiveDate,
    ) -> Result<Vec<Candidate>, Error> {
        let h = self
            .households
            .get(household)
            .ok_or_else(|| not_found("household", household, "$.household"))?;
        crate::participation::match_candidates(
            h,
            request,
            &self.resources,
            &self.resource_kinds,
            &self.taxonomies,
            weights,
            today,
        )
        .map_err(Error::from)
    }
    /// Live matches whose follow-up (定着支援) is due on or before `today`, most overdue first.
    pub fn follow_ups_due(&self, today: NaiveDate) -> Vec<FollowUpDue> {
        crate::participation::follow_ups_due(self.matches.matches(), today)
    }
    /// Recorded resource gaps, one row per (area, need).
    pub fn resource_gaps(&self) -> &[ResourceGap] {
        self.gaps.gaps()
    }
    /// Resource gaps grouped by area (社会資源の不足, for resource development).
    pub fn resource_gaps_by_area(&self) -> Vec<AreaGaps> {
        crate::participation::gaps_by_area(self.gaps.gaps())
    }
    /// The community-activity register.
    pub fn community(&self) -> &CommunityRegister {
        &self.community
    }
    /// Per-area community figures for `from..=to` (activities, sessions, participants, gaps).
    pub fn community_area_stats(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<AreaStats>, Error> {
        crate::community::area_stats(&self.community, self.gaps.gaps(), from, to)
            .map_err(Error::from)
    }
    /// Risk ranks and visit intervals in force.
    pub fn visit_intervals(&self) -> &VisitIntervals {
        &self.visit_intervals
    }
    /// Affected-household records, in the order opened (ended ones included).
    pub fn disaster_records(&self) -> &[DisasterRecord] {
        &self.disaster_records
    }
    /// Affected-household record by id.
    pub fn disaster_record(&self, id: &DisasterRecordId) -> Option<&DisasterRecord> {
        self.disaster_index
            .get(id)
            .map(|&i| &self.disaster_records[i])
    }
    /// The disaster history of an ordinary case: the ended records linked to it.
    pub fn disaster_history(&self, case: &CaseId) -> Vec<&DisasterRecord> {
        self.disaster_records
            .iter()
            .filter(|r| {
                matches!(&r.phase, crate::disaster::Phase::Ended { case: Some(c), .. } if c == case)
            })
            .collect()
    }
    /// Households in the disaster phase whose watching-over visit is due on or before `today`.
    pub fn visits_due(&self, today: NaiveDate) -> Vec<VisitDue> {
        crate::disaster::visits_due(&self.disaster_records, &self.visit_intervals, today)
    }
    /// Households in the disaster phase whose watching-over visit is overdue on `today` (was due
    /// before it), most overdue first.
    pub fn visits_overdue(&self, today: NaiveDate) -> Vec<VisitDue> {
        crate::disaster::visits_overdue(&self.disaster_records, &self.visit_intervals, today)
    }
    /// Worker roles in force (職種).
    pub fn roles(&self) -> &Roles {
        &self.roles
    }
    /// The staff roster (職員名簿).
    pub fn staff(&self) -> &Staff {
        &self.staff
    }
    /// Worker by id.
    pub fn worker(&self, id: &WorkerId) -> Option<&WorkerRecord> {
        self.staff.get(id)
    }
    /// Every case team.
    pub fn case_teams(&self) -> &CaseTeams {
        &self.teams
    }
    /// A case's team (主担当, 副担当, history), if assigned.
    pub fn case_team(&self, case: &CaseId) -> Option<&CaseTeam> {
        self.teams.get(case)
    }
    /// The cases a worker is on the team of (担当ケース), by case id, with their place and
    /// whether the case is open.
    pub fn worker_cases(&self, worker: &WorkerId) -> Vec<WorkerCase> {
        self.teams
            .cases_of(worker)
            .map(|(case, position)| WorkerCase {
                case: case.clone(),
                position,
                open: self
                    .cases
                    .get(case)
                    .is_some_and(|c| !matches!(c.state(), crate::case::CaseState::Closed { .. })),
            })
            .collect()
    }
    /// A filled form kept whole (様式の記録), by record id.
    pub fn form_record(
        &self,
        id: &crate::forms::FormRecordId,
    ) -> Option<&crate::forms::FormRecord> {
        self.form_records.get(id)
    }
    /// The filled forms of a case, in record-id order.
    pub fn form_records_of_case(&self, case: &CaseId) -> Vec<&crate::forms::FormRecord> {
        self.form_records
            .values()
            .filter(|r| r.case.as_ref() == Some(case))
            .collect()
    }
    /// Composite patterns of a registered household on `today`.
    pub fn patterns(
        &self,
        household: &HouseholdId,
        today: NaiveDate,
    ) -> Result<Vec<PatternFinding>, Error> {
        let h = self
            .households
            .get(household)
            .ok_or_else(|| not_found("household", household, "$.household"))?;
        Ok(crate::patterns::detect_patterns(
            h,
            &self.taxonomies,
            &self.directory,
            &self.pattern_settings,
            today,
        ))
    }
    /// The person master (個人台帳).
    pub fn persons(&self) -> &PersonMaster {
        &self.persons
    }
    /// The current record of a person; a merged record's id gives the surviving person's
    /// record (名寄せ).
    pub fn person(&self, id: &PersonId) -> Option<&PersonRecord> {
        self.persons.person(id)
    }
    /// The id a person record resolves to after merges (itself when not merged).
    pub fn resolve_person<'a>(&'a self, id: &'a PersonId) -> Option<&'a PersonId> {
        self.persons.resolve(id)
    }
    /// Search persons across all windows by kana prefix, name, birth date, small area and
    /// phone (combinable; `empty_query` without a criterion).
    pub fn search_persons(&self, query: &PersonQuery) -> Result<PersonSearch<'_>, Error> {
        self.persons.search(query).map_err(Error::from)
    }
    /// 名寄せ candidate pairs with scores and reasons, best first.
    pub fn duplicate_candidates(&self, weights: &CandidateWeights) -> Vec<CandidatePair> {
        self.persons.duplicate_candidates(weights)
    }
    /// The merges and splits that concern a person.
    pub fn merge_history(&self, id: &PersonId) -> Vec<&MergeRecord> {
        self.persons.merge_history(id)
    }
}
