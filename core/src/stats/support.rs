//! Participation-support (参加支援事業) and community-building (地域づくり事業) figures of the
//! annual report, folded from the journal's events like the rest of the report and merged the
//! same way (a commutative monoid: counters add, per-entity facts merge entry by entry).
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
//! * **Community activities**: an activity counts in the year when it ran at some point in it
//!   (started by March 31, not ended before April 1), under its small area and under each stage
//!   it serves; sessions and participants are the sessions dated in the year. Participants are
//!   延べ人数 (counts per session, never persons). A session's activity may be registered in
//!   another partition: sessions are kept per activity id and placed in their area when the
//!   report is finished.

use super::report::CodeCount;
use crate::calendar::FiscalYear;
use crate::community::{ActivityId, OperatorKind, SupportStage};
use crate::ids::AreaCode;
use crate::participation::{FollowUpNext, MatchCommand, MatchId, StopReason};
use crate::registry::Command;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

fn min_date(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ActivityInfo {
    small_area: AreaCode,
    stages: BTreeSet<SupportStage>,
    operator: OperatorKind,
    started_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
struct ActivityFacts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    info: Option<ActivityInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ended_on: Option<NaiveDate>,
    /// Sessions in the year.
    #[serde(default)]
    sessions: u64,
    /// Participants over those sessions.
    #[serde(default)]
    participants: u64,
    /// Supporters over those sessions.
    #[serde(default)]
    supporters: u64,
}

/// The participation and community facts of a partial report.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub(super) struct SupportFacts {
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
    #[serde(default)]
    activities: BTreeMap<ActivityId, ActivityFacts>,
}

impl SupportFacts {
    /// Fold one event dated `on`; other commands are ignored.
    pub(super) fn add(&mut self, fy: FiscalYear, on: NaiveDate, command: &Command) {
        let in_year = |d: NaiveDate| fy.contains(d);
        match command {
            Command::Match { r#match } => match r#match {
                MatchCommand::Propose { id, on, .. } => {
                    let m = self.matches.entry(id.clone()).or_default();
                    m.proposed_on = min_date(m.proposed_on, Some(*on));
                }
                MatchCommand::MarkTried { on, .. } => self.tried += u64::from(in_year(*on)),
                MatchCommand::MarkContinuing { on, .. } => {
                    self.continuing += u64::from(in_year(*on))
                }
                MatchCommand::RecordFollowUp { id, follow_up } => {
                    self.follow_ups += u64::from(in_year(follow_up.on));
                    if let FollowUpNext::Stop { reason } = follow_up.next {
                        self.stop(id, follow_up.on, reason, fy);
                    }
                }
                MatchCommand::Stop { id, on, reason } => self.stop(id, *on, *reason, fy),
            },
            Command::RecordResourceGap { gap } if in_year(on) => {
                if let Some(area) = &gap.area {
                    *self
                        .gaps
                        .entry(area.clone())
                        .or_default()
                        .entry(gap.need.code())
                        .or_default() += 1;
                }
            }
            Command::RegisterActivity { activity } => {
                let a = self.activities.entry(activity.id.clone()).or_default();
                a.info = Some(ActivityInfo {
                    small_area: activity.small_area.clone(),
                    stages: activity.stages.clone(),
                    operator: activity.operator,
                    started_on: activity.started_on,
                });
                a.ended_on = min_date(a.ended_on, activity.ended_on);
            }
            Command::EndActivity { activity, on } => {
                let a = self.activities.entry(activity.clone()).or_default();
                a.ended_on = min_date(a.ended_on, Some(*on));
            }
            Command::RecordSession { session } if in_year(session.on) => {
                let a = self.activities.entry(session.activity.clone()).or_default();
                a.sessions += 1;
                a.participants += u64::from(session.participants);
                a.supporters += u64::from(session.supporters);
            }
            _ => {}
        }
    }

    fn stop(&mut self, id: &MatchId, on: NaiveDate, reason: StopReason, fy: FiscalYear) {
        if fy.contains(on) {
            *self.stopped.entry(reason).or_default() += 1;
        }
        let m = self.matches.entry(id.clone()).or_default();
        m.stopped_on = min_date(m.stopped_on, Some(on));
    }

    /// Merge the facts of a disjoint set of events (associative and commutative).
    pub(super) fn merge(&mut self, other: SupportFacts) {
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
        for (k, v) in other.activities {
            let a = self.activities.entry(k).or_default();
            if a.info.is_none() {
                a.info = v.info;
            }
            a.ended_on = min_date(a.ended_on, v.ended_on);
            a.sessions += v.sessions;
            a.participants += v.participants;
            a.supporters += v.supporters;
        }
    }

    /// The participation-support figures of the year.
    pub(super) fn participation(&self, fy: FiscalYear) -> ParticipationFigures {
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

    /// The community-building figures of the year.
    pub(super) fn community(&self, fy: FiscalYear) -> CommunityFigures {
        let stages = [
            SupportStage::PlaceToBelong,
            SupportStage::WatchingOver,
            SupportStage::EverydayHelp,
        ];
        let mut rows: BTreeMap<&AreaCode, CommunityAreaRow> = BTreeMap::new();
        for a in self.activities.values() {
            let Some(info) = &a.info else { continue };
            let ran = info.started_on <= fy.end() && a.ended_on.is_none_or(|e| e >= fy.start());
            if !ran && a.sessions == 0 {
                continue;
            }
            let row = rows
                .entry(&info.small_area)
                .or_insert_with(|| CommunityAreaRow {
                    area: info.small_area.clone(),
                    activities: 0,
                    sessions: 0,
                    participants: 0,
                    supporters: 0,
                    by_stage: stages
                        .iter()
                        .map(|s| StageRow {
                            stage: *s,
                            ja: s.label().ja,
                            activities: 0,
                            sessions: 0,
                            participants: 0,
                        })
                        .collect(),
                });
            row.activities += u64::from(ran);
            row.sessions += a.sessions;
            row.participants += a.participants;
            row.supporters += a.supporters;
            for s in &info.stages {
                let r = &mut row.by_stage[stages.iter().position(|x| x == s).expect("listed")];
                r.activities += u64::from(ran);
                r.sessions += a.sessions;
                r.participants += a.participants;
            }
        }
        let areas: Vec<CommunityAreaRow> = rows.into_values().collect();
        CommunityFigures {
            activities: areas.iter().map(|r| r.activities).sum(),
            sessions: areas.iter().map(|r| r.sessions).sum(),
            participants: areas.iter().map(|r| r.participants).sum(),
            areas,
        }
    }
}

/// One need's count of persons in an area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NeedRow {
    /// Need code (`issue:hikikomori`, `wish:farming`, `participation`).
    pub need: String,
    /// Persons.
    pub persons: u64,
}

/// Resource gaps (社会資源の不足) found in one area during the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GapAreaRow {
    /// Area code.
    pub area: AreaCode,
    /// Persons over all needs (a person with two needs counts twice).
    pub persons: u64,
    /// Needs, most persons first, then by code.
    pub needs: Vec<NeedRow>,
}

/// Participation-support figures (参加支援事業の実績).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ParticipationFigures {
    /// Matches proposed in the year (マッチング提案数).
    pub proposed: u64,
    /// Matches that entered `tried` in the year (体験参加).
    pub tried: u64,
    /// Matches that entered `continuing` in the year (継続参加).
    pub continuing: u64,
    /// Matches stopped in the year.
    pub stopped: u64,
    /// Stops by reason, one row per reason.
    pub stopped_by_reason: Vec<CodeCount>,
    /// Matches live (not stopped) on March 31.
    pub live_at_end: u64,
    /// Follow-up visits in the year (定着支援の回数).
    pub follow_ups: u64,
    /// Resource gaps found in the year, by area (sorted by area code).
    pub resource_gaps: Vec<GapAreaRow>,
}

/// One support stage's figures in an area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StageRow {
    /// The stage.
    pub stage: SupportStage,
    /// Its label (居場所づくり, 見守り, 生活支援).
    pub ja: String,
    /// Activities serving the stage that ran in the year.
    pub activities: u64,
    /// Their sessions in the year.
    pub sessions: u64,
    /// Participants over those sessions (延べ).
    pub participants: u64,
}

/// Community-building figures of one small area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CommunityAreaRow {
    /// Small area code.
    pub area: AreaCode,
    /// Activities that ran in the year.
    pub activities: u64,
    /// Sessions in the year.
    pub sessions: u64,
    /// Participants over those sessions (延べ参加者数).
    pub participants: u64,
    /// Supporters over those sessions (延べ担い手数).
    pub supporters: u64,
    /// Per stage (an activity serving two stages counts in both).
    pub by_stage: Vec<StageRow>,
}

/// Community-building figures (地域づくり事業の実績).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CommunityFigures {
    /// Activities that ran in the year, all areas.
    pub activities: u64,
    /// Sessions in the year, all areas.
    pub sessions: u64,
    /// Participants over those sessions, all areas.
    pub participants: u64,
    /// Per small area (sorted by area code).
    pub areas: Vec<CommunityAreaRow>,
}
