//! The mergeable partial report (部分集計): facts folded from events, merged as a commutative monoid, and
//! finished into an [`AnnualReport`]. See the module documentation of [`crate::stats`].

use super::community::CommunityFacts;
use super::fold::RecordFacts;
use super::fold::{self, CaseFact, FactSink, IssueSet, Kept, MeetingFacts};
use super::id_tables::{IdMap, IdTable};
use super::participation::ParticipationFacts;
use super::position::min_date;
pub use super::position::Position;
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
use crate::referral::ReferralStatus;
use crate::registry::Event;
use crate::taxonomy::{Taxonomies, TaxonomyDocument, TaxonomyError};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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

/// Precedence of outcomes for single vs continuing: continuing > handed over > information only.
fn rank(o: Outcome) -> u8 {
    match o {
        Outcome::InformationOnly => 1,
        Outcome::HandedOver => 2,
        Outcome::ContinuingSupport => 3,
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

/// A partial annual report: the facts of one fiscal year folded from some of a journal's
/// events. A commutative monoid under [`PartialReport::merge`] with identity
/// [`PartialReport::new`]; [`PartialReport::finish`] turns it into the [`AnnualReport`].
/// Serialisable, so partials travel between processes (Dask workers pickle them).
///
/// Inside, cases, persons, referrals, contact counters and issue codes are dense tables keyed
/// by id (`stats::id_tables::IdTable`): an event finds its case without hashing when the previous
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
    /// Participation-support facts (see `stats::participation`).
    participation: ParticipationFacts,
    /// Community-building facts (see `stats::community`).
    community: CommunityFacts,
    /// Case-record facts (see `stats/fold/record.rs`).
    record: RecordFacts,
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
            participation: Default::default(),
            community: Default::default(),
            record: Default::default(),
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
    /// The event's command states its facts (`stats/fold/<area>.rs`, trait `Facts`) to this
    /// partial as a `FactSink`: the `fact_*` methods take cases, persons, agencies and
    /// referrals by their numbers in this partial's tables; a [`super::Ledger`] stores the same
    /// facts in columns and applies them to a partial numbered like itself, so both paths share
    /// one definition of every figure.
    pub fn add(&mut self, at: Position, event: &Event) {
        self.events += 1;
        fold::facts_of(at, event, self);
    }

    /// Fold a fact kept whole (registrations, documents, meetings, participation and community
    /// facts): rare, so a ledger keeps these as they are and folds them here too.
    pub(super) fn fold_kept(&mut self, at: Position, fact: Kept) {
        match fact {
            Kept::Taxonomy(document) => {
                self.taxonomy_docs.insert(at, document);
            }
            Kept::MeetingTypes(document) => {
                self.meeting_docs.insert(at, document);
            }
            Kept::Agency(id, kind) => {
                self.agencies.insert(id, kind);
            }
            Kept::Meeting(id, meeting) => {
                if self.in_year(meeting.date) {
                    self.meetings.insert(id, meeting);
                }
            }
            Kept::Participation(fact) => self.participation.add(self.fiscal_year, fact),
            Kept::Community(fact) => self.community.add(self.fiscal_year, fact),
            Kept::Record(fact) => self.record.add(self.fiscal_year, fact),
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
        self.participation.merge(other.participation);
        self.community.merge(other.community);
        self.record.merge(other.record);
        self.events += other.events;
        Ok(self)
    }
}

/// The partial folds each fact at once, numbering ids in its own tables.
impl FactSink for PartialReport {
    fn member(
        &mut self,
        at: Position,
        on: NaiveDate,
        person: &PersonId,
        birth_date: Option<NaiveDate>,
        approx_age: Option<u32>,
    ) {
        let person = self.persons.intern_with(person, || None);
        self.fact_member(at, on, person, birth_date, approx_age);
    }

    fn open(&mut self, case: &CaseId, person: &PersonId, on: NaiveDate, intake: bool) {
        let person = self.persons.intern_with(person, || None);
        let case = self.cases.intern_with(case, CaseFacts::default);
        self.fact_open(case, person, on, intake);
    }

    fn case_action(&mut self, at: Position, on: NaiveDate, case: &CaseId, action: &CaseCommand) {
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

    fn plan(&mut self, created_on: NaiveDate, replan: bool) {
        self.fact_plan(created_on, replan);
    }

    fn monitoring(&mut self, on: NaiveDate) {
        self.fact_monitoring(on);
    }

    fn contact(&mut self, agency: &AgencyId, on: NaiveDate) {
        if self.in_year(on) {
            *self.contacts.get_or_insert_with(agency, || 0) += 1;
        }
    }

    fn proposal(&mut self, at: Position, referral: &ReferralId, on: NaiveDate) {
        let r = self.referrals.intern_with(referral, ReferralFacts::default);
        self.fact_proposal(at, r, on);
    }

    fn referral_step(
        &mut self,
        at: Position,
        referral: &ReferralId,
        on: NaiveDate,
        status: ReferralStatus,
    ) {
        if self.by_end(on) {
            let r = self.referrals.intern_with(referral, ReferralFacts::default);
            self.fact_referral_step(at, r, on, status);
        }
    }

    fn kept(&mut self, at: Position, _: NaiveDate, fact: Kept) {
        self.fold_kept(at, fact);
    }
}

mod finish;
#[cfg(test)]
mod tests;
mod wire;
