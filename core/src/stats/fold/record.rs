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
        let counted = self.entries.values().sum::<u64>() + self.attempts.values().sum::<u64>();
        if counted == 0 && kept_connected == 0 {
            // Nothing counted: the empty figures, which the report leaves out of its JSON, so
            // that a report reads back equal to itself (no zero rows to lose).
            return RecordFigures::default();
        }
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

#[cfg(test)]
mod tests {
    //! The record facts merge like the rest of the report (partials of any partition, merged in
    //! any order, equal the single pass; the ledger agrees) and count the fiscal year only.

    use crate::calendar::FiscalYear;
    use crate::registry::{Command, Event};
    use crate::stats::{Ledger, PartialReport, Position, ReportSettings};
    use chrono::{Duration, NaiveDate};
    use proptest::prelude::*;
    use serde_json::json;

    /// A record event from a few random numbers (the fold does not validate; ids collide on
    /// purpose).
    fn event(kind: u8, id: u8, day: u16, n: u8) -> Event {
        let on = NaiveDate::from_ymd_opt(2023, 10, 1).unwrap() + Duration::days(i64::from(day));
        let case = format!("c-{}", id % 5);
        let outcomes = [
            "met",
            "talked",
            "not_home",
            "refused",
            "letter_left",
            "via_others",
        ];
        let stages = [
            "not_contacted",
            "contacted",
            "relationship_building",
            "support_accepted",
        ];
        let entry_kind = ["phone", "home_visit", "interview"][usize::from(n) % 3];
        let v = match kind % 5 {
            0 => {
                json!({ "command": "write_entry", "entry": { "id": format!("e-{id}-{day}"), "case": case,
                "kind": entry_kind, "on": on,
                "with": [ { "type": "person" } ], "text": "t",
                "corrects": if n % 4 == 0 { json!("e-0") } else { json!(null) } } })
            }
            1 => {
                json!({ "command": "outreach", "case": case, "action": { "type": "attempt", "attempt": {
                "id": format!("a-{id}-{day}"), "on": on, "method": "home_visit",
                "outcome": outcomes[usize::from(n) % 6],
                "stage": if n % 3 == 0 { json!(stages[usize::from(n) % 4]) } else { json!(null) } } } })
            }
            2 => {
                json!({ "command": "outreach", "case": case, "action": { "type": "set_stage", "on": on,
                "stage": stages[usize::from(n) % 4] } })
            }
            3 => {
                json!({ "command": "outreach", "case": case, "action": { "type": "keep_connected", "on": on } })
            }
            _ => {
                json!({ "command": "outreach", "case": case, "action": { "type": "stop_keeping_connected", "on": on } })
            }
        };
        let command: Command = serde_json::from_value(v).unwrap();
        Event::new(on, command)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn record_figures_merge_over_any_partition_and_the_ledger_agrees(
            raw in proptest::collection::vec((any::<u8>(), any::<u8>(), 0u16..640, any::<u8>()), 0..80),
            assign in proptest::collection::vec(0usize..4, 80),
        ) {
            let year = FiscalYear::new(2024).unwrap();
            let events: Vec<Event> = raw.iter().map(|&(k, i, d, n)| event(k, i, d, n)).collect();
            let single = PartialReport::from_events(year, &events);
            let mut parts: Vec<Vec<(Position, &Event)>> = vec![Vec::new(); 4];
            for (i, e) in events.iter().enumerate() {
                parts[assign[i]].push((i as Position, e));
            }
            let partials: Vec<PartialReport> =
                parts.into_iter().map(|p| PartialReport::from_positioned(year, p)).collect();
            let forward = partials
                .iter()
                .cloned()
                .try_fold(PartialReport::new(year), |acc, p| acc.merge(p))
                .unwrap();
            let backward = partials
                .into_iter()
                .rev()
                .try_fold(PartialReport::new(year), |acc, p| p.merge(acc))
                .unwrap();
            prop_assert_eq!(&forward, &single);
            prop_assert_eq!(&backward, &single);
            prop_assert_eq!(&Ledger::from_events(&events).partial_report(year), &single);
            // The serialised partial reads back equal.
            let text = serde_json::to_string(&single).unwrap();
            prop_assert_eq!(&serde_json::from_str::<PartialReport>(&text).unwrap(), &single);
            let s = ReportSettings::default();
            let r = single.finish(&s).unwrap();
            prop_assert_eq!(&forward.finish(&s).unwrap(), &r);
            // Totals agree with the rows.
            let rec = &r.record;
            prop_assert_eq!(rec.outreach_attempts,
                rec.attempts_by_outcome.iter().map(|c| c.count).sum::<u64>());
            prop_assert_eq!(rec.entries, rec.entries_by_kind.iter().map(|c| c.count).sum::<u64>());
            prop_assert!(rec.persons_reached <= rec.cases_by_stage.iter().map(|c| c.count).sum::<u64>());
        }
    }

    #[test]
    fn figures_count_the_year_only_and_corrections_not_again() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let ev =
            |on: &str, v: serde_json::Value| Event::new(d(on), serde_json::from_value(v).unwrap());
        let attempt = |id: &str, on: &str, outcome: &str| {
            ev(
                on,
                json!({ "command": "outreach", "case": "c", "action": { "type": "attempt", "attempt": {
                "id": id, "on": on, "method": "home_visit", "outcome": outcome } } }),
            )
        };
        let events = vec![
            attempt("a0", "2024-03-31", "met"),
            attempt("a1", "2024-04-01", "not_home"),
            attempt("a2", "2024-05-01", "talked"),
            attempt("a3", "2025-04-01", "met"),
            ev(
                "2024-05-02",
                json!({ "command": "write_entry", "entry": { "id": "e1", "case": "c", "kind": "phone",
                "on": "2024-05-02", "with": [ { "type": "person" } ], "text": "t" } }),
            ),
            ev(
                "2024-05-03",
                json!({ "command": "write_entry", "entry": { "id": "e2", "case": "c", "kind": "phone",
                "on": "2024-05-02", "with": [ { "type": "person" } ], "text": "t", "corrects": "e1" } }),
            ),
            ev(
                "2023-01-10",
                json!({ "command": "outreach", "case": "k", "action": { "type": "keep_connected", "on": "2023-01-10" } }),
            ),
            ev(
                "2024-03-31",
                json!({ "command": "outreach", "case": "k", "action": { "type": "stop_keeping_connected", "on": "2024-03-31" } }),
            ),
            ev(
                "2024-04-01",
                json!({ "command": "outreach", "case": "k2", "action": { "type": "keep_connected", "on": "2024-04-01" } }),
            ),
        ];
        let r = PartialReport::from_events(FiscalYear::new(2024).unwrap(), &events)
            .finish(&ReportSettings::default())
            .unwrap();
        let rec = &r.record;
        assert_eq!(rec.outreach_attempts, 2);
        assert_eq!(rec.persons_reached, 1);
        assert_eq!(rec.entries, 1);
        // `k` stopped on 2024-03-31 (the year before); `k2` started on April 1.
        assert_eq!(rec.kept_connected, 1);
        let stage = |c: &str| crate::stats::AnnualReport::count(&rec.cases_by_stage, c);
        assert_eq!((stage("contacted"), stage("not_contacted")), (1, 0));
        // A year with nothing recorded leaves the figures out of the report's JSON.
        let empty = PartialReport::new(FiscalYear::new(2030).unwrap())
            .finish(&ReportSettings::default())
            .unwrap();
        assert!(serde_json::to_value(&empty)
            .unwrap()
            .get("record")
            .is_none());
        // … and reads back equal to itself (no zero rows lost on the way: Python's pickle of
        // a report found this).
        let back: crate::stats::AnnualReport =
            serde_json::from_value(serde_json::to_value(&empty).unwrap()).unwrap();
        assert_eq!(back, empty);
    }
}
