//! The referral (つなぎ) lifecycle: states, commands, who may issue them, and the dated history.
//!
//! ```text
//! Proposed ──send──▶ Sent ──accept──▶ Accepted ──complete──▶ Completed
//!    │                 │ └──decline──▶ Declined
//!    └──revoke──▶ Revoked ◀──revoke────┘ (also from Accepted)
//! ```
//!
//! Decisions where DOMAIN.md leaves the detail open:
//! - **Who does what.** The sender (`from`) sends, revokes and sets the follow-up date: until the
//!   receiver has accepted, the household is still the sender's responsibility. The receiver
//!   (`to`) accepts, declines and completes (it is the one that knows when the work it took on is
//!   done). Anyone else gets `not_authorised`; authorisation is checked before the state.
//! - **Revoking** is possible from Proposed, Sent and Accepted (the person withdrew consent, the
//!   situation changed), never after Completed, Declined or Revoked: those are final.
//! - **Declined and Revoked are final** for this referral; the sender answers them with a *new*
//!   referral (see `sender_queue`), so each referral's history stays a straight line.
//! - **Dates.** Every action is dated (`on`); it may not be before the last recorded step
//!   (`date_before_last_transition`) nor after `today` (`future_date`: records are written after
//!   the fact). A follow-up date may not be before the step that sets it (`invalid_follow_up`).
//! - **Set follow-up** (`set_follow_up { on }`): `on` is the *new follow-up date*; the step itself
//!   is recorded on `today`. Allowed while the referral is open (Proposed, Sent, Accepted).
//! - **A rejected command changes nothing**: every check runs before the first mutation.

use super::ReferralError;
use crate::agency::Directory;
use crate::ids::*;
use crate::taxonomy::Label;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Status of a referral without its details: what history entries record.
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
pub enum ReferralStatus {
    /// 提案 (drafted, not yet sent to the receiver).
    Proposed,
    /// 依頼済み (sent, awaiting the receiver's answer).
    Sent,
    /// 受諾 (the receiver accepted).
    Accepted,
    /// 辞退 / お断り (the receiver declined).
    Declined,
    /// 完了 (the receiver finished what it took on).
    Completed,
    /// 取消 (withdrawn by the sender).
    Revoked,
}

impl ReferralStatus {
    /// Stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            ReferralStatus::Proposed => "proposed",
            ReferralStatus::Sent => "sent",
            ReferralStatus::Accepted => "accepted",
            ReferralStatus::Declined => "declined",
            ReferralStatus::Completed => "completed",
            ReferralStatus::Revoked => "revoked",
        }
    }
    /// Whether no further state change is possible.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            ReferralStatus::Declined | ReferralStatus::Completed | ReferralStatus::Revoked
        )
    }
}

/// Why a receiver declined (辞退理由), as a code plus an optional free-text note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclineReason {
    /// The reason.
    pub code: DeclineReasonCode,
    /// Free text; may hold personal information, so it never appears in error messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Decline reason codes. "Not our field" is a legitimate answer for a *referral* (the case then
/// comes back to the sender with the next options), never a reason to drop the household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeclineReasonCode {
    /// 対象外 (outside the agency's remit).
    OutOfScope,
    /// 区域外 (outside the agency's area).
    OutsideArea,
    /// 受入れ余力なし (no capacity now).
    NoCapacity,
    /// 本人の同意が得られない (the person does not consent to this agency).
    PersonNotConsenting,
    /// 情報不足 (not enough information to decide).
    InsufficientInformation,
    /// 既に支援中 (already supported there or elsewhere).
    AlreadySupported,
    /// その他.
    Other,
}

impl DeclineReasonCode {
    /// Every code, in display order.
    pub const ALL: [DeclineReasonCode; 7] = [
        DeclineReasonCode::OutOfScope,
        DeclineReasonCode::OutsideArea,
        DeclineReasonCode::NoCapacity,
        DeclineReasonCode::PersonNotConsenting,
        DeclineReasonCode::InsufficientInformation,
        DeclineReasonCode::AlreadySupported,
        DeclineReasonCode::Other,
    ];
    /// Stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            DeclineReasonCode::OutOfScope => "out_of_scope",
            DeclineReasonCode::OutsideArea => "outside_area",
            DeclineReasonCode::NoCapacity => "no_capacity",
            DeclineReasonCode::PersonNotConsenting => "person_not_consenting",
            DeclineReasonCode::InsufficientInformation => "insufficient_information",
            DeclineReasonCode::AlreadySupported => "already_supported",
            DeclineReasonCode::Other => "other",
        }
    }
    /// Labels.
    pub fn label(self) -> Label {
        let (ja, en) = match self {
            DeclineReasonCode::OutOfScope => ("対象外", "Outside the agency's remit"),
            DeclineReasonCode::OutsideArea => ("区域外", "Outside the agency's area"),
            DeclineReasonCode::NoCapacity => ("受入れ余力なし", "No capacity"),
            DeclineReasonCode::PersonNotConsenting => {
                ("本人の同意が得られない", "The person does not consent")
            }
            DeclineReasonCode::InsufficientInformation => ("情報不足", "Not enough information"),
            DeclineReasonCode::AlreadySupported => ("既に支援中", "Already supported"),
            DeclineReasonCode::Other => ("その他", "Other"),
        };
        Label {
            ja: ja.into(),
            en: en.into(),
        }
    }
}

/// State of a referral (つなぎの状態), with the details each state carries.
///
/// Serialised with a `status` tag: `{"status": "declined", "reason": {"code": "no_capacity"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case", deny_unknown_fields)]
pub enum ReferralState {
    /// 提案: drafted by the sender.
    Proposed,
    /// 依頼済み: sent, awaiting an answer.
    Sent,
    /// 受諾: the receiver took it on.
    Accepted,
    /// 辞退: the receiver declined; the referral goes back to the sender's queue.
    Declined {
        /// Why.
        reason: DeclineReason,
    },
    /// 完了: the receiver finished what it took on.
    Completed {
        /// What came of it (free text; may hold personal information).
        result: String,
    },
    /// 取消: the sender withdrew it; the referral goes back to the sender's queue.
    Revoked {
        /// Why (free text; may hold personal information).
        reason: String,
    },
}

impl ReferralState {
    /// The status without details.
    pub fn status(&self) -> ReferralStatus {
        match self {
            ReferralState::Proposed => ReferralStatus::Proposed,
            ReferralState::Sent => ReferralStatus::Sent,
            ReferralState::Accepted => ReferralStatus::Accepted,
            ReferralState::Declined { .. } => ReferralStatus::Declined,
            ReferralState::Completed { .. } => ReferralStatus::Completed,
            ReferralState::Revoked { .. } => ReferralStatus::Revoked,
        }
    }
}

/// An action on a referral, as named in errors and history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReferralAction {
    /// 依頼する (sender).
    Send,
    /// 受諾する (receiver).
    Accept,
    /// 辞退する (receiver).
    Decline,
    /// 完了する (receiver).
    Complete,
    /// 取り消す (sender).
    Revoke,
    /// フォローアップ日を設定する (sender).
    SetFollowUp,
}

impl ReferralAction {
    /// Stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            ReferralAction::Send => "send",
            ReferralAction::Accept => "accept",
            ReferralAction::Decline => "decline",
            ReferralAction::Complete => "complete",
            ReferralAction::Revoke => "revoke",
            ReferralAction::SetFollowUp => "set_follow_up",
        }
    }
    /// Whether the sender (rather than the receiver) is the one allowed to take this action.
    pub fn by_sender(self) -> bool {
        matches!(
            self,
            ReferralAction::Send | ReferralAction::Revoke | ReferralAction::SetFollowUp
        )
    }
    /// The status this action leads to from `from`, or `None` when illegal there. Data, not
    /// branches spread through the code: this table is the whole state machine.
    pub fn next(self, from: ReferralStatus) -> Option<ReferralStatus> {
        use ReferralStatus as S;
        match (self, from) {
            (ReferralAction::Send, S::Proposed) => Some(S::Sent),
            (ReferralAction::Accept, S::Sent) => Some(S::Accepted),
            (ReferralAction::Decline, S::Sent) => Some(S::Declined),
            (ReferralAction::Complete, S::Accepted) => Some(S::Completed),
            (ReferralAction::Revoke, S::Proposed | S::Sent | S::Accepted) => Some(S::Revoked),
            (ReferralAction::SetFollowUp, s @ (S::Proposed | S::Sent | S::Accepted)) => Some(s),
            _ => None,
        }
    }
}

/// A command on a referral, as it arrives from a binding or a journal event
/// (`{"action": "decline", "on": "2024-05-01", "reason": {"code": "no_capacity"}}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum ReferralCommand {
    /// Send the proposed referral to the receiver, optionally with a follow-up date
    /// (otherwise `sent_on + DEFAULT_FOLLOW_UP_DAYS` decides when it counts as stalled).
    Send {
        /// Date sent.
        on: NaiveDate,
        /// Date by which an answer is expected.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        follow_up_on: Option<NaiveDate>,
    },
    /// The receiver accepts.
    Accept {
        /// Date accepted.
        on: NaiveDate,
    },
    /// The receiver declines.
    Decline {
        /// Date declined.
        on: NaiveDate,
        /// Why.
        reason: DeclineReason,
    },
    /// The receiver completes what it took on.
    Complete {
        /// Date completed.
        on: NaiveDate,
        /// What came of it.
        result: String,
    },
    /// The sender withdraws the referral.
    Revoke {
        /// Date revoked.
        on: NaiveDate,
        /// Why.
        reason: String,
    },
    /// The sender sets (or moves) the follow-up date; the step is recorded on `today`.
    SetFollowUp {
        /// The new follow-up date.
        on: NaiveDate,
    },
}

impl ReferralCommand {
    /// The action this command takes.
    pub fn action(&self) -> ReferralAction {
        match self {
            ReferralCommand::Send { .. } => ReferralAction::Send,
            ReferralCommand::Accept { .. } => ReferralAction::Accept,
            ReferralCommand::Decline { .. } => ReferralAction::Decline,
            ReferralCommand::Complete { .. } => ReferralAction::Complete,
            ReferralCommand::Revoke { .. } => ReferralAction::Revoke,
            ReferralCommand::SetFollowUp { .. } => ReferralAction::SetFollowUp,
        }
    }
}

/// One recorded step of a referral's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralTransition {
    /// Date of the step.
    pub on: NaiveDate,
    /// The agency that took it.
    pub by: AgencyId,
    /// The worker who took it, when the step was executed by an actor (absent in records older
    /// than actors and in setup mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker: Option<WorkerId>,
    /// What was done.
    pub action: ReferralAction,
    /// Status before.
    pub from_state: ReferralStatus,
    /// Status after (equal to `from_state` for `set_follow_up`).
    pub to_state: ReferralStatus,
}

/// What a sender fills in to propose a referral ([`Referral::propose`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralProposal {
    /// Referral id.
    pub id: ReferralId,
    /// The case it belongs to.
    pub case: CaseId,
    /// The household.
    pub household: HouseholdId,
    /// Sending agency.
    pub from: AgencyId,
    /// Receiving agency.
    pub to: AgencyId,
    /// What is asked of the receiver (free text).
    pub purpose: String,
    /// Whether the main responsibility for the case moves to the receiver (引継ぎ) rather than a
    /// part of the support (役割分担).
    #[serde(default)]
    pub transfers_responsibility: bool,
    /// Date proposed.
    pub on: NaiveDate,
}

/// A referral (つなぎ): a request from one agency to another to take over a case, or part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Referral {
    /// Referral id.
    pub id: ReferralId,
    /// The case.
    pub case: CaseId,
    /// The household.
    pub household: HouseholdId,
    /// Sending agency (依頼元).
    pub from: AgencyId,
    /// Receiving agency (依頼先).
    pub to: AgencyId,
    /// What is asked of the receiver (free text).
    pub purpose: String,
    /// Whether the main responsibility moves to the receiver (引継ぎ).
    #[serde(default)]
    pub transfers_responsibility: bool,
    /// Current state.
    pub state: ReferralState,
    /// Date proposed.
    pub proposed_on: NaiveDate,
    /// Date sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_on: Option<NaiveDate>,
    /// Date by which an answer is expected (フォローアップ日).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up_on: Option<NaiveDate>,
    /// Date of the final outcome: completed, declined or revoked (結果日).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_on: Option<NaiveDate>,
    /// Every step after the proposal, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<ReferralTransition>,
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

impl Referral {
    /// Propose a referral: both agencies must be in `directory`, differ (`self_referral`), and
    /// the purpose must not be blank (`empty_text`). Paths name the proposal's fields.
    pub fn propose(p: ReferralProposal, directory: &Directory) -> Result<Referral, ReferralError> {
        directory.check(&p.from, "$.from")?;
        directory.check(&p.to, "$.to")?;
        if p.from == p.to {
            return Err(ReferralError::SelfReferral {
                referral: p.id,
                agency: p.to,
                path: "$.to".into(),
            });
        }
        if blank(&p.purpose) {
            return Err(ReferralError::EmptyText {
                subject: format!("referral `{}`", p.id),
                path: "$.purpose".into(),
            });
        }
        Ok(Referral {
            id: p.id,
            case: p.case,
            household: p.household,
            from: p.from,
            to: p.to,
            purpose: p.purpose,
            transfers_responsibility: p.transfers_responsibility,
            state: ReferralState::Proposed,
            proposed_on: p.on,
            sent_on: None,
            follow_up_on: None,
            result_on: None,
            history: Vec::new(),
        })
    }

    /// Check a stored referral document (from JSON, a journal or a binding): both agencies in
    /// `directory`, not a self-referral, a purpose, and a history that replays from Proposed to
    /// `state` — each step legal, taken by the authorised agency, dated in order — with
    /// `sent_on` and `result_on` matching the steps (`inconsistent_referral` at the field).
    pub fn validate(&self, directory: &Directory) -> Result<(), ReferralError> {
        directory.check(&self.from, "$.from")?;
        directory.check(&self.to, "$.to")?;
        if self.from == self.to {
            return Err(ReferralError::SelfReferral {
                referral: self.id.clone(),
                agency: self.to.clone(),
                path: "$.to".into(),
            });
        }
        if blank(&self.purpose) {
            return Err(ReferralError::EmptyText {
                subject: format!("referral `{}`", self.id),
                path: "$.purpose".into(),
            });
        }
        let bad = |detail: &'static str, path: String| -> ReferralError {
            ReferralError::InconsistentReferral {
                referral: self.id.clone(),
                detail,
                path,
            }
        };
        let mut status = ReferralStatus::Proposed;
        let mut last = self.proposed_on;
        let mut sent_on = None;
        let mut result_on = None;
        for (i, t) in self.history.iter().enumerate() {
            let at = format!("$.history[{i}]");
            if t.from_state != status || t.action.next(t.from_state) != Some(t.to_state) {
                return Err(bad("step does not follow from the previous state", at));
            }
            let allowed = if t.action.by_sender() {
                &self.from
            } else {
                &self.to
            };
            if &t.by != allowed {
                return Err(bad("step taken by an agency not allowed to", at));
            }
            if t.on < last {
                return Err(bad("step dated before the previous one", at));
            }
            if t.action == ReferralAction::Send {
                sent_on = Some(t.on);
            }
            if t.to_state.is_final() {
                result_on = Some(t.on);
            }
            status = t.to_state;
            last = t.on;
        }
        if status != self.status() {
            return Err(bad("state differs from the history", "$.state".into()));
        }
        if sent_on != self.sent_on {
            return Err(bad("sent_on differs from the history", "$.sent_on".into()));
        }
        if result_on != self.result_on {
            return Err(bad(
                "result_on differs from the history",
                "$.result_on".into(),
            ));
        }
        Ok(())
    }

    /// Current status.
    pub fn status(&self) -> ReferralStatus {
        self.state.status()
    }

    /// The decline reason, when declined.
    pub fn decline_reason(&self) -> Option<&DeclineReason> {
        match &self.state {
            ReferralState::Declined { reason } => Some(reason),
            _ => None,
        }
    }

    /// Date of the last recorded step (the proposal when nothing happened since).
    pub fn last_step_on(&self) -> NaiveDate {
        self.history.last().map_or(self.proposed_on, |t| t.on)
    }

    /// Whether the referral is still awaiting or doing work (not final).
    pub fn is_open(&self) -> bool {
        !self.status().is_final()
    }

    /// Apply a command taken by `actor` on `today`. Checks, in order: the actor
    /// (`not_authorised`), the state (`illegal_referral_transition`), the dates
    /// (`future_date`, `date_before_last_transition`, `invalid_follow_up`) and required texts
    /// (`empty_text`); only then does it change the referral. On error nothing changes.
    pub fn apply(
        &mut self,
        cmd: ReferralCommand,
        actor: &AgencyId,
        today: NaiveDate,
    ) -> Result<ReferralTransition, ReferralError> {
        self.apply_by(cmd, actor, None, today)
    }

    /// [`Referral::apply`] by `worker` of the acting agency: the step records the worker too.
    pub fn apply_by(
        &mut self,
        cmd: ReferralCommand,
        actor: &AgencyId,
        worker: Option<&WorkerId>,
        today: NaiveDate,
    ) -> Result<ReferralTransition, ReferralError> {
        let action = cmd.action();
        let allowed = if action.by_sender() {
            &self.from
        } else {
            &self.to
        };
        if actor != allowed {
            return Err(ReferralError::NotAuthorised {
                referral: self.id.clone(),
                actor: actor.clone(),
                action: action.code(),
            });
        }
        let from_state = self.status();
        let to_state = action
            .next(from_state)
            .ok_or_else(|| ReferralError::IllegalTransition {
                referral: self.id.clone(),
                state: from_state.code(),
                action: action.code(),
            })?;

        // The date the step is recorded on.
        let step_on = match &cmd {
            ReferralCommand::Send { on, .. }
            | ReferralCommand::Accept { on }
            | ReferralCommand::Decline { on, .. }
            | ReferralCommand::Complete { on, .. }
            | ReferralCommand::Revoke { on, .. } => *on,
            ReferralCommand::SetFollowUp { .. } => today,
        };
        if step_on > today {
            return Err(ReferralError::FutureDate {
                subject: format!("referral `{}`", self.id),
                on: step_on,
                today,
                path: "$.on".into(),
            });
        }
        let last = self.last_step_on();
        if step_on < last {
            return Err(ReferralError::DateBeforeLastTransition {
                referral: self.id.clone(),
                on: step_on,
                last,
                path: "$.on".into(),
            });
        }
        let follow_up = match &cmd {
            ReferralCommand::Send {
                follow_up_on: Some(f),
                ..
            } => Some((*f, "$.follow_up_on")),
            ReferralCommand::SetFollowUp { on } => Some((*on, "$.on")),
            _ => None,
        };
        if let Some((f, path)) = follow_up {
            if f < step_on {
                return Err(ReferralError::InvalidFollowUp {
                    referral: self.id.clone(),
                    follow_up_on: f,
                    not_before: step_on,
                    path: path.into(),
                });
            }
        }
        let text = match &cmd {
            ReferralCommand::Complete { result, .. } => Some((result.as_str(), "$.result")),
            ReferralCommand::Revoke { reason, .. } => Some((reason.as_str(), "$.reason")),
            _ => None,
        };
        if let Some((t, path)) = text {
            if blank(t) {
                return Err(ReferralError::EmptyText {
                    subject: format!("referral `{}`", self.id),
                    path: path.into(),
                });
            }
        }

        // Every check passed: mutate.
        match cmd {
            ReferralCommand::Send { on, follow_up_on } => {
                self.state = ReferralState::Sent;
                self.sent_on = Some(on);
                self.follow_up_on = follow_up_on;
            }
            ReferralCommand::Accept { .. } => self.state = ReferralState::Accepted,
            ReferralCommand::Decline { on, reason } => {
                self.state = ReferralState::Declined { reason };
                self.result_on = Some(on);
            }
            ReferralCommand::Complete { on, result } => {
                self.state = ReferralState::Completed { result };
                self.result_on = Some(on);
            }
            ReferralCommand::Revoke { on, reason } => {
                self.state = ReferralState::Revoked { reason };
                self.result_on = Some(on);
            }
            ReferralCommand::SetFollowUp { on } => self.follow_up_on = Some(on),
        }
        let t = ReferralTransition {
            on: step_on,
            by: actor.clone(),
            worker: worker.cloned(),
            action,
            from_state,
            to_state,
        };
        debug_assert_eq!(self.status(), to_state);
        self.history.push(t.clone());
        Ok(t)
    }
}

#[cfg(test)]
pub(crate) mod tests;
