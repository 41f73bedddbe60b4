//! Statistics of case-record commands (支援経過記録・アウトリーチ・添付書類): the report's
//! record figures ([`crate::stats::RecordFigures`]) and what the export takes (nothing).
//!
//! Decisions on what each figure counts (the fiscal year is `April 1 ..= March 31`):
//!
//! * **Entries**: entries dated in the year, by kind; a correction (訂正) is not a new contact
//!   and is not counted.
//! * **Attempts**: outreach attempts dated in the year, by outcome.
//! * **Persons reached**: distinct persons (the subjects of the cases, as the report's cases
//!   know them; a case whose opening is not in the journal counts as one person) with an
//!   attempt dated in the year that reached them (会えた, 話せた).
//! * **Stage reached**: for each case with an attempt dated in the year, the highest
//!   relationship stage reached by March 31 (a stage judged, or 接触 by a reaching attempt):
//!   a relationship that fell back still counts where it got to.
//! * **Kept connected**: cases whose keeping-connected period (つながり続ける支援) overlaps
//!   the year (started by March 31, not stopped before April 1).
//!
//! The facts are rare next to contacts, so a ledger keeps them whole ([`Kept::Record`]) and
//! folds them through the same [`RecordFacts::add`]: the ledger and the event fold agree.
//!
//! **Export**: none of these commands exports a row. Entries are narratives and attachments
//! documents about a person; their pseudonymised shape would add little to the figures and
//! much to what could re-identify someone. The figures go out in the report.

use super::sink::{FactSink, Facts, Kept, Rows};
use crate::calendar::FiscalYear;
use crate::error::Error;
use crate::ids::*;
use crate::record::{AttemptOutcome, EntryKindCode, OutreachCommand, RelationshipStage};
use crate::registry::{Attach, ExtendRecordKinds, OutreachAction, WriteEntry};
use crate::stats::export::exporter::Exporter;
use crate::stats::position::Position;
use crate::stats::report::{CodeCount, RecordFigures};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A case-record fact a command states.
#[derive(Debug, Clone)]
pub(in crate::stats) enum RecordFact {
    /// An entry of `kind` dated `on` (not a correction).
    Entry { kind: EntryKindCode, on: NaiveDate },
    /// An outreach attempt on a case.
    Attempt {
        case: CaseId,
        on: NaiveDate,
        outcome: AttemptOutcome,
        stage: Option<RelationshipStage>,
    },
    /// A stage judged on a case.
    Stage {
        case: CaseId,
        on: NaiveDate,
        stage: RelationshipStage,
    },
    /// Keeping connected started (`start`) or stopped on a case, at journal position `at`.
    Kept {
        case: CaseId,
        on: NaiveDate,
        at: Position,
        start: bool,
    },
}

/// The outreach facts of one case.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
struct OutreachCase {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    attempted_in_year: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    reached_in_year: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    highest_stage: Option<RelationshipStage>,
    /// Starts (`true`) and stops of keeping connected dated by March 31, by date and position.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    kept: BTreeSet<(NaiveDate, Position, bool)>,
}

/// The case-record facts of a partial report (a commutative monoid under
/// [`RecordFacts::merge`]).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub(in crate::stats) struct RecordFacts {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    entries: BTreeMap<EntryKindCode, u64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    attempts: BTreeMap<AttemptOutcome, u64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    cases: BTreeMap<CaseId, OutreachCase>,
}

impl RecordFacts {
    /// Whether nothing was folded.
    pub(in crate::stats) fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.attempts.is_empty() && self.cases.is_empty()
    }

    /// Fold one fact into the facts of fiscal year `fy`.
    pub(in crate::stats) fn add(&mut self, fy: FiscalYear, fact: RecordFact) {
        let by_end = |d: NaiveDate| d <= fy.end();
        match fact {
            RecordFact::Entry { kind, on } => {
                if fy.contains(on) {
                    *self.entries.entry(kind).or_default() += 1;
                }
            }
            RecordFact::Attempt {
                case,
                on,
                outcome,
                stage,
            } => {
                if !by_end(on) {
                    return;
                }
                let reached = outcome.reached().then_some(RelationshipStage::Contacted);
                let c = self.cases.entry(case).or_default();
                c.highest_stage = c.highest_stage.max(reached).max(stage);
                if fy.contains(on) {
                    *self.attempts.entry(outcome).or_default() += 1;
                    c.attempted_in_year = true;
                    c.reached_in_year |= outcome.reached();
                }
            }
            RecordFact::Stage { case, on, stage } => {
                if by_end(on) {
                    let c = self.cases.entry(case).or_default();
                    c.highest_stage = c.highest_stage.max(Some(stage));
                }
            }
            RecordFact::Kept {
                case,
                on,
                at,
                start,
            } => {
                if by_end(on) {
                    self.cases
                        .entry(case)
                        .or_default()
                        .kept
                        .insert((on, at, start));
                }
            }
        }
    }

    /// Merge the facts of a disjoint set of events (associative and commutative).
    pub(in crate::stats) fn merge(&mut self, other: RecordFacts) {
        for (k, n) in other.entries {
            *self.entries.entry(k).or_default() += n;
        }
        for (k, n) in other.attempts {
            *self.attempts.entry(k).or_default() += n;
        }
        for (k, o) in other.cases {
            let c = self.cases.entry(k).or_default();
            c.attempted_in_year |= o.attempted_in_year;
            c.reached_in_year |= o.reached_in_year;
            c.highest_stage = c.highest_stage.max(o.highest_stage);
            c.kept.extend(o.kept);
        }
    }

    /// The figures of year `fy`; `person_of` gives a case's subject where the report knows it.
    pub(in crate::stats) fn figures(
        &self,
        fy: FiscalYear,
        person_of: impl Fn(&CaseId) -> Option<PersonId>,
    ) -> RecordFigures {
        let mut persons: BTreeSet<Result<PersonId, &CaseId>> = BTreeSet::new();
        let mut by_stage: BTreeMap<RelationshipStage, u64> = BTreeMap::new();
        let mut kept_connected = 0;
        for (case, c) in &self.cases {
            if c.reached_in_year {
                persons.insert(person_of(case).ok_or(case));
            }
            if c.attempted_in_year {
                let stage = c.highest_stage.unwrap_or_default();
                *by_stage.entry(stage).or_default() += 1;
            }
            if kept_in(&c.kept, fy) {
                kept_connected += 1;
            }
        }
        let row = |code: &str, ja: &str, count: u64| CodeCount {
            code: code.into(),
            ja: ja.into(),
            count,
        };
        RecordFigures {
            entries: self.entries.values().sum(),
            entries_by_kind: self
                .entries
                .iter()
                .map(|(k, n)| row(k.as_str(), k.as_str(), *n))
                .collect(),
            outreach_attempts: self.attempts.values().sum(),
            attempts_by_outcome: AttemptOutcome::ALL
                .iter()
                .map(|o| {
                    let n = self.attempts.get(o).copied().unwrap_or(0);
                    row(o.code(), &o.label().ja, n)
                })
                .collect(),
            persons_reached: persons.len() as u64,
            cases_by_stage: RelationshipStage::ALL
                .iter()
                .map(|s| {
                    let n = by_stage.get(s).copied().unwrap_or(0);
                    row(s.code(), &s.label().ja, n)
                })
                .collect(),
            kept_connected,
        }
    }
}

/// Whether keeping-connected periods (starts and stops in date order) overlap year `fy`.
fn kept_in(events: &BTreeSet<(NaiveDate, Position, bool)>, fy: FiscalYear) -> bool {
    let mut open: Option<NaiveDate> = None;
    for &(on, _, start) in events {
        match (start, open) {
            (true, None) => open = Some(on),
            (false, Some(from)) => {
                if from <= fy.end() && on >= fy.start() {
                    return true;
                }
                open = None;
            }
            _ => {}
        }
    }
    open.is_some_and(|from| from <= fy.end())
}

impl Facts for ExtendRecordKinds {
    fn facts(&self, _: Position, _: NaiveDate, _: &mut impl FactSink) {}
}
impl Rows for ExtendRecordKinds {
    fn rows(&self, _: NaiveDate, _: &mut Exporter<'_>) -> Result<(), Error> {
        Ok(())
    }
}

impl Facts for WriteEntry {
    fn facts(&self, at: Position, on: NaiveDate, sink: &mut impl FactSink) {
        if self.entry.corrects.is_none() {
            let fact = RecordFact::Entry {
                kind: self.entry.kind.clone(),
                on: self.entry.on,
            };
            sink.kept(at, on, Kept::Record(fact));
        }
    }
}
impl Rows for WriteEntry {
    fn rows(&self, _: NaiveDate, _: &mut Exporter<'_>) -> Result<(), Error> {
        Ok(())
    }
}

impl Facts for OutreachAction {
    fn facts(&self, at: Position, on: NaiveDate, sink: &mut impl FactSink) {
        let case = self.case.clone();
        let fact = match &self.action {
            OutreachCommand::Attempt { attempt } => RecordFact::Attempt {
                case,
                on: attempt.on,
                outcome: attempt.outcome,
                stage: attempt.stage,
            },
            OutreachCommand::SetStage { on, stage, .. } => RecordFact::Stage {
                case,
                on: *on,
                stage: *stage,
            },
            OutreachCommand::KeepConnected { on } => RecordFact::Kept {
                case,
                on: *on,
                at,
                start: true,
            },
            OutreachCommand::StopKeepingConnected { on } => RecordFact::Kept {
                case,
                on: *on,
                at,
                start: false,
            },
        };
        sink.kept(at, on, Kept::Record(fact));
    }
}
impl Rows for OutreachAction {
    fn rows(&self, _: NaiveDate, _: &mut Exporter<'_>) -> Result<(), Error> {
        Ok(())
    }
}

impl Facts for Attach {
    fn facts(&self, _: Position, _: NaiveDate, _: &mut impl FactSink) {}
}
impl Rows for Attach {
    fn rows(&self, _: NaiveDate, _: &mut Exporter<'_>) -> Result<(), Error> {
        Ok(())
    }
}
