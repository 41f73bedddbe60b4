//! The mergeable partial report: facts folded from events, merged as a commutative monoid, and
//! finished into an [`AnnualReport`]. See the module documentation of [`crate::stats`].

use super::fast::{IdMap, IdTable};
use super::report::*;
use super::StatsError;
use crate::agency::AgencyError;
use crate::calendar::FiscalYear;
use crate::case::{CaseCommand, Outcome, INFORMATION_ONLY_REASON};
use crate::error::Error;
use crate::ids::*;
use crate::meeting::{
    ConvenerRole, MeetingId, MeetingTypeCode, MeetingTypes, MeetingTypesDocument,
};
use crate::referral::{ReferralCommand, ReferralStatus};
use crate::registry::{
    CaseAction, CreatePlan, DisasterAction, EndActivity, EndDisasterPhase, ExtendMeetingTypes,
    ExtendResourceKinds, ExtendTaxonomy, HoldMeeting, LogContact, MatchAction, OpenCase,
    OpenDisasterRecord, OpenOutreachCase, ProposeReferral, RecordMonitoring, RecordResourceGap,
    RecordSession, ReferralAction, RegisterActivity, RegisterAgency, RegisterHousehold,
    RegisterResource, Replan, SetVisitIntervals, UpdateHousehold, UpdateResource,
};
use crate::registry::{Command, Event};
use crate::taxonomy::{Taxonomies, TaxonomyDocument, TaxonomyError};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An event's position in the whole journal (its sequence number). Facts replaced by later events
/// keep the position of the event that set them; merge keeps the greatest.
pub type Position = u64;

/// A value with the journal position of the event that set it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Versioned<T> {
    at: Position,
    value: T,
}

/// Keep the later of two versioned values (positions are unique, so this is commutative).
fn keep_latest<T>(slot: &mut Option<Versioned<T>>, other: Option<Versioned<T>>) {
    if let Some(o) = other {
        if slot.as_ref().is_none_or(|s| o.at > s.at) {
            *slot = Some(o);
        }
    }
}

fn min_date(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

/// Precedence of outcomes for single vs continuing: continuing > handed over > information only.
fn rank(o: Outcome) -> u8 {
    match o {
        Outcome::InformationOnly => 1,
        Outcome::HandedOver => 2,
        Outcome::ContinuingSupport => 3,
    }
}

/// The distinct issue codes of an assessment, as numbers of the partial's issue-code table:
/// numbers below 64 as bits (no allocation in the usual case), the rest sorted in `more`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct IssueSet {
    bits: u64,
    more: Vec<u32>,
}

impl IssueSet {
    fn insert(&mut self, i: u32) {
        if i < 64 {
            self.bits |= 1 << i;
        } else if let Err(at) = self.more.binary_search(&i) {
            self.more.insert(at, i);
        }
    }

    /// The numbers in ascending order (set bits by `trailing_zeros`, not a scan of all 64).
    fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        let mut bits = self.bits;
        std::iter::from_fn(move || {
            (bits != 0).then(|| {
                let b = bits.trailing_zeros();
                bits &= bits - 1;
                b
            })
        })
        .chain(self.more.iter().copied())
    }

    pub(super) fn remapped(&self, to: &[u32]) -> IssueSet {
        let mut s = IssueSet::default();
        for i in self.iter() {
            s.insert(to[i as usize]);
        }
        s
    }
}

/// The facts of one case. Persons and issue codes are numbers of the partial's own tables.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct CaseFacts {
    /// Subject: entry number in `persons`.
    subject: Option<u32>,
    /// Opened (intake or outreach start): minimum.
    opened_on: Option<NaiveDate>,
    /// First consultation (intake) date: minimum.
    first_consultation: Option<NaiveDate>,
    /// Highest-precedence outcome decided up to March 31.
    outcome: Option<u8>,
    /// Issue codes of the latest assessment up to March 31.
    issues: Option<Versioned<IssueSet>>,
    /// Open after the latest close / reopen dated before April 1.
    open_at_start: Option<Versioned<bool>>,
    /// Reopened during the year.
    reopened_in_year: bool,
}

impl CaseFacts {
    /// Merge facts of the same case (already in this partial's numbering).
    fn merge(&mut self, o: CaseFacts) {
        if self.subject.is_none() {
            self.subject = o.subject;
        }
        self.opened_on = min_date(self.opened_on, o.opened_on);
        self.first_consultation = min_date(self.first_consultation, o.first_consultation);
        self.outcome = self.outcome.max(o.outcome);
        keep_latest(&mut self.issues, o.issues);
        keep_latest(&mut self.open_at_start, o.open_at_start);
        self.reopened_in_year |= o.reopened_in_year;
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct PersonFacts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    birth_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    approx_age: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
struct ReferralFacts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    proposed_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<Versioned<ReferralStatus>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct MeetingFacts {
    meeting_type: MeetingTypeCode,
    date: NaiveDate,
    convener: ConvenerRole,
}

/// What one case command contributes to the report (besides its case): the facts a
/// [`super::Ledger`] stores per case command, in journal order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum CaseFact {
    /// An outreach case engaged: its first consultation.
    Engage { on: NaiveDate },
    /// An assessment and the distinct issue codes it records (numbers of the issue-code table).
    Assessment {
        at: Position,
        on: NaiveDate,
        codes: IssueSet,
    },
    /// An outcome decided on `on`.
    Decide {
        at: Position,
        on: NaiveDate,
        outcome: Outcome,
    },
    /// Closed on `on` for `reason` (a number of the closure-reason table).
    Close {
        at: Position,
        on: NaiveDate,
        reason: u32,
    },
    /// Reopened on `on`.
    Reopen { at: Position, on: NaiveDate },
}

impl CaseFact {
    /// The fact of a case command at `at` (event date `on`), issue codes numbered by `issue`
    /// and closure reasons by `reason`; `None` for commands the report does not count.
    pub(super) fn of(
        at: Position,
        on: NaiveDate,
        action: &CaseCommand,
        mut issue: impl FnMut(&IssueCode) -> u32,
        reason: impl FnOnce(&ClosureReasonCode) -> u32,
    ) -> Option<CaseFact> {
        Some(match action {
            CaseCommand::Engage { intake } => CaseFact::Engage { on: intake.on },
            CaseCommand::RecordAssessment { assessment } => {
                let mut codes = IssueSet::default();
                for m in &assessment.issues {
                    for code in &m.issues {
                        codes.insert(issue(code));
                    }
                }
                CaseFact::Assessment {
                    at,
                    on: assessment.on,
                    codes,
                }
            }
            CaseCommand::Decide { outcome } => CaseFact::Decide {
                at,
                on,
                outcome: *outcome,
            },
            CaseCommand::Close { reason: r, on, .. } => CaseFact::Close {
                at,
                on: *on,
                reason: reason(r),
            },
            CaseCommand::Reopen { on } => CaseFact::Reopen { at, on: *on },
            _ => return None,
        })
    }
}

/// The date and new status of a referral step; `None` for a step that does not change the
/// status (setting a follow-up).
pub(super) fn referral_step(action: &ReferralCommand) -> Option<(NaiveDate, ReferralStatus)> {
    Some(match action {
        ReferralCommand::Send { on, .. } => (*on, ReferralStatus::Sent),
        ReferralCommand::Accept { on } => (*on, ReferralStatus::Accepted),
        ReferralCommand::Decline { on, .. } => (*on, ReferralStatus::Declined),
        ReferralCommand::Complete { on, .. } => (*on, ReferralStatus::Completed),
        ReferralCommand::Revoke { on, .. } => (*on, ReferralStatus::Revoked),
        ReferralCommand::SetFollowUp { .. } => return None,
    })
}

/// A partial annual report: the facts of one fiscal year folded from some of a journal's
/// events. A commutative monoid under [`PartialReport::merge`] with identity
/// [`PartialReport::new`]; [`PartialReport::finish`] turns it into the [`AnnualReport`].
/// Serialisable, so partials travel between processes (Dask workers pickle them).
///
/// Inside, cases, persons, referrals, contact counters and issue codes are dense tables keyed
/// by id (`stats::fast::IdTable`): an event finds its case without hashing when the previous
/// event was about the same case, and facts refer to persons and issue codes by number, so
/// folding allocates only for the first sight of an id. Equality and the serialised form are
/// by ids and codes (the numbering is private to one partial).
#[derive(Debug, Clone)]
pub struct PartialReport {
    fiscal_year: FiscalYear,
    /// The year's first and last days (cached: computing them costs more than a comparison).
    start: NaiveDate,
    end: NaiveDate,
    taxonomy_docs: BTreeMap<Position, TaxonomyDocument>,
    meeting_docs: BTreeMap<Position, MeetingTypesDocument>,
    agencies: IdMap<AgencyId, AgencyKindCode>,
    /// `None`: referred to (as a case's subject) but no household seen yet.
    persons: IdTable<PersonId, Option<Versioned<PersonFacts>>>,
    cases: IdTable<CaseId, CaseFacts>,
    referrals: IdTable<ReferralId, ReferralFacts>,
    meetings: BTreeMap<MeetingId, MeetingFacts>,
    contacts: IdTable<AgencyId, u64>,
    /// Closures per reason; entry 0 is always `information_provided` (an information-only
    /// decision), so that count needs no lookup.
    closures: IdTable<ClosureReasonCode, u64>,
    issue_codes: IdTable<IssueCode, ()>,
    plans_made: u64,
    replans: u64,
    monitoring: u64,
    /// Participation-support and community-building facts (see `stats::support`).
    support: super::support::SupportFacts,
    /// Events folded (for progress reports; not part of the report).
    events: u64,
}

/// The annual report of `fiscal_year` from a whole journal (positions `0, 1, 2 …`).
pub fn annual_report(
    events: &[Event],
    fiscal_year: FiscalYear,
    settings: &ReportSettings,
) -> Result<AnnualReport, Error> {
    PartialReport::from_events(fiscal_year, events).finish(settings)
}

/// Number of `information_provided` in every closure-reason table.
const INFORMATION_ONLY: usize = 0;

/// A closure-reason table holding `information_provided` as entry 0.
pub(super) fn closure_table<V>(make: impl FnOnce() -> V) -> IdTable<ClosureReasonCode, V> {
    let mut t = IdTable::default();
    t.intern_owned(ClosureReasonCode::from(INFORMATION_ONLY_REASON), make);
    t
}

impl PartialReport {
    /// The empty partial (the identity of [`PartialReport::merge`]).
    pub fn new(fiscal_year: FiscalYear) -> Self {
        PartialReport {
            fiscal_year,
            start: fiscal_year.start(),
            end: fiscal_year.end(),
            taxonomy_docs: BTreeMap::new(),
            meeting_docs: BTreeMap::new(),
            agencies: IdMap::default(),
            persons: IdTable::default(),
            cases: IdTable::default(),
            referrals: IdTable::default(),
            meetings: BTreeMap::new(),
            contacts: IdTable::default(),
            closures: closure_table(|| 0),
            issue_codes: IdTable::default(),
            plans_made: 0,
            replans: 0,
            monitoring: 0,
            support: Default::default(),
            events: 0,
        }
    }

    /// The empty partial whose persons, cases and referrals are numbered like a ledger's
    /// tables (shared, not cloned: see `IdTable::with_shared_keys`).
    pub(super) fn numbered_like(
        fiscal_year: FiscalYear,
        persons: &IdTable<PersonId, ()>,
        cases: &IdTable<CaseId, ()>,
        referrals: &IdTable<ReferralId, ()>,
    ) -> Self {
        let mut p = PartialReport::new(fiscal_year);
        p.persons = persons.with_shared_keys(|| None);
        p.cases = cases.with_shared_keys(CaseFacts::default);
        p.referrals = referrals.with_shared_keys(ReferralFacts::default);
        p
    }

    /// Replace the issue-code table (empty so far) with one numbered like a ledger's.
    pub(super) fn set_issue_codes(&mut self, codes: IdTable<IssueCode, ()>) {
        debug_assert_eq!(self.issue_codes.len(), 0);
        self.issue_codes = codes;
    }

    /// Replace the closure counters (holding only entry 0 so far) with a ledger-numbered table.
    pub(super) fn set_closures(&mut self, closures: IdTable<ClosureReasonCode, u64>) {
        debug_assert_eq!(self.closures.len(), 1);
        self.closures = closures;
    }

    /// Replace the contact counters (empty so far).
    pub(super) fn set_contacts(&mut self, contacts: IdTable<AgencyId, u64>) {
        debug_assert_eq!(self.contacts.len(), 0);
        self.contacts = contacts;
    }

    /// Set the count of events folded.
    pub(super) fn set_events(&mut self, n: u64) {
        self.events = n;
    }

    /// The fiscal year.
    pub fn fiscal_year(&self) -> FiscalYear {
        self.fiscal_year
    }

    /// How many events were folded into this partial (all partitions, after merging).
    pub fn events_folded(&self) -> u64 {
        self.events
    }

    /// Fold a slice holding a whole journal: event `i` has position `i`.
    pub fn from_events(fiscal_year: FiscalYear, events: &[Event]) -> Self {
        let mut p = PartialReport::new(fiscal_year);
        for (i, e) in events.iter().enumerate() {
            p.add(i as Position, e);
        }
        p
    }

    /// Fold events given with their journal positions (a partition of a journal).
    pub fn from_positioned<'a>(
        fiscal_year: FiscalYear,
        events: impl IntoIterator<Item = (Position, &'a Event)>,
    ) -> Self {
        let mut p = PartialReport::new(fiscal_year);
        for (at, e) in events {
            p.add(at, e);
        }
        p
    }

    fn in_year(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }

    fn by_end(&self, d: NaiveDate) -> bool {
        d <= self.end
    }

    /// Fold one event at journal position `at`.
    ///
    /// Each kind of event the report counts is turned into one or more *facts* (the `fact_*`
    /// methods, which take cases, persons, agencies and referrals by their numbers in this
    /// partial's tables); a [`super::Ledger`] stores the same facts in columns and applies them
    /// to a partial numbered like itself, so both paths share one definition of every figure.
    pub fn add(&mut self, at: Position, event: &Event) {
        self.events += 1;
        let on = event.on;
        match &event.command {
            Command::RegisterHousehold(RegisterHousehold { household })
            | Command::UpdateHousehold(UpdateHousehold { household }) => {
                for m in &household.members {
                    let person = self.persons.intern_with(&m.id, || None);
                    self.fact_member(at, on, person, m.birth_date, m.approx_age);
                }
            }
            Command::OpenCase(OpenCase {
                case,
                subject,
                intake,
                ..
            }) => {
                let person = self.persons.intern_with(subject, || None);
                let case = self.cases.intern_with(case, CaseFacts::default);
                self.fact_open(case, person, intake.on, true);
            }
            Command::OpenOutreachCase(OpenOutreachCase {
                case,
                subject,
                outreach,
                ..
            }) => {
                let person = self.persons.intern_with(subject, || None);
                let case = self.cases.intern_with(case, CaseFacts::default);
                self.fact_open(case, person, outreach.on, false);
            }
            Command::Case(CaseAction { case, action }) => {
                let (codes, reasons) = (&mut self.issue_codes, &mut self.closures);
                let Some(fact) = CaseFact::of(
                    at,
                    on,
                    action,
                    |code| codes.intern_with(code, || ()) as u32,
                    |r| reasons.intern_with(r, || 0) as u32,
                ) else {
                    return;
                };
                let case = self.cases.intern_with(case, CaseFacts::default);
                self.fact_case(case, &fact);
            }
            Command::CreatePlan(CreatePlan { plan }) => self.fact_plan(plan.created_on, false),
            Command::Replan(Replan { plan }) => self.fact_plan(plan.created_on, true),
            Command::RecordMonitoring(RecordMonitoring { record, .. }) => {
                self.fact_monitoring(record.on)
            }
            Command::LogContact(LogContact { contact }) => {
                if self.in_year(contact.on) {
                    *self.contacts.get_or_insert_with(&contact.agency, || 0) += 1;
                }
            }
            Command::ProposeReferral(ProposeReferral { proposal }) => {
                let r = self
                    .referrals
                    .intern_with(&proposal.id, ReferralFacts::default);
                self.fact_proposal(at, r, proposal.on);
            }
            Command::Referral(ReferralAction {
                referral, action, ..
            }) => {
                let Some((date, status)) = referral_step(action) else {
                    return;
                };
                if self.by_end(date) {
                    let r = self.referrals.intern_with(referral, ReferralFacts::default);
                    self.fact_referral_step(at, r, date, status);
                }
            }
            _ => self.add_other(at, event),
        }
    }

    /// Fold an event the report keeps as it is (registrations, documents, meetings, the
    /// participation-support and community commands): rare, so a ledger keeps these whole.
    pub(super) fn add_other(&mut self, at: Position, event: &Event) {
        let on = event.on;
        match &event.command {
            Command::ExtendTaxonomy(ExtendTaxonomy { document }) => {
                self.taxonomy_docs.insert(at, document.clone());
            }
            Command::ExtendMeetingTypes(ExtendMeetingTypes { document }) => {
                self.meeting_docs.insert(at, document.clone());
            }
            Command::RegisterAgency(RegisterAgency { agency }) => {
                self.agencies.insert(agency.id.clone(), agency.kind.clone());
            }
            Command::HoldMeeting(HoldMeeting { meeting }) if self.in_year(meeting.date) => {
                self.meetings.insert(
                    meeting.id.clone(),
                    MeetingFacts {
                        meeting_type: meeting.meeting_type.clone(),
                        date: meeting.date,
                        convener: meeting.convener.role,
                    },
                );
            }
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
            | Command::EndDisasterPhase(EndDisasterPhase { .. }) => {
                self.support.add(self.fiscal_year, at, on, &event.command)
            }
            // Counted through facts (`add`), or not part of the report.
            _ => {}
        }
    }

    /// A household member's birth date or approximate age, as recorded at `at` on `on`.
    pub(super) fn fact_member(
        &mut self,
        at: Position,
        on: NaiveDate,
        person: usize,
        birth_date: Option<NaiveDate>,
        approx_age: Option<u32>,
    ) {
        if !self.by_end(on) {
            return;
        }
        let slot = self.persons.value_mut(person);
        if slot.as_ref().is_none_or(|s| at > s.at) {
            *slot = Some(Versioned {
                at,
                value: PersonFacts {
                    birth_date,
                    approx_age,
                },
            });
        }
    }

    /// A case opened on `on` for `person`: by intake (a first consultation) or by outreach.
    pub(super) fn fact_open(&mut self, case: usize, person: usize, on: NaiveDate, intake: bool) {
        let end = self.end;
        let c = self.cases.value_mut(case);
        c.subject = Some(person as u32);
        c.opened_on = min_date(c.opened_on, Some(on));
        if intake && on <= end {
            c.first_consultation = min_date(c.first_consultation, Some(on));
        }
    }

    /// A case command's fact.
    pub(super) fn fact_case(&mut self, case: usize, fact: &CaseFact) {
        let (start, end) = (self.start, self.end);
        let (in_year, before_start, by_end) =
            (|d| start <= d && d <= end, |d| d < start, |d| d <= end);
        match fact {
            CaseFact::Engage { on } => {
                if by_end(*on) {
                    let c = self.cases.value_mut(case);
                    c.first_consultation = min_date(c.first_consultation, Some(*on));
                }
            }
            CaseFact::Assessment { at, on, codes } => {
                if by_end(*on) {
                    keep_latest(
                        &mut self.cases.value_mut(case).issues,
                        Some(Versioned {
                            at: *at,
                            value: codes.clone(),
                        }),
                    );
                }
            }
            CaseFact::Decide { at, on, outcome } => {
                if by_end(*on) {
                    let c = self.cases.value_mut(case);
                    c.outcome = c.outcome.max(Some(rank(*outcome)));
                }
                if *outcome == Outcome::InformationOnly {
                    if in_year(*on) {
                        *self.closures.value_mut(INFORMATION_ONLY) += 1;
                    }
                    if before_start(*on) {
                        keep_latest(
                            &mut self.cases.value_mut(case).open_at_start,
                            Some(Versioned {
                                at: *at,
                                value: false,
                            }),
                        );
                    }
                }
            }
            CaseFact::Close { at, on, reason } => {
                if in_year(*on) {
                    *self.closures.value_mut(*reason as usize) += 1;
                }
                if before_start(*on) {
                    keep_latest(
                        &mut self.cases.value_mut(case).open_at_start,
                        Some(Versioned {
                            at: *at,
                            value: false,
                        }),
                    );
                }
            }
            CaseFact::Reopen { at, on } => {
                if before_start(*on) {
                    keep_latest(
                        &mut self.cases.value_mut(case).open_at_start,
                        Some(Versioned {
                            at: *at,
                            value: true,
                        }),
                    );
                }
                if in_year(*on) {
                    self.cases.value_mut(case).reopened_in_year = true;
                }
            }
        }
    }

    /// A support plan (or a re-plan) created on `created_on`.
    pub(super) fn fact_plan(&mut self, created_on: NaiveDate, replan: bool) {
        if self.in_year(created_on) {
            if replan {
                self.replans += 1;
            } else {
                self.plans_made += 1;
            }
        }
    }

    /// A monitoring record of `on`.
    pub(super) fn fact_monitoring(&mut self, on: NaiveDate) {
        if self.in_year(on) {
            self.monitoring += 1;
        }
    }

    /// A referral proposed on `on`.
    pub(super) fn fact_proposal(&mut self, at: Position, referral: usize, on: NaiveDate) {
        let end = self.end;
        let r = self.referrals.value_mut(referral);
        r.proposed_on = min_date(r.proposed_on, Some(on));
        if on <= end {
            keep_latest(
                &mut r.status,
                Some(Versioned {
                    at,
                    value: ReferralStatus::Proposed,
                }),
            );
        }
    }

    /// A referral's status set to `status` on `date`.
    pub(super) fn fact_referral_step(
        &mut self,
        at: Position,
        referral: usize,
        date: NaiveDate,
        status: ReferralStatus,
    ) {
        if self.by_end(date) {
            let r = self.referrals.value_mut(referral);
            keep_latest(&mut r.status, Some(Versioned { at, value: status }));
        }
    }

    /// The fiscal year's first and last days.
    pub(super) fn bounds(&self) -> (NaiveDate, NaiveDate) {
        (self.start, self.end)
    }

    /// Merge another partial of the same fiscal year (`fiscal_year_mismatch` otherwise).
    /// Associative and commutative; the partials must come from disjoint sets of events.
    pub fn merge(mut self, mut other: PartialReport) -> Result<PartialReport, Error> {
        if self.fiscal_year != other.fiscal_year {
            return Err(StatsError::FiscalYearMismatch {
                left: self.fiscal_year.year(),
                right: other.fiscal_year.year(),
            }
            .into());
        }
        // Commutative, so the larger partial absorbs the smaller (entry-by-entry work is
        // proportional to the smaller one).
        if other.cases.len() + other.persons.len() > self.cases.len() + self.persons.len() {
            std::mem::swap(&mut self, &mut other);
        }
        self.cases.reserve(other.cases.len());
        self.persons.reserve(other.persons.len());
        self.taxonomy_docs.extend(other.taxonomy_docs);
        self.meeting_docs.extend(other.meeting_docs);
        self.agencies.extend(other.agencies);
        // Persons and issue codes first: their numbers in `other` → numbers here.
        let mut person_no: Vec<u32> = Vec::with_capacity(other.persons.len());
        for (k, v) in other.persons.into_iter() {
            let i = self.persons.intern_owned(k, || None);
            person_no.push(i as u32);
            let slot = self.persons.value_mut(i);
            if let Some(v) = v {
                if slot.as_ref().is_none_or(|s| v.at > s.at) {
                    *slot = Some(v);
                }
            }
        }
        let issue_no: Vec<u32> = other
            .issue_codes
            .into_iter()
            .map(|(k, ())| self.issue_codes.intern_owned(k, || ()) as u32)
            .collect();
        for (k, mut v) in other.cases.into_iter() {
            v.subject = v.subject.map(|p| person_no[p as usize]);
            if let Some(issues) = &mut v.issues {
                issues.value = issues.value.remapped(&issue_no);
            }
            let mut v = Some(v);
            let i = self.cases.intern_owned(k, || v.take().expect("taken once"));
            if let Some(v) = v {
                self.cases.value_mut(i).merge(v);
            }
        }
        for (k, v) in other.referrals.into_iter() {
            let r = self
                .referrals
                .get_or_insert_owned(k, ReferralFacts::default);
            r.proposed_on = min_date(r.proposed_on, v.proposed_on);
            keep_latest(&mut r.status, v.status);
        }
        self.meetings.extend(other.meetings);
        for (k, n) in other.contacts.into_iter() {
            *self.contacts.get_or_insert_owned(k, || 0) += n;
        }
        for (k, n) in other.closures.into_iter() {
            *self.closures.get_or_insert_owned(k, || 0) += n;
        }
        self.plans_made += other.plans_made;
        self.replans += other.replans;
        self.monitoring += other.monitoring;
        self.support.merge(other.support);
        self.events += other.events;
        Ok(self)
    }

    /// The taxonomies in force: the built-ins extended by the journal's documents in order.
    fn taxonomies(&self) -> Result<Taxonomies, Error> {
        let mut t = super::fast::builtin_taxonomies();
        for d in self.taxonomy_docs.values() {
            t = t.extended(d.clone())?;
        }
        Ok(t)
    }

    fn meeting_types(&self) -> Result<MeetingTypes, Error> {
        let mut t = super::fast::builtin_meeting_types();
        for d in self.meeting_docs.values() {
            t = t.extended(d.clone())?;
        }
        Ok(t)
    }

    /// Finish into the annual report. Errors: `unknown_agency` (a contact with an agency the
    /// journal never registered), `unknown_code` (a meeting type or agency kind unknown to the
    /// journal's taxonomies), and taxonomy or meeting-type extension errors.
    pub fn finish(&self, settings: &ReportSettings) -> Result<AnnualReport, Error> {
        let fy = self.fiscal_year;
        let tax = self.taxonomies()?;
        let types = self.meeting_types()?;
        let bands = &settings.age_bands;

        // First consultations, their issues and ages.
        let mut fc = FirstConsultations {
            total: 0,
            monthly_average: 0.0,
            by_month: (0..12)
                .map(|i| {
                    let (y, m) = if i < 9 {
                        (fy.year(), i + 4)
                    } else {
                        (fy.year() + 1, i - 8)
                    };
                    MonthCount {
                        month: format!("{y:04}-{m:02}"),
                        count: 0,
                    }
                })
                .collect(),
            single: 0,
            continuing: 0,
            handed_over: 0,
            undecided: 0,
        };
        let mut issue_counts = vec![0u64; self.issue_codes.len()];
        let mut ages = vec![0u64; bands.bands().len() + 1];
        let mut caseload = Caseload {
            new: 0,
            carried_over: 0,
            reopened: 0,
        };
        for c in self.cases.values() {
            if let Some(opened) = c.opened_on {
                if fy.contains(opened) {
                    caseload.new += 1;
                } else if opened < fy.start() {
                    let open = c.open_at_start.as_ref().is_none_or(|v| v.value);
                    if open {
                        caseload.carried_over += 1;
                    } else if c.reopened_in_year {
                        caseload.reopened += 1;
                    }
                }
            }
            let Some(first) = c.first_consultation.filter(|d| fy.contains(*d)) else {
                continue;
            };
            fc.total += 1;
            let month = (first.month() + 8) % 12; // April → 0 … March → 11
            fc.by_month[month as usize].count += 1;
            match c.outcome {
                Some(3) => fc.continuing += 1,
                Some(2) => fc.handed_over += 1,
                Some(_) => fc.single += 1,
                None => fc.undecided += 1,
            }
            if let Some(v) = &c.issues {
                for i in v.value.iter() {
                    issue_counts[i as usize] += 1;
                }
            }
            let age = c
                .subject
                .and_then(|s| self.persons.value(s as usize).as_ref())
                .and_then(|p| match p.value.birth_date {
                    Some(b) => crate::calendar::age_on(b, first),
                    None => p.value.approx_age,
                });
            ages[bands.index_of(age)] += 1;
        }
        fc.monthly_average = fc.total as f64 / 12.0;
        let issues: BTreeMap<&IssueCode, u64> = issue_counts
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(i, n)| (self.issue_codes.key(i), *n))
            .collect();

        let mut issue_rows: Vec<CodeCount> = tax
            .issues()
            .iter()
            .map(|i| CodeCount {
                code: i.code.to_string(),
                ja: i.ja.clone(),
                count: issues.get(&i.code).copied().unwrap_or(0),
            })
            .collect();
        for (code, n) in &issues {
            if tax.issue(code).is_none() {
                issue_rows.push(CodeCount {
                    code: code.to_string(),
                    ja: code.to_string(),
                    count: *n,
                });
            }
        }

        let mut age_rows: Vec<BandCount> = bands
            .bands()
            .iter()
            .zip(&ages)
            .map(|(b, n)| BandCount {
                code: b.code.clone(),
                ja: b.ja.clone(),
                count: *n,
            })
            .collect();
        age_rows.push(BandCount {
            code: super::report::UNKNOWN_AGE.into(),
            ja: "不明".into(),
            count: ages[bands.bands().len()],
        });

        let mut closures: Vec<CodeCount> = tax
            .closure_reasons()
            .iter()
            .map(|r| CodeCount {
                code: r.code.to_string(),
                ja: r.ja.clone(),
                count: self.closures.get(r.code.as_str()).copied().unwrap_or(0),
            })
            .collect();
        let mut unknown: Vec<(&ClosureReasonCode, u64)> = self
            .closures
            .iter()
            .filter(|(code, n)| **n > 0 && tax.closure_reason(code).is_none())
            .map(|(code, n)| (code, *n))
            .collect();
        unknown.sort_unstable();
        for (code, n) in unknown {
            closures.push(CodeCount {
                code: code.to_string(),
                ja: code.to_string(),
                count: n,
            });
        }

        let statuses = [
            (ReferralStatus::Proposed, "提案"),
            (ReferralStatus::Sent, "依頼済み"),
            (ReferralStatus::Accepted, "受諾"),
            (ReferralStatus::Declined, "辞退"),
            (ReferralStatus::Completed, "完了"),
            (ReferralStatus::Revoked, "取消"),
        ];
        let mut by_status: BTreeMap<ReferralStatus, u64> = BTreeMap::new();
        for r in self.referrals.values() {
            if r.proposed_on.is_some_and(|d| fy.contains(d)) {
                if let Some(s) = &r.status {
                    *by_status.entry(s.value).or_default() += 1;
                }
            }
        }
        let referrals = statuses
            .iter()
            .map(|(s, ja)| CodeCount {
                code: s.code().into(),
                ja: (*ja).into(),
                count: by_status.get(s).copied().unwrap_or(0),
            })
            .collect();

        // Table 1.
        let mut per_kind: BTreeMap<&AgencyKindCode, u64> = BTreeMap::new();
        // In id order, so that the first unknown agency reported does not depend on hashing.
        let mut contacts: Vec<(&AgencyId, &u64)> = self.contacts.iter().collect();
        contacts.sort_unstable();
        for (agency, n) in contacts {
            if *n == 0 {
                continue; // an agency whose contacts all fall outside the year
            }
            let kind = self
                .agencies
                .get(agency)
                .ok_or_else(|| AgencyError::UnknownAgency {
                    id: agency.clone(),
                    path: "$.contact.agency".into(),
                })?;
            if tax.agency_kind(kind).is_none() {
                return Err(TaxonomyError::UnknownCode {
                    list: "agency_kinds",
                    code: kind.to_string(),
                    path: "$.agency.kind".into(),
                }
                .into());
            }
            *per_kind.entry(kind).or_default() += n;
        }
        let rows: Vec<ContactKindRow> = tax
            .agency_kinds()
            .iter()
            .map(|k| ContactKindRow {
                sector: k.sector.to_string(),
                kind: k.code.to_string(),
                ja: k.ja.clone(),
                count: per_kind.get(&k.code).copied().unwrap_or(0),
            })
            .collect();
        let sectors: Vec<ContactSectorRow> = tax
            .sectors()
            .iter()
            .map(|s| ContactSectorRow {
                sector: s.code.to_string(),
                ja: s.ja.clone(),
                count: rows
                    .iter()
                    .filter(|r| r.sector == s.code.as_str())
                    .map(|r| r.count)
                    .sum(),
            })
            .collect();
        let total = rows.iter().map(|r| r.count).sum();

        // Meetings.
        let mut by_type: BTreeMap<&MeetingTypeCode, u64> = BTreeMap::new();
        let mut by_convener: BTreeMap<ConvenerRole, u64> = BTreeMap::new();
        let mut network: Vec<(NaiveDate, &MeetingId, &MeetingTypeCode)> = Vec::new();
        let mut case_total = 0;
        for (id, m) in &self.meetings {
            let resolved = types.check(&m.meeting_type, "$.meeting.meeting_type")?;
            if settings.network_meeting_types.contains(&resolved.base.code) {
                network.push((m.date, id, &m.meeting_type));
            } else if resolved.base.personal_info.allows_cases() {
                case_total += 1;
                *by_type.entry(&m.meeting_type).or_default() += 1;
                *by_convener.entry(m.convener).or_default() += 1;
            }
        }
        network.sort();
        let case_meetings = MeetingCounts {
            total: case_total,
            by_type: by_type
                .into_iter()
                .map(|(code, n)| CodeCount {
                    code: code.to_string(),
                    ja: types
                        .resolve(code)
                        .map(|r| r.label().ja)
                        .unwrap_or_else(|| code.to_string()),
                    count: n,
                })
                .collect(),
            by_convener: by_convener.into_iter().collect(),
        };
        let network_meetings = network
            .into_iter()
            .enumerate()
            .map(|(i, (date, _, t))| NetworkMeeting {
                number: i as u32 + 1,
                date,
                meeting_type: t.to_string(),
            })
            .collect();

        Ok(AnnualReport {
            fiscal_year: fy,
            label: fy.label_ja(),
            first_consultations: fc,
            caseload,
            issues: issue_rows,
            age_bands: age_rows,
            plans: PlanCounts {
                made: self.plans_made,
                replans: self.replans,
                monitoring: self.monitoring,
            },
            closures,
            referrals,
            contacts: ContactTable {
                rows,
                sectors,
                total,
            },
            case_meetings,
            network_meetings,
            participation: self.support.participation(fy),
            community: self.support.community(fy),
        })
    }
}

// ------------------------------------------------------------------------------ wire form

/// The facts of one case by ids and codes (the serialised form).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
struct CaseWire {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    subject: Option<PersonId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    opened_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    first_consultation: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    outcome: Option<u8>,
    /// Sorted and without duplicates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    issues: Option<Versioned<Vec<IssueCode>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    open_at_start: Option<Versioned<bool>>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    reopened_in_year: bool,
}

/// A partial report by ids and codes: the serialised form, and what equality compares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct PartialWire {
    fiscal_year: FiscalYear,
    #[serde(default)]
    taxonomy_docs: BTreeMap<Position, TaxonomyDocument>,
    #[serde(default)]
    meeting_docs: BTreeMap<Position, MeetingTypesDocument>,
    #[serde(default)]
    agencies: IdMap<AgencyId, AgencyKindCode>,
    #[serde(default)]
    persons: IdMap<PersonId, Versioned<PersonFacts>>,
    #[serde(default)]
    cases: IdMap<CaseId, CaseWire>,
    #[serde(default)]
    referrals: IdMap<ReferralId, ReferralFacts>,
    #[serde(default)]
    meetings: BTreeMap<MeetingId, MeetingFacts>,
    #[serde(default)]
    contacts: IdMap<AgencyId, u64>,
    #[serde(default)]
    closures: BTreeMap<ClosureReasonCode, u64>,
    #[serde(default)]
    plans_made: u64,
    #[serde(default)]
    replans: u64,
    #[serde(default)]
    monitoring: u64,
    #[serde(default)]
    support: super::support::SupportFacts,
    #[serde(default)]
    events: u64,
}

impl From<&PartialReport> for PartialWire {
    fn from(p: &PartialReport) -> Self {
        let cases = p
            .cases
            .iter()
            .map(|(k, c)| {
                let issues = c.issues.as_ref().map(|v| {
                    let mut codes: Vec<IssueCode> = v
                        .value
                        .iter()
                        .map(|i| p.issue_codes.key(i as usize).clone())
                        .collect();
                    codes.sort_unstable();
                    Versioned {
                        at: v.at,
                        value: codes,
                    }
                });
                let wire = CaseWire {
                    subject: c.subject.map(|s| p.persons.key(s as usize).clone()),
                    opened_on: c.opened_on,
                    first_consultation: c.first_consultation,
                    outcome: c.outcome,
                    issues,
                    open_at_start: c.open_at_start.clone(),
                    reopened_in_year: c.reopened_in_year,
                };
                (k.clone(), wire)
            })
            // A case without facts is no case (a ledger numbers every case of its journal).
            .filter(|(_, w)| *w != CaseWire::default())
            .collect();
        PartialWire {
            fiscal_year: p.fiscal_year,
            taxonomy_docs: p.taxonomy_docs.clone(),
            meeting_docs: p.meeting_docs.clone(),
            agencies: p.agencies.clone(),
            persons: p
                .persons
                .iter()
                .filter_map(|(k, v)| v.clone().map(|v| (k.clone(), v)))
                .collect(),
            cases,
            referrals: p
                .referrals
                .iter()
                .filter(|(_, v)| **v != ReferralFacts::default())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            meetings: p.meetings.clone(),
            contacts: p
                .contacts
                .iter()
                .filter(|(_, n)| **n > 0)
                .map(|(k, n)| (k.clone(), *n))
                .collect(),
            closures: p
                .closures
                .iter()
                .filter(|(_, n)| **n > 0)
                .map(|(k, n)| (k.clone(), *n))
                .collect(),
            plans_made: p.plans_made,
            replans: p.replans,
            monitoring: p.monitoring,
            support: p.support.clone(),
            events: p.events,
        }
    }
}

impl From<PartialWire> for PartialReport {
    fn from(w: PartialWire) -> Self {
        let mut p = PartialReport::new(w.fiscal_year);
        p.taxonomy_docs = w.taxonomy_docs;
        p.meeting_docs = w.meeting_docs;
        p.agencies = w.agencies;
        for (k, v) in w.persons {
            p.persons.intern_owned(k, || Some(v));
        }
        for (k, c) in w.cases {
            let subject = c.subject.map(|s| p.persons.intern_owned(s, || None) as u32);
            let issues = c.issues.map(|v| {
                let mut set = IssueSet::default();
                for code in v.value {
                    set.insert(p.issue_codes.intern_owned(code, || ()) as u32);
                }
                Versioned {
                    at: v.at,
                    value: set,
                }
            });
            let facts = CaseFacts {
                subject,
                opened_on: c.opened_on,
                first_consultation: c.first_consultation,
                outcome: c.outcome,
                issues,
                open_at_start: c.open_at_start,
                reopened_in_year: c.reopened_in_year,
            };
            p.cases.intern_owned(k, || facts);
        }
        for (k, v) in w.referrals {
            p.referrals.intern_owned(k, || v);
        }
        p.meetings = w.meetings;
        for (k, n) in w.contacts {
            p.contacts.intern_owned(k, || n);
        }
        for (k, n) in w.closures {
            *p.closures.get_or_insert_owned(k, || 0) += n;
        }
        p.plans_made = w.plans_made;
        p.replans = w.replans;
        p.monitoring = w.monitoring;
        p.support = w.support;
        p.events = w.events;
        p
    }
}

impl PartialEq for PartialReport {
    /// By ids and codes: the same facts, whatever the partials' internal numbering.
    fn eq(&self, other: &Self) -> bool {
        PartialWire::from(self) == PartialWire::from(other)
    }
}

impl Serialize for PartialReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        PartialWire::from(self).serialize(s)
    }
}

impl<'de> Deserialize<'de> for PartialReport {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        PartialWire::deserialize(d).map(PartialReport::from)
    }
}

#[cfg(test)]
mod tests {
    use super::IssueSet;
    use proptest::prelude::*;

    proptest! {
        /// An issue set iterates its distinct numbers in ascending order, bits and `more` alike.
        #[test]
        fn issue_set_iterates_distinct_sorted(xs in proptest::collection::vec(0u32..200, 0..40)) {
            let mut s = IssueSet::default();
            for &x in &xs {
                s.insert(x);
            }
            let mut want = xs.clone();
            want.sort_unstable();
            want.dedup();
            prop_assert_eq!(s.iter().collect::<Vec<_>>(), want);
        }
    }
}
