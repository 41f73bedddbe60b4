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

use super::partial::Position;
use super::report::CodeCount;
use crate::calendar::FiscalYear;
use crate::community::{ActivityId, OperatorKind, SupportStage};
use crate::ids::AreaCode;
use crate::participation::{FollowUpNext, MatchCommand, MatchId, StopReason};
use crate::registry::Command;
use crate::registry::{
    EndActivity, MatchAction, RecordResourceGap, RecordSession, RegisterActivity,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

fn min_date(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

fn keep_first<T>(slot: &mut Option<(Position, T)>, other: Option<(Position, T)>) {
    if let Some(o) = other {
        if slot.as_ref().is_none_or(|s| o.0 < s.0) {
            *slot = Some(o);
        }
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
    /// The registration, with its journal position: the first one wins (a journal holds one per
    /// id; keeping the earliest makes merging order-independent even if it held more).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    info: Option<(Position, ActivityInfo)>,
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
    pub(super) fn add(&mut self, fy: FiscalYear, at: Position, on: NaiveDate, command: &Command) {
        let in_year = |d: NaiveDate| fy.contains(d);
        match command {
            Command::Match(MatchAction { r#match }) => match r#match {
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
            Command::RecordResourceGap(RecordResourceGap { gap }) if in_year(on) => {
                if let Some(area) = &gap.area {
                    *self
                        .gaps
                        .entry(area.clone())
                        .or_default()
                        .entry(gap.need.code())
                        .or_default() += 1;
                }
            }
            Command::RegisterActivity(RegisterActivity { activity }) => {
                let a = self.activities.entry(activity.id.clone()).or_default();
                let info = ActivityInfo {
                    small_area: activity.small_area.clone(),
                    stages: activity.stages.clone(),
                    operator: activity.operator,
                    started_on: activity.started_on,
                };
                keep_first(&mut a.info, Some((at, info)));
                a.ended_on = min_date(a.ended_on, activity.ended_on);
            }
            Command::EndActivity(EndActivity { activity, on }) => {
                let a = self.activities.entry(activity.clone()).or_default();
                a.ended_on = min_date(a.ended_on, Some(*on));
            }
            Command::RecordSession(RecordSession { session }) if in_year(session.on) => {
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
            keep_first(&mut a.info, v.info);
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
            let Some((_, info)) = &a.info else { continue };
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

#[cfg(test)]
mod tests {
    use super::super::partial::{PartialReport, Position};
    use super::super::report::ReportSettings;
    use crate::calendar::FiscalYear;
    use crate::registry::{Command, Event};
    use chrono::{Duration, NaiveDate};
    use proptest::prelude::*;
    use serde_json::json;

    /// An issue-9 event from a few random numbers (the fold does not validate, so the events
    /// need not form a valid journal; ids collide on purpose).
    fn event(kind: u8, id: u8, day: u16, n: u8) -> Event {
        let on = NaiveDate::from_ymd_opt(2023, 10, 1).unwrap() + Duration::days(i64::from(day));
        let next = on + Duration::days(14);
        let m = format!("m-{}", id % 6);
        let a = format!("a-{}", id % 5);
        let area = format!("area-{}", id % 3);
        let reasons = ["settled", "person_declined", "moved", "other"];
        let reason = reasons[usize::from(n) % reasons.len()];
        let stages = [
            vec!["place_to_belong"],
            vec!["watching_over", "everyday_help"],
            vec!["place_to_belong", "watching_over", "everyday_help"],
        ];
        let v = match kind % 9 {
            0 => json!({ "command": "match", "match": { "type": "propose", "id": m, "person": "p",
                         "household": "h", "resource": "r", "on": on, "next_follow_up": next } }),
            1 => {
                json!({ "command": "match", "match": { "type": "mark_tried", "id": m, "on": on, "next_follow_up": next } })
            }
            2 => {
                json!({ "command": "match", "match": { "type": "mark_continuing", "id": m, "on": on, "next_follow_up": next } })
            }
            3 => {
                let next = if n % 3 == 0 {
                    json!({ "type": "stop", "reason": reason })
                } else {
                    json!({ "type": "next_on", "date": next })
                };
                json!({ "command": "match", "match": { "type": "record_follow_up", "id": m,
                         "follow_up": { "on": on, "observation": "irregular", "next": next } } })
            }
            4 => {
                json!({ "command": "match", "match": { "type": "stop", "id": m, "on": on, "reason": reason } })
            }
            5 => json!({ "command": "record_resource_gap", "gap": { "area": area,
                         "need": if n % 2 == 0 { json!({ "type": "participation" }) } else { json!({ "type": "wish", "wish": "farming" }) } } }),
            6 => {
                json!({ "command": "register_activity", "activity": { "id": a, "name": "x", "small_area": area,
                         "operator": "npo", "stages": stages[usize::from(n) % 3], "started_on": on } })
            }
            7 => json!({ "command": "end_activity", "activity": a, "on": on }),
            _ => {
                json!({ "command": "record_session", "session": { "activity": a, "on": on, "participants": n } })
            }
        };
        let command: Command = serde_json::from_value(v).unwrap();
        Event { on, command }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The participation and community facts merge like the rest of the report: partials of
        /// any partition, merged in any order, equal the single pass.
        #[test]
        fn support_figures_merge_over_any_partition(
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
            // A ledger keeps these commands whole and folds them the same way.
            prop_assert_eq!(&crate::stats::Ledger::from_events(&events).partial_report(year), &single);
            let s = ReportSettings::default();
            let r = single.finish(&s).unwrap();
            prop_assert_eq!(&forward.finish(&s).unwrap(), &r);
            // Totals agree with the rows.
            prop_assert_eq!(r.participation.stopped,
                r.participation.stopped_by_reason.iter().map(|c| c.count).sum::<u64>());
            prop_assert_eq!(r.community.sessions, r.community.areas.iter().map(|a| a.sessions).sum::<u64>());
        }
    }

    #[test]
    fn figures_count_the_year_only() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let ev = |on: &str, v: serde_json::Value| Event {
            on: d(on),
            command: serde_json::from_value(v).unwrap(),
        };
        let events = vec![
            ev(
                "2024-03-20",
                json!({ "command": "match", "match": { "type": "propose", "id": "m-old", "person": "p",
                "household": "h", "resource": "r", "on": "2024-03-20", "next_follow_up": "2024-04-03" } }),
            ),
            ev(
                "2024-05-01",
                json!({ "command": "match", "match": { "type": "propose", "id": "m-1", "person": "p",
                "household": "h", "resource": "r", "on": "2024-05-01", "next_follow_up": "2024-05-15" } }),
            ),
            ev(
                "2024-06-01",
                json!({ "command": "match", "match": { "type": "stop", "id": "m-1", "on": "2024-06-01", "reason": "not_suitable" } }),
            ),
            ev(
                "2025-04-02",
                json!({ "command": "match", "match": { "type": "stop", "id": "m-old", "on": "2025-04-02", "reason": "moved" } }),
            ),
            ev(
                "2024-04-01",
                json!({ "command": "register_activity", "activity": { "id": "a", "name": "x", "small_area": "s1",
                "operator": "npo", "stages": ["watching_over"], "started_on": "2023-04-01", "ended_on": "2024-03-31" } }),
            ),
            ev(
                "2024-04-01",
                json!({ "command": "register_activity", "activity": { "id": "b", "name": "y", "small_area": "s1",
                "operator": "npo", "stages": ["watching_over"], "started_on": "2024-04-01" } }),
            ),
            ev(
                "2024-04-10",
                json!({ "command": "record_session", "session": { "activity": "b", "on": "2024-04-10", "participants": 8 } }),
            ),
        ];
        let r = super::super::annual_report(
            &events,
            FiscalYear::new(2024).unwrap(),
            &ReportSettings::default(),
        )
        .unwrap();
        let p = &r.participation;
        assert_eq!((p.proposed, p.stopped, p.live_at_end), (1, 1, 1));
        let not_suitable = p
            .stopped_by_reason
            .iter()
            .find(|c| c.code == "not_suitable")
            .unwrap();
        assert_eq!(
            (not_suitable.count, not_suitable.ja.as_str()),
            (1, "合わなかった")
        );
        // Activity `a` ended before the year: not counted.
        assert_eq!((r.community.activities, r.community.participants), (1, 8));
        assert_eq!(r.community.areas[0].by_stage[1].participants, 8);
        assert_eq!(r.community.areas[0].by_stage[0].participants, 0);
    }
}
