//! The view log (閲覧ログ): who read which person's or case's personal data, when, which
//! categories, under which policy rule — and the refused attempts.
//!
//! **Shape.** Append-only: entries are pushed, never edited or removed (the type has no method
//! that does). Ids are interned (each worker, agency, case, household, person and set of rules is
//! stored once), so an entry is a fixed 48-byte record plus four bytes per person shown, and
//! appending costs a few hash look-ups and no allocation once the ids are known. Three indexes
//! (by person, by worker, by case) answer "who looked at this person's record", "what did this
//! worker look at" and "who opened this case" without a scan.
//!
//! **Decisions.** (1) Time is an argument (`DateTime<Utc>`, kept to the millisecond); entries
//! keep the order they were appended in, which need not be time order (a device's log merged
//! later). (2) The log holds ids, codes and rule ids only — never a name or a value read. (3) The
//! export ([`ViewLog::export`]) keeps the date (in Japan) but not the time of day, and replaces
//! every id by a keyed pseudonym under the same domains as `stats::export` (`worker`, `agency`,
//! `case`, `household`, `person`), so a release's tables join.

use super::policy::{categories_of, CaseRelation, PolicyRuleId, RecordKind};
use super::protect::japan_date;
use super::Requester;
use crate::ids::*;
use crate::privacy::InfoCategory;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::Hash;

/// How a read ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ViewOutcome {
    /// The categories listed were shown.
    Shown,
    /// Refused: the address is restricted (`address_restricted`).
    AddressRestricted,
    /// Refused: the policy opens nothing of what was asked (`access_denied`).
    AccessDenied,
}

/// One read to append (borrowed; see [`ViewLog::append`]).
#[derive(Debug, Clone, Copy)]
pub struct ViewEvent<'a> {
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub requester: &'a Requester,
    /// Their relation to the case.
    pub relation: CaseRelation,
    /// The record kind read.
    pub kind: RecordKind,
    /// The case, when the read is of a case's data.
    pub case: Option<&'a CaseId>,
    /// The household, when known.
    pub household: Option<&'a HouseholdId>,
    /// The persons whose data were shown (or asked for, when refused).
    pub persons: &'a [PersonId],
    /// The categories shown (asked for, when refused).
    pub categories: &'a [InfoCategory],
    /// Address, phone or whereabouts were shown (asked for, when refused).
    pub locating: bool,
    /// The rules that allowed what was shown (empty when refused).
    pub rules: &'a [PolicyRuleId],
    /// How it ended.
    pub outcome: ViewOutcome,
    /// Flagged for the periodic review.
    pub review: bool,
}

/// One entry of the log, as the queries return it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ViewRecord {
    /// Position in the log (0-based, append order).
    pub seq: u32,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub worker: WorkerId,
    /// Their agency.
    pub agency: AgencyId,
    /// Their relation to the case.
    pub relation: CaseRelation,
    /// The record kind read.
    pub kind: RecordKind,
    /// The case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<CaseId>,
    /// The household.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household: Option<HouseholdId>,
    /// The persons.
    pub persons: Vec<PersonId>,
    /// The categories.
    pub categories: Vec<InfoCategory>,
    /// Locating information (address, phone, whereabouts) was involved.
    pub locating: bool,
    /// The rules.
    pub rules: Vec<PolicyRuleId>,
    /// How it ended.
    pub outcome: ViewOutcome,
    /// Flagged for review.
    pub review: bool,
}

/// A pseudonymised row of the log for analysis outside the case system (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ViewLogRow {
    /// Date (in Japan).
    pub date: NaiveDate,
    /// Worker pseudonym.
    pub worker: u64,
    /// Agency pseudonym.
    pub agency: u64,
    /// Case pseudonym.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<u64>,
    /// Household pseudonym.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household: Option<u64>,
    /// Person pseudonyms.
    pub persons: Vec<u64>,
    /// Relation.
    pub relation: CaseRelation,
    /// Record kind.
    pub kind: RecordKind,
    /// Categories.
    pub categories: Vec<InfoCategory>,
    /// Locating information involved.
    pub locating: bool,
    /// Rule ids (policy data, not personal).
    pub rules: Vec<PolicyRuleId>,
    /// Outcome.
    pub outcome: ViewOutcome,
    /// Flagged for review.
    pub review: bool,
}

const NONE: u32 = u32::MAX;

/// Values stored once, referred to by index.
#[derive(Debug, Clone)]
struct Interner<T: Eq + Hash + Clone> {
    index: HashMap<T, u32>,
    items: Vec<T>,
}

impl<T: Eq + Hash + Clone> Default for Interner<T> {
    fn default() -> Self {
        Interner {
            index: HashMap::new(),
            items: Vec::new(),
        }
    }
}

impl<T: Eq + Hash + Clone> Interner<T> {
    fn id<Q>(&mut self, value: &Q) -> u32
    where
        T: std::borrow::Borrow<Q>,
        Q: Eq + Hash + ToOwned<Owned = T> + ?Sized,
    {
        if let Some(i) = self.index.get(value) {
            return *i;
        }
        let i = self.items.len() as u32;
        self.items.push(value.to_owned());
        self.index.insert(value.to_owned(), i);
        i
    }
    fn find<Q>(&self, value: &Q) -> Option<u32>
    where
        T: std::borrow::Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        self.index.get(value).copied()
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    at_ms: i64,
    worker: u32,
    agency: u32,
    case: u32,
    household: u32,
    persons_start: u32,
    persons_len: u32,
    rules: u32,
    categories: u8,
    relation: CaseRelation,
    kind: RecordKind,
    outcome: ViewOutcome,
    locating: bool,
    review: bool,
}

/// The view log (閲覧ログ); see the module docs.
#[derive(Debug, Clone, Default)]
pub struct ViewLog {
    entries: Vec<Entry>,
    persons_of: Vec<u32>,
    workers: Interner<WorkerId>,
    agencies: Interner<AgencyId>,
    cases: Interner<CaseId>,
    households: Interner<HouseholdId>,
    persons: Interner<PersonId>,
    rule_ids: Interner<PolicyRuleId>,
    rule_sets: Interner<Vec<u32>>,
    by_person: Vec<Vec<u32>>,
    by_worker: Vec<Vec<u32>>,
    by_case: Vec<Vec<u32>>,
    scratch: Vec<u32>,
}

fn push_index(index: &mut Vec<Vec<u32>>, key: u32, entry: u32) {
    let k = key as usize;
    if index.len() <= k {
        index.resize_with(k + 1, Vec::new);
    }
    index[k].push(entry);
}

impl ViewLog {
    /// An empty log.
    pub fn new() -> Self {
        ViewLog::default()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the log is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Append one entry (the only way the log changes).
    pub fn append(&mut self, e: &ViewEvent<'_>) {
        let seq = self.entries.len() as u32;
        let worker = self.workers.id(&e.requester.worker);
        let agency = self.agencies.id(&e.requester.agency);
        let case = e.case.map_or(NONE, |c| self.cases.id(c));
        let household = e.household.map_or(NONE, |h| self.households.id(h));
        let persons_start = self.persons_of.len() as u32;
        for p in e.persons {
            let id = self.persons.id(p);
            self.persons_of.push(id);
            push_index(&mut self.by_person, id, seq);
        }
        self.scratch.clear();
        for r in e.rules {
            let id = self.rule_ids.id(r);
            if !self.scratch.contains(&id) {
                self.scratch.push(id);
            }
        }
        let rules = self.rule_sets.id(self.scratch.as_slice());
        push_index(&mut self.by_worker, worker, seq);
        if case != NONE {
            push_index(&mut self.by_case, case, seq);
        }
        self.entries.push(Entry {
            at_ms: e.at.timestamp_millis(),
            worker,
            agency,
            case,
            household,
            persons_start,
            persons_len: e.persons.len() as u32,
            rules,
            categories: e
                .categories
                .iter()
                .fold(0, |m, c| m | super::policy::bit(*c)),
            relation: e.relation,
            kind: e.kind,
            outcome: e.outcome,
            locating: e.locating,
            review: e.review,
        });
    }

    /// Append a stored record again (rebuilding the log from the integrator's store, in the
    /// order it was stored); its `seq` is ignored — the position in this log is its own.
    pub fn append_record(&mut self, r: &ViewRecord) {
        let requester = Requester {
            worker: r.worker.clone(),
            agency: r.agency.clone(),
            roles: Vec::new(),
        };
        self.append(&ViewEvent {
            at: r.at,
            requester: &requester,
            relation: r.relation,
            kind: r.kind,
            case: r.case.as_ref(),
            household: r.household.as_ref(),
            persons: &r.persons,
            categories: &r.categories,
            locating: r.locating,
            rules: &r.rules,
            outcome: r.outcome,
            review: r.review,
        });
    }

    /// Entry `seq`, if there is one.
    pub fn get(&self, seq: usize) -> Option<ViewRecord> {
        self.entries.get(seq).map(|e| self.record(seq as u32, e))
    }

    /// Every entry, in append order.
    pub fn iter(&self) -> impl Iterator<Item = ViewRecord> + '_ {
        self.entries
            .iter()
            .enumerate()
            .map(|(i, e)| self.record(i as u32, e))
    }

    /// Who looked at this person's record (every entry that shows or refused their data), in
    /// append order.
    pub fn who_viewed(&self, person: &PersonId) -> Vec<ViewRecord> {
        self.select(self.persons.find(person.as_str()), &self.by_person)
    }

    /// What this worker looked at (and was refused), in append order.
    pub fn viewed_by(&self, worker: &WorkerId) -> Vec<ViewRecord> {
        self.select(self.workers.find(worker.as_str()), &self.by_worker)
    }

    /// Who opened this case, in append order.
    pub fn case_views(&self, case: &CaseId) -> Vec<ViewRecord> {
        self.select(self.cases.find(case.as_str()), &self.by_case)
    }

    /// The entries flagged for review, in append order.
    pub fn to_review(&self) -> Vec<ViewRecord> {
        self.iter().filter(|r| r.review).collect()
    }

    /// The log as pseudonymised rows: `pseudonym(domain, id)` replaces each id (pass
    /// `|d, id| key.pseudonym(d, id)` with a `stats::Pseudonymiser`, so the rows join the
    /// statistics export of the same key).
    pub fn export(&self, pseudonym: impl Fn(&str, &str) -> u64) -> Vec<ViewLogRow> {
        self.entries
            .iter()
            .map(|e| ViewLogRow {
                date: japan_date(at(e.at_ms)),
                worker: pseudonym("worker", self.workers.items[e.worker as usize].as_str()),
                agency: pseudonym("agency", self.agencies.items[e.agency as usize].as_str()),
                case: (e.case != NONE)
                    .then(|| pseudonym("case", self.cases.items[e.case as usize].as_str())),
                household: (e.household != NONE).then(|| {
                    pseudonym(
                        "household",
                        self.households.items[e.household as usize].as_str(),
                    )
                }),
                persons: self
                    .person_ids(e)
                    .iter()
                    .map(|i| pseudonym("person", self.persons.items[*i as usize].as_str()))
                    .collect(),
                relation: e.relation,
                kind: e.kind,
                categories: categories_of(e.categories),
                locating: e.locating,
                rules: self.rules_of(e),
                outcome: e.outcome,
                review: e.review,
            })
            .collect()
    }

    fn person_ids(&self, e: &Entry) -> &[u32] {
        &self.persons_of[e.persons_start as usize..(e.persons_start + e.persons_len) as usize]
    }

    fn select(&self, key: Option<u32>, index: &[Vec<u32>]) -> Vec<ViewRecord> {
        key.and_then(|k| index.get(k as usize))
            .map(|seqs| {
                seqs.iter()
                    .map(|s| self.record(*s, &self.entries[*s as usize]))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn rules_of(&self, e: &Entry) -> Vec<PolicyRuleId> {
        self.rule_sets.items[e.rules as usize]
            .iter()
            .map(|i| self.rule_ids.items[*i as usize].clone())
            .collect()
    }

    fn record(&self, seq: u32, e: &Entry) -> ViewRecord {
        ViewRecord {
            seq,
            at: at(e.at_ms),
            worker: self.workers.items[e.worker as usize].clone(),
            agency: self.agencies.items[e.agency as usize].clone(),
            relation: e.relation,
            kind: e.kind,
            case: (e.case != NONE).then(|| self.cases.items[e.case as usize].clone()),
            household: (e.household != NONE)
                .then(|| self.households.items[e.household as usize].clone()),
            persons: self
                .person_ids(e)
                .iter()
                .map(|i| self.persons.items[*i as usize].clone())
                .collect(),
            categories: categories_of(e.categories),
            locating: e.locating,
            rules: self.rules_of(e),
            outcome: e.outcome,
            review: e.review,
        }
    }
}

fn at(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).expect("stored from a valid DateTime")
}
