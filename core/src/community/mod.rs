//! Community building (地域づくり事業): activities and places by small area, their sessions with
//! participant counts, and per-area statistics for the annual report.
//!
//! An [`Activity`] (サロン, 通いの場, 見守り活動, 買い物支援 …) belongs to a small area (小地域) and
//! is run by a residents' organisation (住民組織), the council of social welfare (社協), an NPO or
//! another operator. It serves one or more of the three stages of mutual support in a small area
//! that seeds 000 uses: places to belong (居場所づくり), watching over (見守り), everyday help
//! (生活支援). Sessions record **counts only** — participants and supporters — never who came.
//!
//! [`area_stats`] turns the register and the resource gaps of participation support into
//! [`AreaStats`] rows; [`merge_area_stats`] combines rows from partitions (offices, months)
//! associatively, so figures computed separately add up to the figures of the whole.
//!
//! This module does not own the social-resource directory or matching (see `participation`).

use crate::coded::Coded;
use crate::ids::*;
use crate::participation::{ResourceGap, ResourceId};
use crate::taxonomy::Label;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

string_newtype! {
    /// Community activity (地域活動) id.
    ActivityId,
}

/// Who runs an activity (運営主体).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum OperatorKind {
    /// 住民組織 (町内会, 地区社協, 自治会 …).
    ResidentsOrganisation,
    /// 社会福祉協議会.
    SocialWelfareCouncil,
    /// NPO法人・市民活動団体.
    Npo,
    /// その他 (事業所, 行政 …).
    Other,
}

/// The three stages of mutual support in a small area (小地域での支え合い, seeds 000).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SupportStage {
    /// ①居場所づくり: places to belong.
    PlaceToBelong,
    /// ②見守り支援: watching over.
    WatchingOver,
    /// ③生活支援: everyday help.
    EverydayHelp,
}

impl SupportStage {
    /// Bilingual label.
    pub fn label(self) -> Label {
        let (ja, en) = match self {
            SupportStage::PlaceToBelong => ("居場所づくり", "places to belong"),
            SupportStage::WatchingOver => ("見守り", "watching over"),
            SupportStage::EverydayHelp => ("生活支援", "everyday help"),
        };
        Label {
            ja: ja.into(),
            en: en.into(),
        }
    }
}

/// A community activity or place (地域活動・場).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// Activity id.
    pub id: ActivityId,
    /// Display name (an activity, not a person).
    pub name: String,
    /// Small area (小地域 / 小学校区) it belongs to: the key of the statistics.
    pub small_area: AreaCode,
    /// Daily-life area (日常生活圏域), where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_life_area: Option<AreaCode>,
    /// Who runs it.
    pub operator: OperatorKind,
    /// Stages of mutual support it serves (at least one).
    pub stages: BTreeSet<SupportStage>,
    /// Its entry in the participation-support directory, when people can be matched to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<ResourceId>,
    /// Date it started.
    pub started_on: NaiveDate,
    /// Date it ended, if it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_on: Option<NaiveDate>,
}

impl Activity {
    /// Whether it ran at some point in `from..=to`.
    pub fn active_in(&self, from: NaiveDate, to: NaiveDate) -> bool {
        self.started_on <= to && self.ended_on.is_none_or(|e| e >= from)
    }
}

/// One session (開催) with counts only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Session {
    /// The activity.
    pub activity: ActivityId,
    /// Date.
    pub on: NaiveDate,
    /// Participants (参加者数).
    pub participants: u32,
    /// Supporters and volunteers (担い手・ボランティア数).
    #[serde(default)]
    pub supporters: u32,
}

/// A command on the community register (a future journal event). Rejected commands change
/// nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum CommunityCommand {
    /// Register an activity.
    AddActivity {
        /// The activity.
        activity: Activity,
    },
    /// Record a session.
    RecordSession {
        /// The session.
        session: Session,
    },
    /// The activity ended (休止・終了); its record and sessions stay.
    EndActivity {
        /// Activity id.
        id: ActivityId,
        /// Date.
        on: NaiveDate,
    },
}

/// Errors of community building.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CommunityError {
    /// Two activities with one id.
    #[error("duplicate activity id `{id}` at {path}")]
    DuplicateActivity {
        /// The id.
        id: ActivityId,
        /// JSON path.
        path: String,
    },
    /// An activity id that is not registered.
    #[error("unknown activity `{id}` at {path}")]
    UnknownActivity {
        /// The id.
        id: ActivityId,
        /// JSON path.
        path: String,
    },
    /// An activity that serves no stage of mutual support.
    #[error("activity `{id}` serves no support stage at {path}")]
    NoSupportStage {
        /// The id.
        id: ActivityId,
        /// JSON path.
        path: String,
    },
    /// A session dated before the activity started or after it ended.
    #[error("session of activity `{id}` on {on} is outside its running dates at {path}")]
    SessionOutsideActivity {
        /// The activity.
        id: ActivityId,
        /// The session date.
        on: NaiveDate,
        /// JSON path.
        path: String,
    },
    /// A second session of one activity on one date.
    #[error("activity `{id}` already has a session on {on} at {path}")]
    DuplicateSession {
        /// The activity.
        id: ActivityId,
        /// The date.
        on: NaiveDate,
        /// JSON path.
        path: String,
    },
    /// Ending an activity that has ended.
    #[error("activity `{id}` has already ended")]
    ActivityEnded {
        /// The activity.
        id: ActivityId,
    },
    /// A date before the activity's start or its last session.
    #[error("activity `{id}`: {on} is before {last} at {path}")]
    DateOutOfOrder {
        /// The activity.
        id: ActivityId,
        /// The date given.
        on: NaiveDate,
        /// The earliest allowed date.
        last: NaiveDate,
        /// JSON path.
        path: String,
    },
    /// A statistics period whose start is after its end.
    #[error("period {from}..={to} is empty")]
    EmptyPeriod {
        /// Start.
        from: NaiveDate,
        /// End.
        to: NaiveDate,
    },
}

impl CommunityError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[
        "duplicate_activity",
        "unknown_activity",
        "no_support_stage",
        "session_outside_activity",
        "duplicate_session",
        "activity_ended",
        "date_out_of_order",
        "empty_period",
    ];
}

impl Coded for CommunityError {
    fn code(&self) -> &'static str {
        match self {
            CommunityError::DuplicateActivity { .. } => "duplicate_activity",
            CommunityError::UnknownActivity { .. } => "unknown_activity",
            CommunityError::NoSupportStage { .. } => "no_support_stage",
            CommunityError::SessionOutsideActivity { .. } => "session_outside_activity",
            CommunityError::DuplicateSession { .. } => "duplicate_session",
            CommunityError::ActivityEnded { .. } => "activity_ended",
            CommunityError::DateOutOfOrder { .. } => "date_out_of_order",
            CommunityError::EmptyPeriod { .. } => "empty_period",
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            CommunityError::DuplicateActivity { path, .. }
            | CommunityError::UnknownActivity { path, .. }
            | CommunityError::NoSupportStage { path, .. }
            | CommunityError::SessionOutsideActivity { path, .. }
            | CommunityError::DuplicateSession { path, .. }
            | CommunityError::DateOutOfOrder { path, .. } => Some(path.clone()),
            CommunityError::ActivityEnded { .. } | CommunityError::EmptyPeriod { .. } => None,
        }
    }
    fn kind(&self) -> crate::coded::ErrorKind {
        match self {
            CommunityError::DuplicateActivity { .. } => crate::coded::ErrorKind::AlreadyExists,
            CommunityError::UnknownActivity { .. } => crate::coded::ErrorKind::NotFound,
            CommunityError::NoSupportStage { .. } => crate::coded::ErrorKind::Invalid,
            CommunityError::SessionOutsideActivity { .. } => crate::coded::ErrorKind::Rule,
            CommunityError::DuplicateSession { .. } => crate::coded::ErrorKind::AlreadyExists,
            CommunityError::ActivityEnded { .. } => crate::coded::ErrorKind::Transition,
            CommunityError::DateOutOfOrder { .. } => crate::coded::ErrorKind::Rule,
            CommunityError::EmptyPeriod { .. } => crate::coded::ErrorKind::Invalid,
        }
    }
}

/// The register of community activities and their sessions.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommunityRegister {
    activities: Vec<Activity>,
    sessions: Vec<Session>,
}

impl CommunityRegister {
    /// An empty register.
    pub fn new() -> Self {
        Self::default()
    }

    /// Activities, in the order registered.
    pub fn activities(&self) -> &[Activity] {
        &self.activities
    }

    /// Sessions, in the order recorded.
    pub fn sessions(&self) -> &[Session] {
        &self.sessions
    }

    /// Activity by id.
    pub fn activity(&self, id: &ActivityId) -> Option<&Activity> {
        self.activities.iter().find(|a| &a.id == id)
    }

    fn index(&self, id: &ActivityId, path: &str) -> Result<usize, CommunityError> {
        self.activities
            .iter()
            .position(|a| &a.id == id)
            .ok_or_else(|| CommunityError::UnknownActivity {
                id: id.clone(),
                path: path.into(),
            })
    }

    /// Apply a command; on error nothing changes. Errors: `duplicate_activity`
    /// (`$.activity.id`), `no_support_stage` (`$.activity.stages`), `unknown_activity`
    /// (`$.session.activity`, `$.id`), `session_outside_activity` (`$.session.on`),
    /// `duplicate_session` (`$.session.on`), `activity_ended`, `date_out_of_order` (`$.on`:
    /// an end before the start or the last session; an activity registered already ended must
    /// end on or after it started, `$.activity.ended_on`).
    pub fn apply(&mut self, cmd: &CommunityCommand) -> Result<(), CommunityError> {
        match cmd {
            CommunityCommand::AddActivity { activity } => {
                if self.activity(&activity.id).is_some() {
                    return Err(CommunityError::DuplicateActivity {
                        id: activity.id.clone(),
                        path: "$.activity.id".into(),
                    });
                }
                if activity.stages.is_empty() {
                    return Err(CommunityError::NoSupportStage {
                        id: activity.id.clone(),
                        path: "$.activity.stages".into(),
                    });
                }
                if let Some(end) = activity.ended_on.filter(|e| *e < activity.started_on) {
                    return Err(CommunityError::DateOutOfOrder {
                        id: activity.id.clone(),
                        on: end,
                        last: activity.started_on,
                        path: "$.activity.ended_on".into(),
                    });
                }
                self.activities.push(activity.clone());
            }
            CommunityCommand::RecordSession { session } => {
                let i = self.index(&session.activity, "$.session.activity")?;
                let a = &self.activities[i];
                if session.on < a.started_on || a.ended_on.is_some_and(|e| session.on > e) {
                    return Err(CommunityError::SessionOutsideActivity {
                        id: a.id.clone(),
                        on: session.on,
                        path: "$.session.on".into(),
                    });
                }
                if self
                    .sessions
                    .iter()
                    .any(|s| s.activity == session.activity && s.on == session.on)
                {
                    return Err(CommunityError::DuplicateSession {
                        id: a.id.clone(),
                        on: session.on,
                        path: "$.session.on".into(),
                    });
                }
                self.sessions.push(session.clone());
            }
            CommunityCommand::EndActivity { id, on } => {
                let i = self.index(id, "$.id")?;
                let a = &self.activities[i];
                if a.ended_on.is_some() {
                    return Err(CommunityError::ActivityEnded { id: id.clone() });
                }
                let last = self
                    .sessions
                    .iter()
                    .filter(|s| &s.activity == id)
                    .map(|s| s.on)
                    .fold(a.started_on, NaiveDate::max);
                if *on < last {
                    return Err(CommunityError::DateOutOfOrder {
                        id: id.clone(),
                        on: *on,
                        last,
                        path: "$.on".into(),
                    });
                }
                self.activities[i].ended_on = Some(*on);
            }
        }
        Ok(())
    }
}

/// Counts per support stage.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct StageCounts {
    /// 居場所づくり.
    pub place_to_belong: u32,
    /// 見守り.
    pub watching_over: u32,
    /// 生活支援.
    pub everyday_help: u32,
}

/// Counts per operator kind.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct OperatorCounts {
    /// 住民組織.
    pub residents_organisation: u32,
    /// 社協.
    pub social_welfare_council: u32,
    /// NPO.
    pub npo: u32,
    /// その他.
    pub other: u32,
}

/// The figures of one area (or a total), all plain sums so they merge associatively.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct CommunityCounts {
    /// Activities running at some point in the period.
    pub activities: u32,
    /// Of those, per stage (an activity serving two stages counts in both).
    pub by_stage: StageCounts,
    /// Of those, per operator.
    pub by_operator: OperatorCounts,
    /// Sessions held in the period.
    pub sessions: u32,
    /// Participants over those sessions (延べ参加者数).
    pub participants: u64,
    /// Supporters over those sessions (延べ担い手数).
    pub supporters: u64,
    /// People with a need no resource met, recorded by the end of the period (資源の不足).
    pub resource_gap_persons: u32,
}

impl CommunityCounts {
    /// Sum of two sets of figures (associative and commutative; the default is the identity).
    pub fn merge(&self, o: &CommunityCounts) -> CommunityCounts {
        CommunityCounts {
            activities: self.activities + o.activities,
            by_stage: StageCounts {
                place_to_belong: self.by_stage.place_to_belong + o.by_stage.place_to_belong,
                watching_over: self.by_stage.watching_over + o.by_stage.watching_over,
                everyday_help: self.by_stage.everyday_help + o.by_stage.everyday_help,
            },
            by_operator: OperatorCounts {
                residents_organisation: self.by_operator.residents_organisation
                    + o.by_operator.residents_organisation,
                social_welfare_council: self.by_operator.social_welfare_council
                    + o.by_operator.social_welfare_council,
                npo: self.by_operator.npo + o.by_operator.npo,
                other: self.by_operator.other + o.by_operator.other,
            },
            sessions: self.sessions + o.sessions,
            participants: self.participants + o.participants,
            supporters: self.supporters + o.supporters,
            resource_gap_persons: self.resource_gap_persons + o.resource_gap_persons,
        }
    }
}

/// One row of the annual report's community-building table: an area and its figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AreaStats {
    /// Small area code.
    pub area: AreaCode,
    /// Figures.
    pub counts: CommunityCounts,
}

/// Per-area figures for `from..=to`, sorted by area. An area appears when it has an activity
/// running in the period or a resource gap recorded by its end. Sessions count under their
/// activity's small area; gaps under their own area code (the household's finest code, normally
/// the small area). Registers must not share activities when their rows are to be merged
/// (partition by office or by area). Errors: `empty_period`.
pub fn area_stats(
    register: &CommunityRegister,
    gaps: &[ResourceGap],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<AreaStats>, CommunityError> {
    if from > to {
        return Err(CommunityError::EmptyPeriod { from, to });
    }
    let mut rows: BTreeMap<AreaCode, CommunityCounts> = BTreeMap::new();
    for a in register.activities.iter().filter(|a| a.active_in(from, to)) {
        let c = rows.entry(a.small_area.clone()).or_default();
        c.activities += 1;
        for s in &a.stages {
            match s {
                SupportStage::PlaceToBelong => c.by_stage.place_to_belong += 1,
                SupportStage::WatchingOver => c.by_stage.watching_over += 1,
                SupportStage::EverydayHelp => c.by_stage.everyday_help += 1,
            }
        }
        match a.operator {
            OperatorKind::ResidentsOrganisation => c.by_operator.residents_organisation += 1,
            OperatorKind::SocialWelfareCouncil => c.by_operator.social_welfare_council += 1,
            OperatorKind::Npo => c.by_operator.npo += 1,
            OperatorKind::Other => c.by_operator.other += 1,
        }
    }
    for s in register
        .sessions
        .iter()
        .filter(|s| from <= s.on && s.on <= to)
    {
        if let Some(a) = register.activity(&s.activity) {
            let c = rows.entry(a.small_area.clone()).or_default();
            c.sessions += 1;
            c.participants += u64::from(s.participants);
            c.supporters += u64::from(s.supporters);
        }
    }
    for g in gaps.iter().filter(|g| g.first_seen <= to) {
        rows.entry(g.area.clone()).or_default().resource_gap_persons += g.person_count;
    }
    Ok(rows
        .into_iter()
        .map(|(area, counts)| AreaStats { area, counts })
        .collect())
}

/// Combine the rows of two partitions: figures of the same area are summed; the result is sorted
/// by area. Associative and commutative, with the empty list as identity.
pub fn merge_area_stats(a: &[AreaStats], b: &[AreaStats]) -> Vec<AreaStats> {
    let mut rows: BTreeMap<AreaCode, CommunityCounts> = BTreeMap::new();
    for r in a.iter().chain(b) {
        let e = rows.entry(r.area.clone()).or_default();
        *e = e.merge(&r.counts);
    }
    rows.into_iter()
        .map(|(area, counts)| AreaStats { area, counts })
        .collect()
}

/// The total over all rows.
pub fn total(rows: &[AreaStats]) -> CommunityCounts {
    rows.iter()
        .fold(CommunityCounts::default(), |acc, r| acc.merge(&r.counts))
}

#[cfg(test)]
mod tests;
