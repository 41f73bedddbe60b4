//! Community building in statistics (地域づくり事業の実績・分析用データ): the report's
//! community figures, folded from activity and session facts and merged like the rest of the
//! report, and the export's activities and sessions tables. Which command states which fact or
//! row is in `fold/community.rs`.
//!
//! Decisions: an activity counts in the year when it ran at some point in it (started by March
//! 31, not ended before April 1), under its small area and under each stage it serves; sessions
//! and participants are the sessions dated in the year. Participants are 延べ人数 (counts per
//! session, never persons). A session's activity may be registered in another partition:
//! sessions are kept per activity id and placed in their area when the report is finished.
//!
//! What leaves in the export: activities with their small and daily-life areas (places), the
//! operator kind, stages, their resource's pseudonym and dates (never the name); sessions with
//! date and counts only.

use super::position::{min_date, Position};
use super::report::{CommunityAreaRow, CommunityFigures, StageRow};
use crate::calendar::FiscalYear;
use crate::community::{ActivityId, OperatorKind, SupportStage};
use crate::ids::AreaCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A community fact a command states (see `fold/community.rs`).
#[derive(Debug, Clone)]
pub(in crate::stats) enum CommunityFact {
    /// An activity registered at `at`, ending on `ended_on` if it is known.
    Registered {
        at: Position,
        id: ActivityId,
        info: ActivityInfo,
        ended_on: Option<NaiveDate>,
    },
    /// An activity ended on `on`.
    Ended { id: ActivityId, on: NaiveDate },
    /// A session of `activity` on `on`.
    Session {
        activity: ActivityId,
        on: NaiveDate,
        participants: u32,
        supporters: u32,
    },
}

fn keep_first<T>(slot: &mut Option<(Position, T)>, other: Option<(Position, T)>) {
    if let Some(o) = other {
        if slot.as_ref().is_none_or(|s| o.0 < s.0) {
            *slot = Some(o);
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(in crate::stats) struct ActivityInfo {
    pub(in crate::stats) small_area: AreaCode,
    pub(in crate::stats) stages: BTreeSet<SupportStage>,
    pub(in crate::stats) operator: OperatorKind,
    pub(in crate::stats) started_on: NaiveDate,
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

/// The community facts of a partial report.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub(in crate::stats) struct CommunityFacts {
    #[serde(default)]
    activities: BTreeMap<ActivityId, ActivityFacts>,
}

impl CommunityFacts {
    /// Fold one fact into the facts of fiscal year `fy`.
    pub(in crate::stats) fn add(&mut self, fy: FiscalYear, fact: CommunityFact) {
        match fact {
            CommunityFact::Registered {
                at,
                id,
                info,
                ended_on,
            } => {
                let a = self.activities.entry(id).or_default();
                keep_first(&mut a.info, Some((at, info)));
                a.ended_on = min_date(a.ended_on, ended_on);
            }
            CommunityFact::Ended { id, on } => {
                let a = self.activities.entry(id).or_default();
                a.ended_on = min_date(a.ended_on, Some(on));
            }
            CommunityFact::Session {
                activity,
                on,
                participants,
                supporters,
            } => {
                if fy.contains(on) {
                    let a = self.activities.entry(activity).or_default();
                    a.sessions += 1;
                    a.participants += u64::from(participants);
                    a.supporters += u64::from(supporters);
                }
            }
        }
    }

    /// Merge the facts of a disjoint set of events (associative and commutative).
    pub(in crate::stats) fn merge(&mut self, other: CommunityFacts) {
        for (k, v) in other.activities {
            let a = self.activities.entry(k).or_default();
            keep_first(&mut a.info, v.info);
            a.ended_on = min_date(a.ended_on, v.ended_on);
            a.sessions += v.sessions;
            a.participants += v.participants;
            a.supporters += v.supporters;
        }
    }

    /// The community-building figures of the year.
    pub(in crate::stats) fn figures(&self, fy: FiscalYear) -> CommunityFigures {
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

// ------------------------------------------------------------------ export

/// A community activity (地域活動・場).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRow {
    /// Activity pseudonym.
    pub activity: u64,
    /// Small area (小地域).
    pub small_area: AreaCode,
    /// Daily-life area (日常生活圏域), where known.
    pub daily_life_area: Option<AreaCode>,
    /// Who runs it (運営主体).
    pub operator: OperatorKind,
    /// Stages of mutual support it serves, in order.
    pub stages: Vec<SupportStage>,
    /// Its resource's pseudonym, when it is in the directory.
    pub resource: Option<u64>,
    /// Started on.
    pub started_on: NaiveDate,
    /// Ended on (休止・終了).
    pub ended_on: Option<NaiveDate>,
}

/// A session of an activity (開催), counts only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// Activity pseudonym.
    pub activity: u64,
    /// Date.
    pub on: NaiveDate,
    /// Participants (参加者数, 延べ).
    pub participants: u32,
    /// Supporters (担い手数).
    pub supporters: u32,
}

/// What the export remembers of activities while folding: where each activity row is.
#[derive(Default)]
pub(in crate::stats) struct CommunityRows {
    pub(in crate::stats) activity_index: HashMap<ActivityId, usize>,
}
