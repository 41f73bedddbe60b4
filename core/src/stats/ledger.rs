//! The statistics ledger (統計台帳): a journal's events reduced, once, to the facts the annual
//! report counts — in columns, with every id numbered — so that reports of any fiscal year and
//! any settings are computed from it without touching an event again.
//!
//! # Why
//!
//! Folding [`Event`]s works on the journal's own form: a few hundred bytes per event, ids as
//! heap strings, one `match` per event. That is the right shape for a stream (the journal read
//! once, partials merged across workers), and the wrong one for an analyst who loads a journal
//! and asks for several years, several age-band settings, or a report after each correction —
//! the way a pandas user loads DataFrames once and runs group-bys on them. A [`Ledger`] is that
//! loaded form: a contact is 8 bytes (its date and its agency's number, in two columns), a case
//! command's fact a few dozen, and the fields no figure reads are not kept.
//!
//! # One definition of every figure
//!
//! The ledger does not count anything itself. Each command states its *facts* (a case opened
//! on a day for a person, an assessment's issue codes, a decision, a closure …) through the one
//! trait `stats::fold::Facts`, to whichever sink it is given: the ledger is one sink (it stores
//! them in columns), the [`PartialReport`] the other (it folds them at once). The ledger then
//! applies its stored facts with the partial's `fact_*` methods to a partial whose tables share
//! the ledger's numbering (no id is hashed or cloned while reporting). Registrations, taxonomy
//! and meeting-type documents, meetings and the participation/community facts are rare and
//! kept whole, folded by the partial in one place. The partial's
//! facts are order-independent (positions decide which of two facts is later), so applying
//! them kind by kind instead of in journal order gives the same partial; `stats::tests` proves
//! by property test that a ledger's report equals the event fold's, for any year and for
//! ledgers of any partition of a journal merged as partials.
//!
//! ```
//! use tsunagu::calendar::FiscalYear;
//! use tsunagu::stats::{annual_report, fixtures::Synthetic, Ledger, ReportSettings};
//!
//! let fy = FiscalYear::new(2022).unwrap();
//! let events = Synthetic { seed: 7, cases: 40, contacts: 300, fiscal_year: fy }.events();
//! let ledger = Ledger::from_events(&events);
//! let settings = ReportSettings::default();
//! assert_eq!(ledger.annual_report(fy, &settings)?, annual_report(&events, fy, &settings)?);
//! // Another year from the same ledger, without reading the events again.
//! let previous = ledger.annual_report(FiscalYear::new(2021).unwrap(), &settings)?;
//! assert_eq!(previous.fiscal_year.year(), 2021);
//! # Ok::<(), tsunagu::Error>(())
//! ```

use super::fold::{self, CaseFact, FactSink, Kept};
use super::id_tables::IdTable;
use super::partial::{closure_table, PartialReport, Position};
use super::report::{AnnualReport, ReportSettings};
use crate::calendar::FiscalYear;
use crate::case::CaseCommand;
use crate::error::Error;
use crate::ids::*;
use crate::referral::ReferralStatus;
use crate::registry::Event;
use chrono::NaiveDate;

/// A household member's recorded birth date or approximate age.
#[derive(Debug, Clone, Copy)]
struct MemberFact {
    at: Position,
    on: NaiveDate,
    person: u32,
    approx_age: Option<u32>,
    birth_date: Option<NaiveDate>,
}

/// A case opened (by intake or by outreach).
#[derive(Debug, Clone, Copy)]
struct OpenFact {
    case: u32,
    person: u32,
    on: NaiveDate,
    intake: bool,
}

/// A referral proposed, or a referral's status changed.
#[derive(Debug, Clone, Copy)]
struct ReferralFact {
    at: Position,
    referral: u32,
    on: NaiveDate,
    /// `None`: the proposal.
    status: Option<ReferralStatus>,
}

/// Statistics ledger (統計台帳): the facts of a journal's events that the annual report counts,
/// in columns, ids numbered. See the [module documentation](self).
///
/// Built from events ([`Ledger::from_events`], [`Ledger::push`]); answers
/// [`Ledger::annual_report`] and [`Ledger::partial_report`] for any fiscal year. Facts keep
/// their journal positions, so a ledger may hold any subset of a journal (a partition, given
/// with global positions) and its partials merge with those of other ledgers or of the event
/// fold.
#[derive(Debug, Clone)]
pub struct Ledger {
    persons: IdTable<PersonId, ()>,
    cases: IdTable<CaseId, ()>,
    referrals: IdTable<ReferralId, ()>,
    /// Agencies of liaison contacts.
    agencies: IdTable<AgencyId, ()>,
    issue_codes: IdTable<IssueCode, ()>,
    /// Closure reasons, `information_provided` first (as in every partial).
    closure_reasons: IdTable<ClosureReasonCode, ()>,
    members: Vec<MemberFact>,
    opens: Vec<OpenFact>,
    case_facts: Vec<(u32, CaseFact)>,
    /// Plans: creation date, and whether a re-plan.
    plans: Vec<(NaiveDate, bool)>,
    monitoring: Vec<NaiveDate>,
    /// Liaison contacts, two columns: the date and the agency's number.
    contact_on: Vec<NaiveDate>,
    contact_agency: Vec<u32>,
    referral_facts: Vec<ReferralFact>,
    /// Facts kept whole (registrations, documents, meetings, participation and community).
    kept: Vec<(Position, Kept)>,
    events: u64,
}

impl Default for Ledger {
    fn default() -> Self {
        Ledger::new()
    }
}

impl Ledger {
    /// The empty ledger.
    pub fn new() -> Self {
        Ledger {
            persons: IdTable::default(),
            cases: IdTable::default(),
            referrals: IdTable::default(),
            agencies: IdTable::default(),
            issue_codes: IdTable::default(),
            closure_reasons: closure_table(|| ()),
            members: Vec::new(),
            opens: Vec::new(),
            case_facts: Vec::new(),
            plans: Vec::new(),
            monitoring: Vec::new(),
            contact_on: Vec::new(),
            contact_agency: Vec::new(),
            referral_facts: Vec::new(),
            kept: Vec::new(),
            events: 0,
        }
    }

    /// The ledger of a whole journal: event `i` has position `i`.
    pub fn from_events(events: &[Event]) -> Self {
        let mut l = Ledger::new();
        for (i, e) in events.iter().enumerate() {
            l.push(i as Position, e);
        }
        l
    }

    /// How many events the ledger was built from.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Add the facts of one event at journal position `at`. Positions must be unique across
    /// everything later merged (the journal's sequence numbers).
    pub fn push(&mut self, at: Position, event: &Event) {
        self.events += 1;
        fold::facts_of(at, event, self);
    }

    /// Absorb another ledger (of other events of the same journal, with their global
    /// positions): the result reports as the ledger of both sets of events would. Work is
    /// proportional to `other` (each of its ids is looked up once), so ledgers built on
    /// several threads or machines combine cheaply.
    pub fn merge(&mut self, other: Ledger) {
        fn remap<K: AsRef<str> + Clone>(
            into: &mut IdTable<K, ()>,
            from: IdTable<K, ()>,
        ) -> Vec<u32> {
            into.reserve(from.len());
            from.into_iter()
                .map(|(k, ())| into.intern_owned(k, || ()) as u32)
                .collect()
        }
        let persons = remap(&mut self.persons, other.persons);
        let cases = remap(&mut self.cases, other.cases);
        let referrals = remap(&mut self.referrals, other.referrals);
        let agencies = remap(&mut self.agencies, other.agencies);
        let issues = remap(&mut self.issue_codes, other.issue_codes);
        let reasons = remap(&mut self.closure_reasons, other.closure_reasons);
        self.members
            .extend(other.members.into_iter().map(|m| MemberFact {
                person: persons[m.person as usize],
                ..m
            }));
        self.opens.extend(other.opens.into_iter().map(|o| OpenFact {
            case: cases[o.case as usize],
            person: persons[o.person as usize],
            ..o
        }));
        self.case_facts
            .extend(other.case_facts.into_iter().map(|(case, fact)| {
                let fact = match fact {
                    CaseFact::Assessment { at, on, codes } => CaseFact::Assessment {
                        at,
                        on,
                        codes: codes.remapped(&issues),
                    },
                    CaseFact::Close { at, on, reason } => CaseFact::Close {
                        at,
                        on,
                        reason: reasons[reason as usize],
                    },
                    other => other,
                };
                (cases[case as usize], fact)
            }));
        self.plans.extend(other.plans);
        self.monitoring.extend(other.monitoring);
        self.contact_on.extend(other.contact_on);
        self.contact_agency.extend(
            other
                .contact_agency
                .into_iter()
                .map(|a| agencies[a as usize]),
        );
        self.referral_facts
            .extend(other.referral_facts.into_iter().map(|r| ReferralFact {
                referral: referrals[r.referral as usize],
                ..r
            }));
        self.kept.extend(other.kept);
        self.events += other.events;
    }

    /// The partial report of `fiscal_year` from this ledger's facts: the same partial the event
    /// fold gives for the same events (it merges with partials of other ledgers and of the
    /// event fold).
    pub fn partial_report(&self, fiscal_year: FiscalYear) -> PartialReport {
        let mut p =
            PartialReport::numbered_like(fiscal_year, &self.persons, &self.cases, &self.referrals);
        p.set_issue_codes(self.issue_codes.with_shared_keys(|| ()));
        p.set_closures(self.closure_reasons.with_shared_keys(|| 0));
        for (at, fact) in &self.kept {
            p.fold_kept(*at, fact.clone());
        }
        for m in &self.members {
            p.fact_member(m.at, m.on, m.person as usize, m.birth_date, m.approx_age);
        }
        for o in &self.opens {
            p.fact_open(o.case as usize, o.person as usize, o.on, o.intake);
        }
        for (case, fact) in &self.case_facts {
            p.fact_case(*case as usize, fact);
        }
        for &(created_on, replan) in &self.plans {
            p.fact_plan(created_on, replan);
        }
        for &on in &self.monitoring {
            p.fact_monitoring(on);
        }
        for r in &self.referral_facts {
            match r.status {
                None => p.fact_proposal(r.at, r.referral as usize, r.on),
                Some(s) => p.fact_referral_step(r.at, r.referral as usize, r.on, s),
            }
        }
        // Contacts: counted per agency number over the two columns, then added once per agency.
        let (start, end) = p.bounds();
        let mut per_agency = vec![0u64; self.agencies.len()];
        for (on, agency) in self.contact_on.iter().zip(&self.contact_agency) {
            per_agency[*agency as usize] += u64::from(start <= *on && *on <= end);
        }
        let mut contacts = self.agencies.with_shared_keys(|| 0u64);
        for (i, n) in per_agency.into_iter().enumerate() {
            *contacts.value_mut(i) = n;
        }
        p.set_contacts(contacts);
        p.set_events(self.events);
        p
    }

    /// The annual report of `fiscal_year` (errors as [`PartialReport::finish`]).
    pub fn annual_report(
        &self,
        fiscal_year: FiscalYear,
        settings: &ReportSettings,
    ) -> Result<AnnualReport, Error> {
        self.partial_report(fiscal_year).finish(settings)
    }
}

/// The ledger stores each fact in columns, numbering ids in its own tables.
impl FactSink for Ledger {
    fn member(
        &mut self,
        at: Position,
        on: NaiveDate,
        person: &PersonId,
        birth_date: Option<NaiveDate>,
        approx_age: Option<u32>,
    ) {
        self.members.push(MemberFact {
            at,
            on,
            person: self.persons.intern_with(person, || ()) as u32,
            approx_age,
            birth_date,
        });
    }

    fn open(&mut self, case: &CaseId, person: &PersonId, on: NaiveDate, intake: bool) {
        self.opens.push(OpenFact {
            case: self.cases.intern_with(case, || ()) as u32,
            person: self.persons.intern_with(person, || ()) as u32,
            on,
            intake,
        });
    }

    fn case_action(&mut self, at: Position, on: NaiveDate, case: &CaseId, action: &CaseCommand) {
        let (codes, reasons) = (&mut self.issue_codes, &mut self.closure_reasons);
        if let Some(fact) = CaseFact::of(
            at,
            on,
            action,
            |c| codes.intern_with(c, || ()) as u32,
            |r| reasons.intern_with(r, || ()) as u32,
        ) {
            let case = self.cases.intern_with(case, || ()) as u32;
            self.case_facts.push((case, fact));
        }
    }

    fn plan(&mut self, created_on: NaiveDate, replan: bool) {
        self.plans.push((created_on, replan));
    }

    fn monitoring(&mut self, on: NaiveDate) {
        self.monitoring.push(on);
    }

    fn contact(&mut self, agency: &AgencyId, on: NaiveDate) {
        self.contact_on.push(on);
        self.contact_agency
            .push(self.agencies.intern_with(agency, || ()) as u32);
    }

    fn proposal(&mut self, at: Position, referral: &ReferralId, on: NaiveDate) {
        self.referral_facts.push(ReferralFact {
            at,
            referral: self.referrals.intern_with(referral, || ()) as u32,
            on,
            status: None,
        });
    }

    fn referral_step(
        &mut self,
        at: Position,
        referral: &ReferralId,
        on: NaiveDate,
        status: ReferralStatus,
    ) {
        self.referral_facts.push(ReferralFact {
            at,
            referral: self.referrals.intern_with(referral, || ()) as u32,
            on,
            status: Some(status),
        });
    }

    fn kept(&mut self, at: Position, _: NaiveDate, fact: Kept) {
        self.kept.push((at, fact));
    }
}
