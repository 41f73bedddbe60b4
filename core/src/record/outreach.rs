//! Outreach (アウトリーチ等を通じた継続的支援) as a workflow: attempts to reach a person who
//! cannot or will not come, each with its outcome (会えた, 話せた, 不在, 拒否, 手紙を置いた,
//! 関係者を通じて); the relationship stage (未接触 → 接触 → 関係形成 → 支援受入); and cases kept
//! open to stay connected without a plan (つながり続ける支援).
//!
//! # Decisions on the relationship stage
//!
//! * A case's stage starts at 未接触 (not contacted).
//! * An attempt whose outcome reached the person (会えた, 話せた) moves 未接触 to 接触 by itself:
//!   once a worker has spoken with the person, "not contacted" is no longer true.
//! * Every other move is the worker's judgement, given on an attempt (`stage`) or by
//!   `set_stage`: forward by any number of steps (a person may accept support at the first
//!   meeting), or back (a person who stops answering after 関係形成 falls back to 接触) — a
//!   relationship is not a ladder climbed once.
//! * No stage above 未接触 before the person was reached (`stage_without_contact`), and never
//!   back to 未接触 once reached (`already_contacted`): contact, once made, is a fact.
//! * A stage change is dated; one dated before the latest change is refused
//!   (`date_out_of_order`). Attempts themselves may arrive in any order (recorded offline).
//! * Setting the stage the case is already at is refused (`stage_unchanged`); an attempt that
//!   gives the current stage changes nothing.
//!
//! # Keeping connected (つながり続ける支援)
//!
//! A case is kept connected from a date until stopped: support without a plan, whose aim is the
//! connection itself. A case with a support plan is refused (`case_has_plan`): it is supported
//! with a plan. Periods do not overlap (`already_kept_connected`, `not_kept_connected`); a stop
//! is not dated before its start (`date_out_of_order`). Closing the case does not end the
//! period by itself: the worker stops it (the record then says when the connection ended).

use super::ids::*;
use super::kinds::RecordKinds;
use super::RecordError;
use crate::ids::*;
use crate::taxonomy::Label;
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

fn label(ja: &str, en: &str) -> Label {
    Label {
        ja: ja.into(),
        en: en.into(),
    }
}

/// What an outreach attempt led to (訪問・連絡の結果).
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
pub enum AttemptOutcome {
    /// 会えた: met the person.
    Met,
    /// 話せた: spoke with the person without meeting (phone, through the door, intercom).
    Talked,
    /// 不在: nobody answered.
    NotHome,
    /// 拒否: the person refused contact.
    Refused,
    /// 手紙を置いた: left a letter or a note.
    LetterLeft,
    /// 関係者を通じて: reached family, a neighbour or a 民生委員 but not the person.
    ViaOthers,
}

impl AttemptOutcome {
    /// Every outcome.
    pub const ALL: [AttemptOutcome; 6] = [
        AttemptOutcome::Met,
        AttemptOutcome::Talked,
        AttemptOutcome::NotHome,
        AttemptOutcome::Refused,
        AttemptOutcome::LetterLeft,
        AttemptOutcome::ViaOthers,
    ];
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            AttemptOutcome::Met => "met",
            AttemptOutcome::Talked => "talked",
            AttemptOutcome::NotHome => "not_home",
            AttemptOutcome::Refused => "refused",
            AttemptOutcome::LetterLeft => "letter_left",
            AttemptOutcome::ViaOthers => "via_others",
        }
    }
    /// Labels.
    pub fn label(self) -> Label {
        match self {
            AttemptOutcome::Met => label("会えた", "Met"),
            AttemptOutcome::Talked => label("話せた", "Talked"),
            AttemptOutcome::NotHome => label("不在", "Nobody home"),
            AttemptOutcome::Refused => label("拒否", "Refused"),
            AttemptOutcome::LetterLeft => label("手紙を置いた", "Letter left"),
            AttemptOutcome::ViaOthers => label("関係者を通じて", "Through others"),
        }
    }
    /// Whether the person was reached (会えた, 話せた). A refusal at the door is contact too,
    /// but decided as not reached: the person did not accept the contact.
    pub fn reached(self) -> bool {
        matches!(self, AttemptOutcome::Met | AttemptOutcome::Talked)
    }
}

/// The stage of the relationship with the person (関係性の段階), in order.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RelationshipStage {
    /// 未接触.
    #[default]
    NotContacted,
    /// 接触.
    Contacted,
    /// 関係形成.
    RelationshipBuilding,
    /// 支援受入.
    SupportAccepted,
}

impl RelationshipStage {
    /// Every stage, in order.
    pub const ALL: [RelationshipStage; 4] = [
        RelationshipStage::NotContacted,
        RelationshipStage::Contacted,
        RelationshipStage::RelationshipBuilding,
        RelationshipStage::SupportAccepted,
    ];
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            RelationshipStage::NotContacted => "not_contacted",
            RelationshipStage::Contacted => "contacted",
            RelationshipStage::RelationshipBuilding => "relationship_building",
            RelationshipStage::SupportAccepted => "support_accepted",
        }
    }
    /// Labels.
    pub fn label(self) -> Label {
        match self {
            RelationshipStage::NotContacted => label("未接触", "Not contacted"),
            RelationshipStage::Contacted => label("接触", "Contacted"),
            RelationshipStage::RelationshipBuilding => label("関係形成", "Relationship building"),
            RelationshipStage::SupportAccepted => label("支援受入", "Support accepted"),
        }
    }
}

/// An outreach attempt (アウトリーチの試み).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutreachAttempt {
    /// Attempt id.
    pub id: AttemptId,
    /// Date.
    pub on: NaiveDate,
    /// Time, where recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<NaiveTime>,
    /// How (an entry kind: `home_visit`, `phone`, `letter` …).
    pub method: EntryKindCode,
    /// What it led to.
    pub outcome: AttemptOutcome,
    /// The stage the worker judges the relationship to be at after it, where it moved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<RelationshipStage>,
    /// A short note (personal: never in errors, summaries or the export).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The worker, where recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<WorkerId>,
}

/// A command on a case's outreach (アウトリーチの操作).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum OutreachCommand {
    /// Log an attempt.
    Attempt {
        /// The attempt.
        attempt: OutreachAttempt,
    },
    /// Set the relationship stage without an attempt (after a meeting, a colleague's report).
    SetStage {
        /// Date of the judgement.
        on: NaiveDate,
        /// The stage.
        stage: RelationshipStage,
        /// The worker, where recorded.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<WorkerId>,
    },
    /// Keep the case open to stay connected without a plan (つながり続ける支援), from `on`.
    KeepConnected {
        /// Start.
        on: NaiveDate,
    },
    /// Stop keeping the case connected on `on`.
    StopKeepingConnected {
        /// End.
        on: NaiveDate,
    },
}

impl OutreachCommand {
    /// Stable code of the command.
    pub fn code(&self) -> &'static str {
        match self {
            OutreachCommand::Attempt { .. } => "attempt",
            OutreachCommand::SetStage { .. } => "set_stage",
            OutreachCommand::KeepConnected { .. } => "keep_connected",
            OutreachCommand::StopKeepingConnected { .. } => "stop_keeping_connected",
        }
    }
    /// The command's date.
    pub fn on(&self) -> NaiveDate {
        match self {
            OutreachCommand::Attempt { attempt } => attempt.on,
            OutreachCommand::SetStage { on, .. }
            | OutreachCommand::KeepConnected { on }
            | OutreachCommand::StopKeepingConnected { on } => *on,
        }
    }
}

/// A dated change of the relationship stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StageChange {
    /// Date.
    pub on: NaiveDate,
    /// Stage before.
    pub from: RelationshipStage,
    /// Stage after.
    pub to: RelationshipStage,
    /// The attempt that moved it, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempt: Option<AttemptId>,
}

/// A period of keeping connected (つながり続ける支援の期間).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeptPeriod {
    /// Start.
    pub from: NaiveDate,
    /// End; `None` while it lasts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
}

/// A case's outreach: attempts, stage and its changes, periods kept connected.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutreachTrack {
    /// Current relationship stage.
    pub stage: RelationshipStage,
    /// Date the person was first reached (by the earliest reaching attempt recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reached_on: Option<NaiveDate>,
    /// Attempts in the order recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attempts: Vec<OutreachAttempt>,
    /// Stage changes in the order made.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<StageChange>,
    /// Periods kept connected, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kept: Vec<KeptPeriod>,
}

impl OutreachTrack {
    /// Whether the case is kept connected now (its last period is open).
    pub fn kept_connected(&self) -> bool {
        self.kept.last().is_some_and(|p| p.to.is_none())
    }

    /// `self` after `command` on case `case` (paths under `at`, e.g. `$.action`); `self` is
    /// unchanged on error. `has_plan` is the case's plan, if it has one (keeping connected is
    /// for cases without). The attempt's id is the registry's to check for uniqueness.
    pub fn applied(
        &self,
        case: &CaseId,
        command: &OutreachCommand,
        has_plan: Option<&PlanId>,
        kinds: &RecordKinds,
        at: &str,
    ) -> Result<OutreachTrack, RecordError> {
        let mut next = self.clone();
        match command {
            OutreachCommand::Attempt { attempt } => {
                kinds.check_entry_kind(&attempt.method, &format!("{at}.attempt.method"))?;
                if attempt.note.as_deref().is_some_and(|n| n.trim().is_empty()) {
                    return Err(RecordError::EmptyText {
                        subject: format!("attempt `{}`", attempt.id),
                        path: format!("{at}.attempt.note"),
                    });
                }
                if attempt.outcome.reached() {
                    next.reached_on =
                        Some(next.reached_on.map_or(attempt.on, |d| d.min(attempt.on)));
                    if next.stage == RelationshipStage::NotContacted {
                        next.change(attempt.on, RelationshipStage::Contacted, Some(&attempt.id));
                    }
                }
                if let Some(stage) = attempt.stage {
                    if stage != next.stage {
                        next.check_stage(case, attempt.on, stage, &format!("{at}.attempt"))?;
                        next.change(attempt.on, stage, Some(&attempt.id));
                    }
                }
                next.attempts.push(attempt.clone());
            }
            OutreachCommand::SetStage { on, stage, .. } => {
                if *stage == next.stage {
                    return Err(RecordError::StageUnchanged {
                        case: case.clone(),
                        stage: stage.code(),
                        path: format!("{at}.stage"),
                    });
                }
                next.check_stage(case, *on, *stage, at)?;
                next.change(*on, *stage, None);
            }
            OutreachCommand::KeepConnected { on } => {
                if let Some(plan) = has_plan {
                    return Err(RecordError::CaseHasPlan {
                        case: case.clone(),
                        plan: plan.clone(),
                    });
                }
                if next.kept_connected() {
                    return Err(RecordError::AlreadyKeptConnected { case: case.clone() });
                }
                if let Some(last) = next.kept.last().and_then(|p| p.to) {
                    if *on < last {
                        return Err(RecordError::DateOutOfOrder {
                            subject: format!("case `{case}` kept connected"),
                            on: *on,
                            last,
                            path: format!("{at}.on"),
                        });
                    }
                }
                next.kept.push(KeptPeriod {
                    from: *on,
                    to: None,
                });
            }
            OutreachCommand::StopKeepingConnected { on } => {
                let Some(open) = next.kept.last_mut().filter(|p| p.to.is_none()) else {
                    return Err(RecordError::NotKeptConnected { case: case.clone() });
                };
                if *on < open.from {
                    return Err(RecordError::DateOutOfOrder {
                        subject: format!("case `{case}` kept connected"),
                        on: *on,
                        last: open.from,
                        path: format!("{at}.on"),
                    });
                }
                open.to = Some(*on);
            }
        }
        Ok(next)
    }

    /// The rules of a judged stage move to `stage` on `on` (see the module docs).
    fn check_stage(
        &self,
        case: &CaseId,
        on: NaiveDate,
        stage: RelationshipStage,
        at: &str,
    ) -> Result<(), RecordError> {
        let reached = self.reached_on.is_some();
        if stage == RelationshipStage::NotContacted && reached {
            return Err(RecordError::AlreadyContacted {
                case: case.clone(),
                path: format!("{at}.stage"),
            });
        }
        if stage > RelationshipStage::NotContacted && !reached {
            return Err(RecordError::StageWithoutContact {
                case: case.clone(),
                stage: stage.code(),
                path: format!("{at}.stage"),
            });
        }
        if let Some(last) = self.stages.last() {
            if on < last.on {
                return Err(RecordError::DateOutOfOrder {
                    subject: format!("case `{case}` relationship stage"),
                    on,
                    last: last.on,
                    path: format!("{at}.on"),
                });
            }
        }
        Ok(())
    }

    fn change(&mut self, on: NaiveDate, to: RelationshipStage, attempt: Option<&AttemptId>) {
        self.stages.push(StageChange {
            on,
            from: self.stage,
            to,
            attempt: attempt.cloned(),
        });
        self.stage = to;
    }
}
