//! Match records (マッチング記録), their lifecycle and follow-up after matching (定着支援).

use super::resource::ResourceDirectory;
use super::{MatchId, ParticipationError, ResourceId};
use crate::ids::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The stage of a match, as a plain code (for history rows and statistics).
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
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum MatchStage {
    /// 提案: the resource was proposed to the person.
    Proposed,
    /// 試行: the person tried it (体験参加).
    Tried,
    /// 継続: the person keeps going.
    Continuing,
    /// 終了: the match ended.
    Stopped,
}

impl MatchStage {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            MatchStage::Proposed => "proposed",
            MatchStage::Tried => "tried",
            MatchStage::Continuing => "continuing",
            MatchStage::Stopped => "stopped",
        }
    }
}

/// Why a match stopped (終了理由).
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
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum StopReason {
    /// 定着し伴走終了: the person attends on their own; follow-up is no longer needed. Only from
    /// `continuing` — a person who has not kept going cannot have settled.
    Settled,
    /// 本人が希望しない.
    PersonDeclined,
    /// 合わなかった.
    NotSuitable,
    /// 体調・生活状況の変化.
    CircumstancesChanged,
    /// 活動の休止・終了.
    ResourceClosed,
    /// 転居.
    Moved,
    /// 連絡がとれない.
    LostContact,
    /// 死亡.
    Died,
    /// その他.
    Other,
}

impl StopReason {
    /// Every reason, in report order.
    pub const ALL: [StopReason; 9] = [
        StopReason::Settled,
        StopReason::PersonDeclined,
        StopReason::NotSuitable,
        StopReason::CircumstancesChanged,
        StopReason::ResourceClosed,
        StopReason::Moved,
        StopReason::LostContact,
        StopReason::Died,
        StopReason::Other,
    ];

    /// Japanese label (as in the annual report).
    pub fn ja(self) -> &'static str {
        match self {
            StopReason::Settled => "定着",
            StopReason::PersonDeclined => "本人が希望しない",
            StopReason::NotSuitable => "合わなかった",
            StopReason::CircumstancesChanged => "体調・生活状況の変化",
            StopReason::ResourceClosed => "活動の休止・終了",
            StopReason::Moved => "転居",
            StopReason::LostContact => "連絡がとれない",
            StopReason::Died => "死亡",
            StopReason::Other => "その他",
        }
    }

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            StopReason::Settled => "settled",
            StopReason::PersonDeclined => "person_declined",
            StopReason::NotSuitable => "not_suitable",
            StopReason::CircumstancesChanged => "circumstances_changed",
            StopReason::ResourceClosed => "resource_closed",
            StopReason::Moved => "moved",
            StopReason::LostContact => "lost_contact",
            StopReason::Died => "died",
            StopReason::Other => "other",
        }
    }
}

/// Status of a match. Every live status carries the next follow-up date: a live match without
/// one cannot be represented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case", deny_unknown_fields)]
pub enum MatchStatus {
    /// Proposed; follow up to hear whether the person went.
    Proposed {
        /// Next follow-up (次回フォロー日).
        next_follow_up: NaiveDate,
    },
    /// Tried.
    Tried {
        /// Next follow-up.
        next_follow_up: NaiveDate,
    },
    /// Continuing.
    Continuing {
        /// Next follow-up.
        next_follow_up: NaiveDate,
    },
    /// Stopped.
    Stopped {
        /// Date it stopped.
        on: NaiveDate,
        /// Why.
        reason: StopReason,
    },
}

impl MatchStatus {
    /// The stage code.
    pub fn stage(&self) -> MatchStage {
        match self {
            MatchStatus::Proposed { .. } => MatchStage::Proposed,
            MatchStatus::Tried { .. } => MatchStage::Tried,
            MatchStatus::Continuing { .. } => MatchStage::Continuing,
            MatchStatus::Stopped { .. } => MatchStage::Stopped,
        }
    }
    /// The next follow-up date; `None` exactly when stopped.
    pub fn next_follow_up(&self) -> Option<NaiveDate> {
        match self {
            MatchStatus::Proposed { next_follow_up }
            | MatchStatus::Tried { next_follow_up }
            | MatchStatus::Continuing { next_follow_up } => Some(*next_follow_up),
            MatchStatus::Stopped { .. } => None,
        }
    }
    fn with_next(stage: MatchStage, next_follow_up: NaiveDate) -> MatchStatus {
        match stage {
            MatchStage::Proposed => MatchStatus::Proposed { next_follow_up },
            MatchStage::Tried => MatchStatus::Tried { next_follow_up },
            MatchStage::Continuing | MatchStage::Stopped => {
                MatchStatus::Continuing { next_follow_up }
            }
        }
    }
}

/// One change of status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    /// Date.
    pub on: NaiveDate,
    /// The stage entered.
    pub to: MatchStage,
}

/// What the worker saw at a follow-up (様子).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Observation {
    /// 定着している: attends and feels at home.
    Settling,
    /// 参加が不定期.
    Irregular,
    /// 参加していない.
    NotAttending,
    /// 困りごとがある (with the resource, the people, getting there …).
    Difficulty,
}

/// What comes after a follow-up: the next date, or the end of the match. There is no third
/// option, so recording a follow-up can never leave a live match without a next date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum FollowUpNext {
    /// Follow up again on `date`.
    NextOn {
        /// The next follow-up date (after the visit).
        date: NaiveDate,
    },
    /// Stop the match.
    Stop {
        /// Why.
        reason: StopReason,
    },
}

/// A follow-up visit or call after matching (定着支援).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FollowUp {
    /// Date.
    pub on: NaiveDate,
    /// Worker, where recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub by: Option<WorkerId>,
    /// What was seen.
    pub observation: Observation,
    /// What next.
    pub next: FollowUpNext,
}

/// A command on match records (a future journal event). Rejected commands change nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum MatchCommand {
    /// Propose a resource to a person (a new match).
    Propose {
        /// New match id.
        id: MatchId,
        /// The person.
        person: PersonId,
        /// Their household.
        household: HouseholdId,
        /// The resource, in the directory.
        resource: ResourceId,
        /// Date proposed.
        on: NaiveDate,
        /// First follow-up date (after `on`).
        next_follow_up: NaiveDate,
    },
    /// The person tried the resource.
    MarkTried {
        /// Match id.
        id: MatchId,
        /// Date.
        on: NaiveDate,
        /// Next follow-up (after `on`).
        next_follow_up: NaiveDate,
    },
    /// The person keeps going.
    MarkContinuing {
        /// Match id.
        id: MatchId,
        /// Date.
        on: NaiveDate,
        /// Next follow-up (after `on`).
        next_follow_up: NaiveDate,
    },
    /// A follow-up visit with the next date or a stop.
    RecordFollowUp {
        /// Match id.
        id: MatchId,
        /// The follow-up.
        follow_up: FollowUp,
    },
    /// Stop the match.
    Stop {
        /// Match id.
        id: MatchId,
        /// Date.
        on: NaiveDate,
        /// Why.
        reason: StopReason,
    },
}

impl MatchCommand {
    /// Stable code of the command.
    pub fn code(&self) -> &'static str {
        match self {
            MatchCommand::Propose { .. } => "propose",
            MatchCommand::MarkTried { .. } => "mark_tried",
            MatchCommand::MarkContinuing { .. } => "mark_continuing",
            MatchCommand::RecordFollowUp { .. } => "record_follow_up",
            MatchCommand::Stop { .. } => "stop",
        }
    }
    /// The match the command is about.
    pub fn id(&self) -> &MatchId {
        match self {
            MatchCommand::Propose { id, .. }
            | MatchCommand::MarkTried { id, .. }
            | MatchCommand::MarkContinuing { id, .. }
            | MatchCommand::RecordFollowUp { id, .. }
            | MatchCommand::Stop { id, .. } => id,
        }
    }
}

/// A match record (マッチング記録): one person, one resource, its status, history and follow-ups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchRecord {
    /// Match id.
    pub id: MatchId,
    /// The person.
    pub person: PersonId,
    /// Their household.
    pub household: HouseholdId,
    /// The resource.
    pub resource: ResourceId,
    /// Date proposed.
    pub proposed_on: NaiveDate,
    /// Current status.
    pub status: MatchStatus,
    /// Every status entered, oldest first (starting with `proposed`).
    pub history: Vec<StatusChange>,
    /// Follow-ups, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub follow_ups: Vec<FollowUp>,
}

fn check_next(
    id: &MatchId,
    on: NaiveDate,
    next: NaiveDate,
    path: &str,
) -> Result<(), ParticipationError> {
    if next <= on {
        return Err(ParticipationError::FollowUpNotAfter {
            id: id.clone(),
            on,
            next,
            path: path.into(),
        });
    }
    Ok(())
}

impl MatchRecord {
    /// The latest date recorded on the match.
    pub fn last_date(&self) -> NaiveDate {
        let mut last = self.proposed_on;
        for h in &self.history {
            last = last.max(h.on);
        }
        for f in &self.follow_ups {
            last = last.max(f.on);
        }
        last
    }

    /// The next follow-up date; `None` exactly when stopped.
    pub fn next_follow_up(&self) -> Option<NaiveDate> {
        self.status.next_follow_up()
    }

    fn illegal(&self, command: &'static str) -> ParticipationError {
        ParticipationError::IllegalTransition {
            id: self.id.clone(),
            from: self.status.stage().code(),
            command,
        }
    }

    fn check_on(&self, on: NaiveDate, path: &str) -> Result<(), ParticipationError> {
        let last = self.last_date();
        if on < last {
            return Err(ParticipationError::DateOutOfOrder {
                id: self.id.clone(),
                on,
                last,
                path: path.into(),
            });
        }
        Ok(())
    }

    fn stop_allowed(
        &self,
        reason: StopReason,
        command: &'static str,
    ) -> Result<(), ParticipationError> {
        match self.status.stage() {
            MatchStage::Stopped => Err(self.illegal(command)),
            MatchStage::Continuing => Ok(()),
            _ if reason == StopReason::Settled => Err(self.illegal(command)),
            _ => Ok(()),
        }
    }

    /// Apply an update (every command but `propose`), returning the new record; `self` is never
    /// changed. Errors: `illegal_transition` (tried only from proposed, continuing only from
    /// tried, nothing after stopped, `settled` only from continuing, `propose` on an existing
    /// match), `date_out_of_order` (`$.on`, `$.follow_up.on`) before the last recorded date,
    /// `follow_up_not_after` (`$.next_follow_up`, `$.follow_up.next.date`) for a next follow-up
    /// not after the command's date.
    pub fn applied(&self, cmd: &MatchCommand) -> Result<MatchRecord, ParticipationError> {
        let mut out = self.clone();
        match cmd {
            MatchCommand::Propose { .. } => return Err(self.illegal(cmd.code())),
            MatchCommand::MarkTried {
                on, next_follow_up, ..
            }
            | MatchCommand::MarkContinuing {
                on, next_follow_up, ..
            } => {
                let (from, to) = match cmd {
                    MatchCommand::MarkTried { .. } => (MatchStage::Proposed, MatchStage::Tried),
                    _ => (MatchStage::Tried, MatchStage::Continuing),
                };
                if self.status.stage() != from {
                    return Err(self.illegal(cmd.code()));
                }
                self.check_on(*on, "$.on")?;
                check_next(&self.id, *on, *next_follow_up, "$.next_follow_up")?;
                out.status = MatchStatus::with_next(to, *next_follow_up);
                out.history.push(StatusChange { on: *on, to });
            }
            MatchCommand::RecordFollowUp { follow_up, .. } => {
                if self.status.stage() == MatchStage::Stopped {
                    return Err(self.illegal(cmd.code()));
                }
                self.check_on(follow_up.on, "$.follow_up.on")?;
                match &follow_up.next {
                    FollowUpNext::NextOn { date } => {
                        check_next(&self.id, follow_up.on, *date, "$.follow_up.next.date")?;
                        out.status = MatchStatus::with_next(self.status.stage(), *date);
                    }
                    FollowUpNext::Stop { reason } => {
                        self.stop_allowed(*reason, cmd.code())?;
                        out.status = MatchStatus::Stopped {
                            on: follow_up.on,
                            reason: *reason,
                        };
                        out.history.push(StatusChange {
                            on: follow_up.on,
                            to: MatchStage::Stopped,
                        });
                    }
                }
                out.follow_ups.push(follow_up.clone());
            }
            MatchCommand::Stop { on, reason, .. } => {
                self.stop_allowed(*reason, cmd.code())?;
                self.check_on(*on, "$.on")?;
                out.status = MatchStatus::Stopped {
                    on: *on,
                    reason: *reason,
                };
                out.history.push(StatusChange {
                    on: *on,
                    to: MatchStage::Stopped,
                });
            }
        }
        Ok(out)
    }
}

/// The match records of a municipality (or one office), applying commands all or nothing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(transparent)]
pub struct MatchBook {
    matches: Vec<MatchRecord>,
}

impl MatchBook {
    /// An empty book.
    pub fn new() -> Self {
        Self::default()
    }

    /// All matches, in the order proposed.
    pub fn matches(&self) -> &[MatchRecord] {
        &self.matches
    }

    /// Match by id.
    pub fn get(&self, id: &MatchId) -> Option<&MatchRecord> {
        self.matches.iter().find(|m| &m.id == id)
    }

    /// Apply a command; on error nothing changes. `propose` checks the id is new
    /// (`duplicate_match`, `$.id`), the resource is in `directory` (`unknown_resource`,
    /// `$.resource`) and the first follow-up is after the proposal (`follow_up_not_after`,
    /// `$.next_follow_up`); other commands need a known match (`unknown_match`, `$.id`) and
    /// follow [`MatchRecord::applied`].
    pub fn apply(
        &mut self,
        cmd: &MatchCommand,
        directory: &ResourceDirectory,
    ) -> Result<(), ParticipationError> {
        match cmd {
            MatchCommand::Propose {
                id,
                person,
                household,
                resource,
                on,
                next_follow_up,
            } => {
                if self.get(id).is_some() {
                    return Err(ParticipationError::DuplicateMatch {
                        id: id.clone(),
                        path: "$.id".into(),
                    });
                }
                directory.check(resource, "$.resource")?;
                check_next(id, *on, *next_follow_up, "$.next_follow_up")?;
                self.matches.push(MatchRecord {
                    id: id.clone(),
                    person: person.clone(),
                    household: household.clone(),
                    resource: resource.clone(),
                    proposed_on: *on,
                    status: MatchStatus::Proposed {
                        next_follow_up: *next_follow_up,
                    },
                    history: vec![StatusChange {
                        on: *on,
                        to: MatchStage::Proposed,
                    }],
                    follow_ups: Vec::new(),
                });
                Ok(())
            }
            other => {
                let idx = self
                    .matches
                    .iter()
                    .position(|m| m.id == *other.id())
                    .ok_or_else(|| ParticipationError::UnknownMatch {
                        id: other.id().clone(),
                        path: "$.id".into(),
                    })?;
                let next = self.matches[idx].applied(other)?;
                self.matches[idx] = next;
                Ok(())
            }
        }
    }
}

/// A follow-up that is due (フォロー予定).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FollowUpDue {
    /// Match id.
    pub id: MatchId,
    /// The person.
    pub person: PersonId,
    /// The resource.
    pub resource: ResourceId,
    /// Current stage.
    pub stage: MatchStage,
    /// Due date.
    pub due: NaiveDate,
    /// Days past due (0 when due today).
    pub days_overdue: i64,
}

/// Live matches whose next follow-up is on or before `today`, most overdue first, then by id.
pub fn follow_ups_due(matches: &[MatchRecord], today: NaiveDate) -> Vec<FollowUpDue> {
    let mut out: Vec<FollowUpDue> = matches
        .iter()
        .filter_map(|m| {
            let due = m.next_follow_up()?;
            (due <= today).then(|| FollowUpDue {
                id: m.id.clone(),
                person: m.person.clone(),
                resource: m.resource.clone(),
                stage: m.status.stage(),
                due,
                days_overdue: (today - due).num_days(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.id.cmp(&b.id)));
    out
}

/// Participation-support figures for a period (for the annual report): counts only.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipationStats {
    /// Matches proposed in the period.
    pub proposed: u32,
    /// Matches that entered `tried` in the period.
    pub tried: u32,
    /// Matches that entered `continuing` in the period.
    pub continuing: u32,
    /// Matches that stopped in the period.
    pub stopped: u32,
    /// Stops by reason code.
    pub stopped_by_reason: BTreeMap<String, u32>,
    /// Follow-ups recorded in the period (定着支援の回数).
    pub follow_ups: u32,
    /// Matches live (not stopped) at the end of the period.
    pub live_at_end: u32,
}

impl ParticipationStats {
    /// Combine two partitions' figures (associative and commutative).
    pub fn merge(mut self, other: &ParticipationStats) -> ParticipationStats {
        self.proposed += other.proposed;
        self.tried += other.tried;
        self.continuing += other.continuing;
        self.stopped += other.stopped;
        for (k, v) in &other.stopped_by_reason {
            *self.stopped_by_reason.entry(k.clone()).or_default() += v;
        }
        self.follow_ups += other.follow_ups;
        self.live_at_end += other.live_at_end;
        self
    }
}

/// Figures for the period `from..=to` (e.g. a fiscal year).
pub fn participation_stats(
    matches: &[MatchRecord],
    from: NaiveDate,
    to: NaiveDate,
) -> ParticipationStats {
    let inside = |d: NaiveDate| from <= d && d <= to;
    let mut s = ParticipationStats::default();
    for m in matches {
        for h in m.history.iter().filter(|h| inside(h.on)) {
            match h.to {
                MatchStage::Proposed => s.proposed += 1,
                MatchStage::Tried => s.tried += 1,
                MatchStage::Continuing => s.continuing += 1,
                MatchStage::Stopped => {
                    s.stopped += 1;
                    if let MatchStatus::Stopped { reason, .. } = m.status {
                        *s.stopped_by_reason
                            .entry(reason.code().to_string())
                            .or_default() += 1;
                    }
                }
            }
        }
        s.follow_ups += m.follow_ups.iter().filter(|f| inside(f.on)).count() as u32;
        let stopped_by_end = matches!(m.status, MatchStatus::Stopped { on, .. } if on <= to);
        if m.proposed_on <= to && !stopped_by_end {
            s.live_at_end += 1;
        }
    }
    s
}
