//! Registry (台帳): the whole state of one municipality's support records — configuration
//! (taxonomy extensions, the agency directory, meeting types), households, cases, support plans,
//! liaison contacts, referrals, meetings, consents and the provision records of every disclosure;
//! for participation support, community building and disaster case management (issue 9, wired
//! in `support.rs`) the social-resource directory, match records with their follow-ups, resource
//! gaps, community activities and sessions, risk ranks and affected-household records — and the
//! one [`Command`] type that changes it.
//!
//! Every change goes through [`Registry::execute`], which checks the cross-entity rules (a case's
//! household exists and the subject is a member, a plan belongs to an existing case, a referral's
//! case exists …) and delegates the entity's own rules to its module. A rejected command changes
//! nothing. Commands are deterministic given the state and the `today` they were executed on, so
//! the journal stores [`Event`] = `{ on, command }` and replay re-executes them: replay rebuilds
//! exactly the state the commands produced (see [`Registry::replay`]).
//!
//! This module owns no domain rule itself; it wires the modules together. The journal-backed
//! [`CaseBook`] adds durability.

mod book;
mod support;

pub use book::CaseBook;

use crate::agency::{Agency, Directory};
use crate::case::{AcceptedReferral, Case, CaseCommand, CaseContext, Intake, Outreach, Transition};
use crate::coded::Coded;
use crate::community::{Activity, ActivityId, AreaStats, CommunityRegister, Session};
use crate::consent::{ConsentCommand, ConsentRecord, TrackChange};
use crate::disaster::{
    DisasterCommand, DisasterRecord, DisasterRecordId, DispatchId, OpenRecord, RiskRankCode,
    VisitDue, VisitIntervals,
};
use crate::disclosure::{CaseView, DisclosureRequest, ProvisionRecord};
use crate::household::Household;
use crate::ids::*;
use crate::meeting::{Meeting, MeetingId, MeetingTypes, MeetingTypesDocument};
use crate::participation::{
    AreaGaps, Candidate, FollowUpDue, GapRegister, GapSuggestion, MatchBook, MatchCommand,
    MatchRecord, MatchRequest, MatchStatus, MatchWeights, ResourceDirectory, ResourceGap,
    ResourceKinds, ResourceKindsDocument, SocialResource,
};
use crate::patterns::{PatternFinding, PatternSettings};
use crate::plan::{MonitoringRecord, PlanConsent, PlanHistory, PlanStatus, SupportPlan};
use crate::privacy::InfoCategory;
use crate::referral::{
    LiaisonContact, Referral, ReferralCommand, ReferralProposal, ReferralStatus,
};
use crate::taxonomy::{Taxonomies, TaxonomyDocument};
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A command: the only way the registry changes. Serialised as `{"command": "...", ...}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "command", rename_all = "snake_case", deny_unknown_fields)]
#[allow(clippy::large_enum_variant)]
pub enum Command {
    /// Extend the taxonomies with a municipality's document.
    ExtendTaxonomy {
        /// The extension.
        document: TaxonomyDocument,
    },
    /// Extend the meeting types (e.g. municipal names such as つながる会議).
    ExtendMeetingTypes {
        /// The extension.
        document: MeetingTypesDocument,
    },
    /// Add an agency to the directory.
    RegisterAgency {
        /// The agency.
        agency: Agency,
    },
    /// Register a household (世帯).
    RegisterHousehold {
        /// The household document.
        household: Household,
    },
    /// Replace a registered household's document (members move, issues change).
    UpdateHousehold {
        /// The new document (same id).
        household: Household,
    },
    /// Open a case at intake (受付).
    OpenCase {
        /// Case id.
        case: CaseId,
        /// Household.
        household: HouseholdId,
        /// The person at the centre (本人), a member of the household.
        subject: PersonId,
        /// The responsible window.
        responsible_window: AgencyId,
        /// Intake record.
        intake: Intake,
    },
    /// Open a case by outreach, before the person engages (アウトリーチ).
    OpenOutreachCase {
        /// Case id.
        case: CaseId,
        /// Household.
        household: HouseholdId,
        /// The person reached out to.
        subject: PersonId,
        /// The responsible window.
        responsible_window: AgencyId,
        /// Outreach record.
        outreach: Outreach,
    },
    /// A lifecycle command on a case.
    Case {
        /// Case id.
        case: CaseId,
        /// The command.
        action: CaseCommand,
    },
    /// Make the first version of a support plan (支援プラン).
    CreatePlan {
        /// The plan (version 1).
        plan: SupportPlan,
    },
    /// Re-plan (リプラン): the next version of a plan.
    Replan {
        /// The new version.
        plan: SupportPlan,
    },
    /// Record the person's consent to the current plan version.
    ConsentToPlan {
        /// Plan id.
        plan: PlanId,
        /// The consent.
        consent: PlanConsent,
    },
    /// Record monitoring (モニタリング) of the current plan version.
    RecordMonitoring {
        /// Plan id.
        plan: PlanId,
        /// The record.
        record: MonitoringRecord,
    },
    /// Log a liaison contact (連絡調整).
    LogContact {
        /// The contact.
        contact: LiaisonContact,
    },
    /// Propose a referral (つなぎ).
    ProposeReferral {
        /// The proposal.
        proposal: ReferralProposal,
    },
    /// Act on a referral as `actor`.
    Referral {
        /// Referral id.
        referral: ReferralId,
        /// Acting agency.
        actor: AgencyId,
        /// The command.
        action: ReferralCommand,
    },
    /// Record a meeting (会議) held.
    HoldMeeting {
        /// The meeting record.
        meeting: Meeting,
    },
    /// Give, refuse or withdraw consent (同意).
    Consent {
        /// The command.
        action: ConsentCommand,
    },
    /// Show a case to an audience: decided by the disclosure rules, recorded as a provision record.
    Disclose {
        /// What is asked.
        request: DisclosureRequest,
        /// The providing agency.
        provider: AgencyId,
        /// Categories the presenter intends to show.
        shown: Vec<InfoCategory>,
    },
    /// Extend the social-resource kinds (社会資源の種別) with a municipality's document.
    ExtendResourceKinds {
        /// The extension.
        document: ResourceKindsDocument,
    },
    /// Add a social resource (社会資源: 居場所, サロン, 当事者の会 …) to the directory.
    RegisterResource {
        /// The resource.
        resource: SocialResource,
    },
    /// Replace a registered social resource (days, capacity, contact changed).
    UpdateResource {
        /// The new entry (same id).
        resource: SocialResource,
    },
    /// A command on match records (マッチング): propose, tried, continuing, follow-up visit
    /// (定着支援), stop with a reason. Every live match keeps its next follow-up date.
    Match {
        /// The command.
        r#match: MatchCommand,
    },
    /// Count one person's need that no resource met (社会資源の不足) in its area, on `today`.
    RecordResourceGap {
        /// The gap (area and need only: no personal data).
        gap: GapSuggestion,
    },
    /// Register a community activity or place (地域活動・場) of a small area.
    RegisterActivity {
        /// The activity.
        activity: Activity,
    },
    /// Record a session (開催) of an activity, with counts only.
    RecordSession {
        /// The session.
        session: Session,
    },
    /// An activity ended (休止・終了); its record and sessions stay.
    EndActivity {
        /// Activity id.
        activity: ActivityId,
        /// Date.
        on: NaiveDate,
    },
    /// Replace the risk ranks and watching-over intervals (見守りランクと訪問頻度).
    SetVisitIntervals {
        /// The ranks.
        intervals: VisitIntervals,
    },
    /// Open an affected-household record (被災世帯の記録) for a registered household.
    OpenDisasterRecord {
        /// The opening record.
        record: OpenRecord,
    },
    /// A command on an affected-household record: housing-stage move, issue, risk assessment,
    /// watching-over visit (見守り訪問), professional dispatch (専門職派遣) and its report.
    Disaster {
        /// Record id.
        record: DisasterRecordId,
        /// The command.
        action: DisasterCommand,
    },
    /// End the disaster phase (被災者支援から地域福祉へ): the household moves into an ordinary
    /// case and the record is kept, read-only, linked to it. The case is one of the household's
    /// open cases; to open a new one, send `open_case` and this command in one batch
    /// ([`CaseBook::execute_batch`]), so that both happen or neither does.
    EndDisasterPhase {
        /// Record id.
        record: DisasterRecordId,
        /// Date the phase ends.
        on: NaiveDate,
        /// The ordinary case that takes the household over.
        case: CaseId,
    },
}

impl Command {
    /// Stable snake_case name of the command (as in the JSON tag).
    pub fn name(&self) -> &'static str {
        match self {
            Command::ExtendTaxonomy { .. } => "extend_taxonomy",
            Command::ExtendMeetingTypes { .. } => "extend_meeting_types",
            Command::RegisterAgency { .. } => "register_agency",
            Command::RegisterHousehold { .. } => "register_household",
            Command::UpdateHousehold { .. } => "update_household",
            Command::OpenCase { .. } => "open_case",
            Command::OpenOutreachCase { .. } => "open_outreach_case",
            Command::Case { .. } => "case",
            Command::CreatePlan { .. } => "create_plan",
            Command::Replan { .. } => "replan",
            Command::ConsentToPlan { .. } => "consent_to_plan",
            Command::RecordMonitoring { .. } => "record_monitoring",
            Command::LogContact { .. } => "log_contact",
            Command::ProposeReferral { .. } => "propose_referral",
            Command::Referral { .. } => "referral",
            Command::HoldMeeting { .. } => "hold_meeting",
            Command::Consent { .. } => "consent",
            Command::Disclose { .. } => "disclose",
            Command::ExtendResourceKinds { .. } => "extend_resource_kinds",
            Command::RegisterResource { .. } => "register_resource",
            Command::UpdateResource { .. } => "update_resource",
            Command::Match { .. } => "match",
            Command::RecordResourceGap { .. } => "record_resource_gap",
            Command::RegisterActivity { .. } => "register_activity",
            Command::RecordSession { .. } => "record_session",
            Command::EndActivity { .. } => "end_activity",
            Command::SetVisitIntervals { .. } => "set_visit_intervals",
            Command::OpenDisasterRecord { .. } => "open_disaster_record",
            Command::Disaster { .. } => "disaster",
            Command::EndDisasterPhase { .. } => "end_disaster_phase",
        }
    }
}

/// A journal event: a command accepted on a date (`on` is the `today` it was executed with).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// The date the command was executed (its `today`).
    pub on: NaiveDate,
    /// The command.
    pub command: Command,
}

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
    #[error("date {date} is after today ({today}) at {path}")]
    DateInFuture {
        /// The date given.
        date: NaiveDate,
        /// The day the command was executed.
        today: NaiveDate,
        /// JSON path.
        path: String,
    },
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
            RegistryError::DateInFuture { .. } => "date_in_future",
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            RegistryError::NotFound { path, .. }
            | RegistryError::AlreadyExists { path, .. }
            | RegistryError::Mismatch { path, .. }
            | RegistryError::CaseClosed { path, .. }
            | RegistryError::DateInFuture { path, .. } => Some(path.clone()),
        }
    }
    fn kind(&self) -> crate::coded::ErrorKind {
        match self {
            RegistryError::NotFound { .. } => crate::coded::ErrorKind::NotFound,
            RegistryError::AlreadyExists { .. } => crate::coded::ErrorKind::AlreadyExists,
            RegistryError::Mismatch { .. } => crate::coded::ErrorKind::Rule,
            RegistryError::CaseClosed { .. } => crate::coded::ErrorKind::Transition,
            RegistryError::DateInFuture { .. } => crate::coded::ErrorKind::Rule,
        }
    }
}

fn not_found(entity: &'static str, id: impl ToString, path: &str) -> Error {
    RegistryError::NotFound {
        entity,
        id: id.to_string(),
        path: path.into(),
    }
    .into()
}
fn exists(entity: &'static str, id: impl ToString, path: &str) -> Error {
    RegistryError::AlreadyExists {
        entity,
        id: id.to_string(),
        path: path.into(),
    }
    .into()
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
            reg.execute(&e.command, e.on)?;
        }
        Ok(reg)
    }

    /// Execute a command on `today`. On error nothing changes.
    pub fn execute(&mut self, command: &Command, today: NaiveDate) -> Result<Receipt, Error> {
        support::check_not_future(command, today)?;
        match command {
            Command::ExtendTaxonomy { document } => {
                self.taxonomies = self.taxonomies.extended(document.clone())?;
                Ok(Receipt::Recorded)
            }
            Command::ExtendMeetingTypes { document } => {
                self.meeting_types = self.meeting_types.extended(document.clone())?;
                Ok(Receipt::Recorded)
            }
            Command::RegisterAgency { agency } => {
                let mut all = self.directory.agencies().to_vec();
                if all.iter().any(|a| a.id == agency.id) {
                    return Err(exists("agency", &agency.id, "$.agency.id"));
                }
                all.push(agency.clone());
                self.directory = Directory::new(all, &self.taxonomies)?;
                Ok(Receipt::Recorded)
            }
            Command::RegisterHousehold { household } => {
                if self.households.contains_key(&household.id) {
                    return Err(exists("household", &household.id, "$.household.id"));
                }
                household.validate(&self.taxonomies, today)?;
                self.households
                    .insert(household.id.clone(), household.clone());
                Ok(Receipt::Recorded)
            }
            Command::UpdateHousehold { household } => {
                if !self.households.contains_key(&household.id) {
                    return Err(not_found("household", &household.id, "$.household.id"));
                }
                household.validate(&self.taxonomies, today)?;
                self.households
                    .insert(household.id.clone(), household.clone());
                Ok(Receipt::Recorded)
            }
            Command::OpenCase {
                case,
                household,
                subject,
                responsible_window,
                intake,
            } => {
                self.check_new_case(case, household, subject)?;
                let c = Case::open_intake(
                    case.clone(),
                    household.clone(),
                    subject.clone(),
                    responsible_window.clone(),
                    intake.clone(),
                    self,
                    today,
                )?;
                self.cases.insert(case.clone(), c);
                Ok(Receipt::Recorded)
            }
            Command::OpenOutreachCase {
                case,
                household,
                subject,
                responsible_window,
                outreach,
            } => {
                self.check_new_case(case, household, subject)?;
                let c = Case::open_outreach(
                    case.clone(),
                    household.clone(),
                    subject.clone(),
                    responsible_window.clone(),
                    outreach.clone(),
                    self,
                    today,
                )?;
                self.cases.insert(case.clone(), c);
                Ok(Receipt::Recorded)
            }
            Command::Case { case, action } => {
                let mut c = self
                    .cases
                    .get(case)
                    .cloned()
                    .ok_or_else(|| not_found("case", case, "$.case"))?;
                let transition = c.apply(action, self, today)?;
                self.cases.insert(case.clone(), c);
                Ok(Receipt::CaseTransition { transition })
            }
            Command::CreatePlan { plan } => {
                if self.plans.contains_key(&plan.id) {
                    return Err(exists("plan", &plan.id, "$.plan.id"));
                }
                if !self.cases.contains_key(&plan.case) {
                    return Err(not_found("case", &plan.case, "$.plan.case"));
                }
                let history = PlanHistory::new(plan.clone(), &self.directory, today)?;
                self.plans.insert(plan.id.clone(), history);
                Ok(Receipt::Recorded)
            }
            Command::Replan { plan } => {
                let h = self
                    .plans
                    .get_mut(&plan.id)
                    .ok_or_else(|| not_found("plan", &plan.id, "$.plan.id"))?;
                h.replan(plan.clone(), &self.directory, today)?;
                Ok(Receipt::Recorded)
            }
            Command::ConsentToPlan { plan, consent } => {
                let h = self
                    .plans
                    .get_mut(plan)
                    .ok_or_else(|| not_found("plan", plan, "$.plan"))?;
                h.record_consent(consent.clone(), today)?;
                Ok(Receipt::Recorded)
            }
            Command::RecordMonitoring { plan, record } => {
                let h = self
                    .plans
                    .get_mut(plan)
                    .ok_or_else(|| not_found("plan", plan, "$.plan"))?;
                h.record_monitoring(record.clone(), today)?;
                Ok(Receipt::Recorded)
            }
            Command::LogContact { contact } => {
                if let Some(case) = &contact.case {
                    if !self.cases.contains_key(case) {
                        return Err(not_found("case", case, "$.contact.case"));
                    }
                }
                // Only the new contact is checked (plus a unique id): the earlier ones were
                // checked when they were recorded, and re-checking them against today would
                // reject a log merged from another device. O(log n) per contact, not O(n).
                if self.contact_ids.contains(&contact.id) {
                    return Err(crate::referral::ReferralError::DuplicateContact {
                        id: contact.id.clone(),
                        path: "$.contact.id".into(),
                    }
                    .into());
                }
                contact.validate(&self.directory, today)?;
                self.contact_ids.insert(contact.id.clone());
                self.contacts.push(contact.clone());
                Ok(Receipt::Recorded)
            }
            Command::ProposeReferral { proposal } => {
                if self.referrals.contains_key(&proposal.id) {
                    return Err(exists("referral", &proposal.id, "$.proposal.id"));
                }
                let case = self
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
                let r = Referral::propose(proposal.clone(), &self.directory)?;
                self.referrals.insert(r.id.clone(), r);
                Ok(Receipt::Recorded)
            }
            Command::Referral {
                referral,
                actor,
                action,
            } => {
                let r = self
                    .referrals
                    .get_mut(referral)
                    .ok_or_else(|| not_found("referral", referral, "$.referral"))?;
                let t = r.apply(action.clone(), actor, today)?;
                Ok(Receipt::ReferralTransition { status: t.to_state })
            }
            Command::HoldMeeting { meeting } => {
                if self.meetings.contains_key(&meeting.id) {
                    return Err(exists("meeting", &meeting.id, "$.meeting.id"));
                }
                for (i, c) in meeting.cases.iter().enumerate() {
                    if !self.cases.contains_key(c) {
                        return Err(not_found("case", c, &format!("$.meeting.cases[{i}]")));
                    }
                }
                self.directory
                    .check(&meeting.convener.agency, "$.meeting.convener.agency")?;
                for (i, p) in meeting.participants.iter().enumerate() {
                    self.directory
                        .check(&p.agency, &format!("$.meeting.participants[{i}].agency"))?;
                }
                let m = meeting.clone().hold(&self.meeting_types)?;
                self.meetings.insert(m.id.clone(), m);
                Ok(Receipt::Recorded)
            }
            Command::Consent { action } => {
                let person = match action {
                    ConsentCommand::Give { terms, .. } | ConsentCommand::Refuse { terms, .. } => {
                        Some(&terms.person)
                    }
                    ConsentCommand::Withdraw { .. } => None,
                };
                if let Some(p) = person {
                    if !self.households.values().any(|h| h.member(p).is_some()) {
                        return Err(not_found("person", p, "$.action.terms.person"));
                    }
                }
                let event = crate::consent::handle(&self.consents, action.clone())?;
                let before = self.consents.clone();
                let changes: Vec<TrackChange> = self
                    .cases
                    .keys()
                    .filter_map(|case| {
                        crate::consent::track_after(case, &before, &event, &self.meeting_types)
                    })
                    .filter(|change| {
                        self.cases
                            .get(&change.case)
                            .is_some_and(|c| c.subject() == &change.person)
                    })
                    .collect();
                crate::consent::apply(&mut self.consents, &event);
                self.track_changes.extend(changes.iter().cloned());
                Ok(Receipt::Consent {
                    track_changes: changes,
                })
            }
            Command::Disclose {
                request,
                provider,
                shown,
            } => {
                let case = self
                    .cases
                    .get(&request.case)
                    .ok_or_else(|| not_found("case", &request.case, "$.request.case"))?;
                let household = self
                    .households
                    .get(case.household())
                    .ok_or_else(|| not_found("household", case.household(), "$.request.case"))?;
                if household.member(&request.person).is_none() {
                    return Err(not_found("person", &request.person, "$.request.person"));
                }
                self.directory.check(provider, "$.provider")?;
                let d = crate::disclosure::disclose(
                    request,
                    &self.consents,
                    &self.meeting_types,
                    provider,
                    shown,
                )?;
                let view =
                    crate::disclosure::redact(household, &d.decision, shown, &self.taxonomies);
                if let Some(r) = &d.record {
                    self.provisions.push(r.clone());
                }
                Ok(Receipt::Disclosed {
                    view,
                    record: d.record,
                })
            }
            Command::ExtendResourceKinds { document } => self.extend_resource_kinds(document),
            Command::RegisterResource { resource } => self.put_resource(resource, false),
            Command::UpdateResource { resource } => self.put_resource(resource, true),
            Command::Match { r#match } => self.apply_match(r#match),
            Command::RecordResourceGap { gap } => self.record_gap(gap, today),
            Command::RegisterActivity { activity } => self.register_activity(activity),
            Command::RecordSession { session } => self.record_session(session),
            Command::EndActivity { activity, on } => self.end_activity(activity, *on),
            Command::SetVisitIntervals { intervals } => self.set_visit_intervals(intervals),
            Command::OpenDisasterRecord { record } => self.open_disaster_record(record),
            Command::Disaster { record, action } => self.apply_disaster(record, action),
            Command::EndDisasterPhase { record, on, case } => self.end_disaster(record, *on, case),
        }
    }

    fn check_new_case(
        &self,
        case: &CaseId,
        household: &HouseholdId,
        subject: &PersonId,
    ) -> Result<(), Error> {
        if self.cases.contains_key(case) {
            return Err(exists("case", case, "$.case"));
        }
        let h = self
            .households
            .get(household)
            .ok_or_else(|| not_found("household", household, "$.household"))?;
        if h.member(subject).is_none() {
            return Err(not_found("person", subject, "$.subject"));
        }
        Ok(())
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
}
