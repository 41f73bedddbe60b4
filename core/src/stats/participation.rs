//! Participation support in statistics (参加支援事業の実績・分析用データ): the report's
//! participation figures, folded from match and resource-gap facts and merged like the rest of
//! the report (a commutative monoid: counters add, per-match facts merge entry by entry), and the
//! export's resources, matches, follow-ups and gaps tables. Which command states which fact or
//! row is in `fold/participation.rs`.
//!
//! Decisions on what each figure counts (the fiscal year is `April 1 ..= March 31`):
//!
//! * **Matches**: proposed = matches whose proposal date is in the year; tried / continuing = the
//!   status changes dated in the year; stopped = stops dated in the year (a `stop` command or a
//!   follow-up ending with a stop), by reason; live at the end of the year = proposed by March 31
//!   and not stopped by then; follow-ups = follow-up visits dated in the year (定着支援の回数).
//! * **Resource gaps**: persons counted by `record_resource_gap` events dated in the year, per
//!   area and need (the year's new findings; the registry's [`crate::registry::Registry::
//!   resource_gaps_by_area`] gives the running total).
//!
//! What leaves in the export (see [`super::export`] for the rules and the line between a place
//! and a person): resources with their kind, the areas they serve, capacity numbers and the
//! contact agency's pseudonym (never the name, days, target or free keywords); matches with
//! person and resource pseudonyms, stage and dates (never the household or next follow-up
//! dates); follow-ups with date and observation (never the worker); gaps per area, need and
//! **month** (never the day: a gap's day next to a match's could tie a person to the area where
//! they live), a wish that is not a code leaving as `wish:uncoded`.

use super::position::min_date;
use super::report::{CodeCount, GapAreaRow, NeedRow, ParticipationFigures};
use crate::calendar::FiscalYear;
use crate::ids::*;
use crate::participation::{
    MatchId, MatchStage, Need, Observation, ResourceId, ResourceKindCode, StopReason,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// A participation fact a command states (see `fold/participation.rs`).
#[derive(Debug, Clone)]
pub(in crate::stats) enum ParticipationFact {
    /// A match proposed on `on`.
    Proposed { id: MatchId, on: NaiveDate },
    /// A match entered `tried` on `on`.
    Tried { on: NaiveDate },
    /// A match entered `continuing` on `on`.
    Continuing { on: NaiveDate },
    /// A follow-up visit on `on`, ending the match when `stop` is given.
    FollowUp {
        id: MatchId,
        on: NaiveDate,
        stop: Option<StopReason>,
    },
    /// A match stopped on `on` for `reason`.
    Stopped {
        id: MatchId,
        on: NaiveDate,
        reason: StopReason,
    },
    /// A person's unmet need counted in `area` by an event dated `on`.
    Gap {
        on: NaiveDate,
        area: AreaCode,
        need: String,
    },
}

fn add_all<K: Ord>(into: &mut BTreeMap<K, u64>, from: BTreeMap<K, u64>) {
    for (k, n) in from {
        *into.entry(k).or_default() += n;
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
struct MatchFacts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    proposed_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    stopped_on: Option<NaiveDate>,
}

/// The participation facts of a partial report.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub(in crate::stats) struct ParticipationFacts {
    #[serde(default)]
    matches: BTreeMap<MatchId, MatchFacts>,
    #[serde(default)]
    tried: u64,
    #[serde(default)]
    continuing: u64,
    #[serde(default)]
    stopped: BTreeMap<StopReason, u64>,
    #[serde(default)]
    follow_ups: u64,
    /// Persons per area and need code.
    #[serde(default)]
    gaps: BTreeMap<AreaCode, BTreeMap<String, u64>>,
}

impl ParticipationFacts {
    /// Fold one fact into the facts of fiscal year `fy`.
    pub(in crate::stats) fn add(&mut self, fy: FiscalYear, fact: ParticipationFact) {
        let in_year = |d: NaiveDate| fy.contains(d);
        match fact {
            ParticipationFact::Proposed { id, on } => {
                let m = self.matches.entry(id).or_default();
                m.proposed_on = min_date(m.proposed_on, Some(on));
            }
            ParticipationFact::Tried { on } => self.tried += u64::from(in_year(on)),
            ParticipationFact::Continuing { on } => self.continuing += u64::from(in_year(on)),
            ParticipationFact::FollowUp { id, on, stop } => {
                self.follow_ups += u64::from(in_year(on));
                if let Some(reason) = stop {
                    self.stop(id, on, reason, fy);
                }
            }
            ParticipationFact::Stopped { id, on, reason } => self.stop(id, on, reason, fy),
            ParticipationFact::Gap { on, area, need } => {
                if in_year(on) {
                    *self.gaps.entry(area).or_default().entry(need).or_default() += 1;
                }
            }
        }
    }

    fn stop(&mut self, id: MatchId, on: NaiveDate, reason: StopReason, fy: FiscalYear) {
        if fy.contains(on) {
            *self.stopped.entry(reason).or_default() += 1;
        }
        let m = self.matches.entry(id).or_default();
        m.stopped_on = min_date(m.stopped_on, Some(on));
    }

    /// Merge the facts of a disjoint set of events (associative and commutative).
    pub(in crate::stats) fn merge(&mut self, other: ParticipationFacts) {
        for (k, v) in other.matches {
            let m = self.matches.entry(k).or_default();
            m.proposed_on = min_date(m.proposed_on, v.proposed_on);
            m.stopped_on = min_date(m.stopped_on, v.stopped_on);
        }
        self.tried += other.tried;
        self.continuing += other.continuing;
        add_all(&mut self.stopped, other.stopped);
        self.follow_ups += other.follow_ups;
        for (area, needs) in other.gaps {
            add_all(self.gaps.entry(area).or_default(), needs);
        }
    }

    /// The participation-support figures of the year.
    pub(in crate::stats) fn figures(&self, fy: FiscalYear) -> ParticipationFigures {
        let end = fy.end();
        let mut proposed = 0;
        let mut live_at_end = 0;
        for m in self.matches.values() {
            let Some(p) = m.proposed_on else { continue };
            proposed += u64::from(fy.contains(p));
            if p <= end && m.stopped_on.is_none_or(|s| s > end) {
                live_at_end += 1;
            }
        }
        let stopped_by_reason: Vec<CodeCount> = StopReason::ALL
            .iter()
            .map(|r| CodeCount {
                code: r.code().into(),
                ja: r.ja().into(),
                count: self.stopped.get(r).copied().unwrap_or(0),
            })
            .collect();
        let resource_gaps = self
            .gaps
            .iter()
            .map(|(area, needs)| {
                let mut rows: Vec<NeedRow> = needs
                    .iter()
                    .map(|(need, n)| NeedRow {
                        need: need.clone(),
                        persons: *n,
                    })
                    .collect();
                rows.sort_by(|a, b| b.persons.cmp(&a.persons).then(a.need.cmp(&b.need)));
                GapAreaRow {
                    area: area.clone(),
                    persons: rows.iter().map(|r| r.persons).sum(),
                    needs: rows,
                }
            })
            .collect();
        ParticipationFigures {
            proposed,
            tried: self.tried,
            continuing: self.continuing,
            stopped: stopped_by_reason.iter().map(|c| c.count).sum(),
            stopped_by_reason,
            live_at_end,
            follow_ups: self.follow_ups,
            resource_gaps,
        }
    }
}

// ------------------------------------------------------------------ export

/// A social resource (社会資源), as registered or last updated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRow {
    /// Resource pseudonym.
    pub resource: u64,
    /// Kind code.
    pub kind: ResourceKindCode,
    /// Areas it serves (places); empty means the whole municipality.
    pub areas: Vec<AreaCode>,
    /// Places (定員); `None` when there is no fixed limit.
    pub capacity_limit: Option<u32>,
    /// Participants now; `None` when there is no fixed limit.
    pub capacity_current: Option<u32>,
    /// Contact agency (窓口) pseudonym.
    pub contact: u64,
}

/// A match (マッチング), its state after the whole journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchRow {
    /// Match pseudonym.
    pub r#match: u64,
    /// Person pseudonym (as in the persons table).
    pub person: u64,
    /// Resource pseudonym.
    pub resource: u64,
    /// Current stage.
    pub stage: MatchStage,
    /// Proposed on.
    pub proposed_on: NaiveDate,
    /// Tried on (試行).
    pub tried_on: Option<NaiveDate>,
    /// Continuing since (継続).
    pub continuing_on: Option<NaiveDate>,
    /// Stopped on (終了).
    pub stopped_on: Option<NaiveDate>,
    /// Why it stopped.
    pub stop_reason: Option<StopReason>,
}

/// A follow-up after matching (定着支援).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpRow {
    /// Match pseudonym.
    pub r#match: u64,
    /// Date.
    pub on: NaiveDate,
    /// What was seen.
    pub observation: Observation,
}

/// Persons counted with a need no resource met (社会資源の不足) in an area and a month: no person,
/// and no day that could tie the count to one (see the module doc).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapRow {
    /// Area where the need was found (a place).
    pub area: AreaCode,
    /// Need code (`issue:hikikomori`, `wish:farming`, `participation`; `wish:uncoded` for a wish
    /// that is not a code).
    pub need: String,
    /// The month counted, as its first day.
    pub month: NaiveDate,
    /// Persons counted (one per `record_resource_gap`).
    pub persons: u32,
}

/// Whether a string is a code (`[a-z][a-z0-9_]*`): what may leave where free words could stand.
fn code_like(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The need's code; a wish that is not a code leaves as `wish:uncoded`.
pub(in crate::stats) fn need_code(need: &Need) -> String {
    match need {
        Need::Wish { wish } if !code_like(wish.as_str()) => "wish:uncoded".into(),
        Need::Issue { issue } if !code_like(issue.as_str()) => "issue:uncoded".into(),
        other => other.code(),
    }
}

/// What the export remembers of participation records while folding: where each resource,
/// match and gap row is.
#[derive(Default)]
pub(in crate::stats) struct ParticipationRows {
    pub(in crate::stats) resource_index: HashMap<ResourceId, usize>,
    pub(in crate::stats) match_index: HashMap<MatchId, usize>,
    pub(in crate::stats) gap_index: HashMap<(AreaCode, String, NaiveDate), usize>,
}
