//! Pseudonymised export (仮名加工した分析用データ): tables of cases, persons, issues, contacts,
//! referrals and meetings for analysis outside the case system.
//!
//! What leaves: codes (issues, agency kinds, sectors, closure reasons, meeting types, states),
//! dates of records (intake, contact, meeting …), and keyed pseudonyms ([`Pseudonymiser`]) in
//! place of every id — of cases, households, persons, agencies (an "agency" may be a single
//! 民生委員 or a neighbour), referrals, contacts and meetings. What never leaves: names, free
//! text (chief complaints, purposes, notes, wishes), birth dates (coarsened to age bands: the
//! person's band on `as_of`, the subject's band on the intake date), persons' and households'
//! areas. The participation, community and disaster tables are in `export_support`, with its
//! decisions (the areas of places — resources, activities, resource gaps — do leave).
//!
//! Small vocabularies are interned: rows hold indices into [`ExportTables::agencies`],
//! [`ExportTables::issue_codes`] and [`ExportTables::age_bands`], so ten million contacts take
//! about 40 bytes each and a binding can hand them to Arrow as dictionary columns.
//!
//! The export is one ordered pass over the journal (agencies and households are registered
//! before they are referenced); it does not re-validate commands.

use super::fast::IdMap;
use super::{AgeBands, Pseudonymiser};
use crate::case::{CaseCommand, Outcome};
use crate::error::Error;
use crate::household::Relation;
use crate::ids::*;
use crate::meeting::{ConvenerRole, MeetingTypes};
use crate::referral::{ContactChannel, ReferralCommand, ReferralStatus};
use crate::registry::{
    CaseAction, ConsentAction, ConsentToPlan, CreatePlan, DisasterAction, Disclose, EndActivity,
    EndDisasterPhase, ExtendMeetingTypes, ExtendResourceKinds, ExtendTaxonomy, HoldMeeting,
    LogContact, MatchAction, OpenCase, OpenDisasterRecord, OpenOutreachCase, ProposeReferral,
    RecordMonitoring, RecordResourceGap, RecordSession, ReferralAction, RegisterActivity,
    RegisterAgency, RegisterHousehold, RegisterResource, Replan, SetVisitIntervals,
    UpdateHousehold, UpdateResource,
};
use crate::registry::{Command, Event};
use crate::taxonomy::Taxonomies;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// A case (one row per case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    /// Case pseudonym.
    pub case: u64,
    /// Household pseudonym.
    pub household: u64,
    /// Subject (本人) pseudonym.
    pub subject: u64,
    /// Opened on (intake or outreach start).
    pub opened_on: NaiveDate,
    /// Opened by outreach (アウトリーチ) rather than intake.
    pub outreach: bool,
    /// First consultation (intake) date, if the person engaged.
    pub first_consultation_on: Option<NaiveDate>,
    /// Subject's age band on the intake date (index into [`ExportTables::age_bands`]).
    pub age_band: u8,
    /// Highest-precedence outcome decided (as in the annual report).
    pub outcome: Option<Outcome>,
    /// Closed (after the last close / reopen).
    pub closed_on: Option<NaiveDate>,
    /// Closure reason of the last closure.
    pub closure_reason: Option<ClosureReasonCode>,
}

/// A person (one row per household member, latest household document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    /// Person pseudonym.
    pub person: u64,
    /// Household pseudonym.
    pub household: u64,
    /// Relation to the head.
    pub relation: Relation,
    /// Age band on `as_of` (index into [`ExportTables::age_bands`]).
    pub age_band: u8,
}

/// An issue found at assessment (latest assessment of each case; one row per member and code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueRow {
    /// Case pseudonym.
    pub case: u64,
    /// Member pseudonym; `None` for the household as a whole.
    pub member: Option<u64>,
    /// Index into [`ExportTables::issue_codes`].
    pub issue: u32,
}

/// A liaison contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRow {
    /// Contact pseudonym.
    pub contact: u64,
    /// Case pseudonym, when the contact was about one.
    pub case: Option<u64>,
    /// Date.
    pub on: NaiveDate,
    /// Index into [`ExportTables::agencies`].
    pub agency: u32,
    /// Channel.
    pub channel: ContactChannel,
}

/// A referral (status after the whole journal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralRow {
    /// Referral pseudonym.
    pub referral: u64,
    /// Case pseudonym.
    pub case: u64,
    /// Sending agency (index into [`ExportTables::agencies`]).
    pub from: u32,
    /// Receiving agency (index into [`ExportTables::agencies`]).
    pub to: u32,
    /// Proposed on.
    pub proposed_on: NaiveDate,
    /// Status.
    pub status: ReferralStatus,
}

/// A meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRow {
    /// Meeting pseudonym.
    pub meeting: u64,
    /// Recorded type code.
    pub meeting_type: String,
    /// Base type code (aliases resolved; the recorded code when unknown).
    pub base_type: String,
    /// Date.
    pub date: NaiveDate,
    /// Convener's role.
    pub convener: ConvenerRole,
    /// Number of cases discussed.
    pub cases: u32,
}

/// An interned agency: pseudonym, kind and sector (`None` when the kind is unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportAgency {
    /// Agency pseudonym.
    pub agency: u64,
    /// Kind code.
    pub kind: Option<AgencyKindCode>,
    /// Sector code.
    pub sector: Option<SectorCode>,
}

/// The exported tables.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExportTables {
    /// Cases.
    pub cases: Vec<CaseRow>,
    /// Persons.
    pub persons: Vec<PersonRow>,
    /// Issues.
    pub issues: Vec<IssueRow>,
    /// Contacts.
    pub contacts: Vec<ContactRow>,
    /// Referrals.
    pub referrals: Vec<ReferralRow>,
    /// Meetings.
    pub meetings: Vec<MeetingRow>,
    /// Interned agencies.
    pub agencies: Vec<ExportAgency>,
    /// Interned issue codes.
    pub issue_codes: Vec<IssueCode>,
    /// Age band codes; the last is `unknown`.
    pub age_bands: Vec<String>,
    /// Participation-support, community and disaster tables (see `export_support`).
    pub support: super::SupportTables,
}

struct PersonInfo {
    household: HouseholdId,
    relation: Relation,
    birth_date: Option<NaiveDate>,
    approx_age: Option<u32>,
}

fn rank(o: Outcome) -> u8 {
    match o {
        Outcome::InformationOnly => 1,
        Outcome::HandedOver => 2,
        Outcome::ContinuingSupport => 3,
    }
}

struct Exporter<'a> {
    key: &'a Pseudonymiser,
    bands: &'a AgeBands,
    tax: Taxonomies,
    types: MeetingTypes,
    agency_index: IdMap<AgencyId, u32>,
    agencies: Vec<ExportAgency>,
    issue_index: BTreeMap<IssueCode, u32>,
    persons: IdMap<PersonId, PersonInfo>,
    person_order: Vec<PersonId>,
    cases: BTreeMap<CaseId, (CaseRow, Vec<IssueRow>)>,
    case_pseudonyms: IdMap<CaseId, u64>,
    subjects: IdMap<CaseId, PersonId>,
    referrals: BTreeMap<ReferralId, ReferralRow>,
    support: super::export_support::SupportExporter,
    out: ExportTables,
}

impl Exporter<'_> {
    fn agency(&mut self, id: &AgencyId) -> u32 {
        if let Some(i) = self.agency_index.get(id) {
            return *i;
        }
        let i = self.agencies.len() as u32;
        self.agencies.push(ExportAgency {
            agency: self.key.pseudonym("agency", id.as_str()),
            kind: None,
            sector: None,
        });
        self.agency_index.insert(id.clone(), i);
        i
    }

    fn case_pseudonym(&mut self, id: &CaseId) -> u64 {
        if let Some(p) = self.case_pseudonyms.get(id) {
            return *p;
        }
        let p = self.key.pseudonym("case", id.as_str());
        self.case_pseudonyms.insert(id.clone(), p);
        p
    }

    fn band_at(&self, person: &PersonId, on: NaiveDate) -> u8 {
        let age = self.persons.get(person).and_then(|p| match p.birth_date {
            Some(b) => crate::calendar::age_on(b, on),
            None => p.approx_age,
        });
        self.bands.index_of(age) as u8
    }

    fn open(
        &mut self,
        case: &CaseId,
        household: &HouseholdId,
        subject: &PersonId,
        on: NaiveDate,
        intake: Option<NaiveDate>,
    ) {
        let row = CaseRow {
            case: self.case_pseudonym(case),
            household: self.key.pseudonym("household", household.as_str()),
            subject: self.key.pseudonym("person", subject.as_str()),
            opened_on: on,
            outreach: intake.is_none(),
            first_consultation_on: intake,
            age_band: intake.map_or(self.bands.index_of(None) as u8, |d| {
                self.band_at(subject, d)
            }),
            outcome: None,
            closed_on: None,
            closure_reason: None,
        };
        self.cases.insert(case.clone(), (row, Vec::new()));
        self.subjects.insert(case.clone(), subject.clone());
    }

    fn add(&mut self, e: &Event) -> Result<(), Error> {
        match &e.command {
            Command::ExtendTaxonomy(ExtendTaxonomy { document }) => {
                self.tax = self.tax.extended(document.clone())?
            }
            Command::ExtendMeetingTypes(ExtendMeetingTypes { document }) => {
                self.types = self.types.extended(document.clone())?
            }
            Command::RegisterAgency(RegisterAgency { agency }) => {
                let i = self.agency(&agency.id) as usize;
                self.agencies[i].kind = Some(agency.kind.clone());
                self.agencies[i].sector = self.tax.sector_of(&agency.kind).cloned();
            }
            Command::RegisterHousehold(RegisterHousehold { household })
            | Command::UpdateHousehold(UpdateHousehold { household }) => {
                for m in &household.members {
                    if !self.persons.contains_key(&m.id) {
                        self.person_order.push(m.id.clone());
                    }
                    self.persons.insert(
                        m.id.clone(),
                        PersonInfo {
                            household: household.id.clone(),
                            relation: m.relation,
                            birth_date: m.birth_date,
                            approx_age: m.approx_age,
                        },
                    );
                }
            }
            Command::OpenCase(OpenCase {
                case,
                household,
                subject,
                intake,
                ..
            }) => self.open(case, household, subject, intake.on, Some(intake.on)),
            Command::OpenOutreachCase(OpenOutreachCase {
                case,
                household,
                subject,
                outreach,
                ..
            }) => self.open(case, household, subject, outreach.on, None),
            Command::Case(CaseAction { case, action }) => {
                if !self.cases.contains_key(case) {
                    return Ok(());
                }
                match action {
                    CaseCommand::Engage { intake } => {
                        let subject = self.subject_of(case);
                        let band = subject.map(|s| self.band_at(&s, intake.on));
                        if let Some((row, _)) = self.cases.get_mut(case) {
                            row.first_consultation_on.get_or_insert(intake.on);
                            if let Some(b) = band {
                                row.age_band = b;
                            }
                        }
                    }
                    CaseCommand::RecordAssessment { assessment } => {
                        let mut rows = Vec::new();
                        let case_p = self.case_pseudonym(case);
                        for m in &assessment.issues {
                            let member = m
                                .member
                                .as_ref()
                                .map(|p| self.key.pseudonym("person", p.as_str()));
                            for code in &m.issues {
                                let n = self.issue_index.len() as u32;
                                let issue = *self.issue_index.entry(code.clone()).or_insert(n);
                                rows.push(IssueRow {
                                    case: case_p,
                                    member,
                                    issue,
                                });
                            }
                        }
                        if let Some((_, issues)) = self.cases.get_mut(case) {
                            *issues = rows;
                        }
                    }
                    CaseCommand::Decide { outcome } => {
                        if let Some((row, _)) = self.cases.get_mut(case) {
                            if row.outcome.is_none_or(|o| rank(o) < rank(*outcome)) {
                                row.outcome = Some(*outcome);
                            }
                            if *outcome == Outcome::InformationOnly {
                                row.closed_on = Some(e.on);
                                row.closure_reason =
                                    Some(crate::case::INFORMATION_ONLY_REASON.into());
                            }
                        }
                    }
                    CaseCommand::Close { reason, on, .. } => {
                        if let Some((row, _)) = self.cases.get_mut(case) {
                            row.closed_on = Some(*on);
                            row.closure_reason = Some(reason.clone());
                        }
                    }
                    CaseCommand::Reopen { .. } => {
                        if let Some((row, _)) = self.cases.get_mut(case) {
                            row.closed_on = None;
                            row.closure_reason = None;
                        }
                    }
                    _ => {}
                }
            }
            Command::LogContact(LogContact { contact }) => {
                let case = contact.case.as_ref().map(|c| self.case_pseudonym(c));
                let agency = self.agency(&contact.agency);
                self.out.contacts.push(ContactRow {
                    contact: self.key.pseudonym("contact", contact.id.as_str()),
                    case,
                    on: contact.on,
                    agency,
                    channel: contact.channel,
                });
            }
            Command::ProposeReferral(ProposeReferral { proposal }) => {
                let row = ReferralRow {
                    referral: self.key.pseudonym("referral", proposal.id.as_str()),
                    case: self.case_pseudonym(&proposal.case),
                    from: self.agency(&proposal.from),
                    to: self.agency(&proposal.to),
                    proposed_on: proposal.on,
                    status: ReferralStatus::Proposed,
                };
                self.referrals.insert(proposal.id.clone(), row);
            }
            Command::Referral(ReferralAction {
                referral, action, ..
            }) => {
                let status = match action {
                    ReferralCommand::Send { .. } => ReferralStatus::Sent,
                    ReferralCommand::Accept { .. } => ReferralStatus::Accepted,
                    ReferralCommand::Decline { .. } => ReferralStatus::Declined,
                    ReferralCommand::Complete { .. } => ReferralStatus::Completed,
                    ReferralCommand::Revoke { .. } => ReferralStatus::Revoked,
                    ReferralCommand::SetFollowUp { .. } => return Ok(()),
                };
                if let Some(r) = self.referrals.get_mut(referral) {
                    r.status = status;
                }
            }
            Command::HoldMeeting(HoldMeeting { meeting }) => {
                let base = self.types.resolve(&meeting.meeting_type).map_or_else(
                    || meeting.meeting_type.to_string(),
                    |r| r.base.code.to_string(),
                );
                self.out.meetings.push(MeetingRow {
                    meeting: self.key.pseudonym("meeting", meeting.id.as_str()),
                    meeting_type: meeting.meeting_type.to_string(),
                    base_type: base,
                    date: meeting.date,
                    convener: meeting.convener.role,
                    cases: meeting.cases.len() as u32,
                });
            }
            Command::CreatePlan(CreatePlan { .. })
            | Command::Replan(Replan { .. })
            | Command::ConsentToPlan(ConsentToPlan { .. })
            | Command::RecordMonitoring(RecordMonitoring { .. })
            | Command::Consent(ConsentAction { .. })
            | Command::Disclose(Disclose { .. }) => {}
            // Participation, community and disaster records: see `export_support`.
            Command::ExtendResourceKinds(ExtendResourceKinds { .. })
            | Command::RegisterResource(RegisterResource { .. })
            | Command::UpdateResource(UpdateResource { .. })
            | Command::Match(MatchAction { .. })
            | Command::RecordResourceGap(RecordResourceGap { .. })
            | Command::RegisterActivity(RegisterActivity { .. })
            | Command::RecordSession(RecordSession { .. })
            | Command::EndActivity(EndActivity { .. })
            | Command::SetVisitIntervals(SetVisitIntervals { .. })
            | Command::OpenDisasterRecord(OpenDisasterRecord { .. })
            | Command::Disaster(DisasterAction { .. })
            | Command::EndDisasterPhase(EndDisasterPhase { .. }) => self.support.add(self.key, e),
        }
        Ok(())
    }

    fn subject_of(&self, case: &CaseId) -> Option<PersonId> {
        self.subjects.get(case).cloned()
    }
}

/// Export the journal `events` as pseudonymised tables. `key` hashes every id; `as_of` is the
/// date on which persons' age bands are taken; `bands` are the age bands (an extra `unknown`
/// band closes the list). Errors: taxonomy or meeting-type extension errors from the journal.
pub fn export<E: std::borrow::Borrow<Event>>(
    events: impl IntoIterator<Item = E>,
    key: &Pseudonymiser,
    as_of: NaiveDate,
    bands: &AgeBands,
) -> Result<ExportTables, Error> {
    let mut x = Exporter {
        key,
        bands,
        tax: super::fast::builtin_taxonomies(),
        types: super::fast::builtin_meeting_types(),
        agency_index: IdMap::default(),
        agencies: Vec::new(),
        issue_index: BTreeMap::new(),
        persons: IdMap::default(),
        person_order: Vec::new(),
        cases: BTreeMap::new(),
        case_pseudonyms: IdMap::default(),
        subjects: IdMap::default(),
        referrals: BTreeMap::new(),
        support: Default::default(),
        out: ExportTables::default(),
    };
    for e in events {
        x.add(e.borrow())?;
    }
    let mut out = std::mem::take(&mut x.out);
    for (row, issues) in std::mem::take(&mut x.cases).into_values() {
        out.cases.push(row);
        out.issues.extend(issues);
    }
    for id in &x.person_order {
        if let Some(p) = x.persons.get(id) {
            out.persons.push(PersonRow {
                person: key.pseudonym("person", id.as_str()),
                household: key.pseudonym("household", p.household.as_str()),
                relation: p.relation,
                age_band: x.band_at(id, as_of),
            });
        }
    }
    out.referrals = std::mem::take(&mut x.referrals).into_values().collect();
    out.agencies = std::mem::take(&mut x.agencies);
    let mut codes: Vec<(u32, IssueCode)> = x.issue_index.into_iter().map(|(c, i)| (i, c)).collect();
    codes.sort();
    out.issue_codes = codes.into_iter().map(|(_, c)| c).collect();
    out.age_bands = bands.bands().iter().map(|b| b.code.clone()).collect();
    out.age_bands.push(super::report::UNKNOWN_AGE.into());
    out.support = x.support.finish();
    Ok(out)
}
