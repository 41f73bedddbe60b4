//! Worker and case-team commands (職員・担当チーム): extending the roles, registering and
//! updating workers (roles, leaving 退職・異動), assigning a case team (主担当 / 副担当) and
//! handing it over (引継ぎ). The worker module owns the rules of the roster and the teams; this
//! file checks references (the case exists and is open, the team date is not before the case
//! opened) and the rules that need the whole registry (a worker on the team of an open case
//! does not leave; the last worker in post does not leave).
//!
//! Who may run these commands (a 管理者 registers workers …) is the access policy's concern,
//! not this file's: any worker in post may, and in setup mode (no worker yet) anyone.

use super::command::{Apply, RecordedDates};
use super::rules::not_found;
use super::{Receipt, Registry, RegistryError};
use crate::case::{Case, CaseState};
use crate::ids::*;
use crate::worker::{check_roles, LeaveReason, RolesDocument, Worker, WorkerError};
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Extend the worker roles (職種の拡張) with a municipality's document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendRoles {
    /// The extension.
    pub document: RolesDocument,
}

/// Register a worker (職員の登録) of an agency. The first registration ends setup mode: from
/// then on every command needs an actor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterWorker {
    /// The worker.
    pub worker: Worker,
}

/// A change to a registered worker (職員情報の更新).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "update", rename_all = "snake_case", deny_unknown_fields)]
pub enum WorkerUpdate {
    /// Replace the roles held (at least one).
    SetRoles {
        /// The roles now held.
        roles: BTreeSet<RoleCode>,
    },
    /// The worker left (退職・異動) on `on`: they act no more and cannot be on a team. Refused
    /// while they are on the team of an open case (hand it over first) and for the last worker
    /// in post (nobody could act any more).
    Leave {
        /// Date of leaving.
        on: NaiveDate,
        /// Retirement (退職) or transfer (異動).
        reason: LeaveReason,
    },
}

/// Update a registered worker in post (職員情報の更新).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWorker {
    /// The worker.
    pub worker: WorkerId,
    /// The change.
    pub update: WorkerUpdate,
}

/// Assign a case's team (担当の決定): exactly one 主担当, zero or more 副担当. The first
/// assignment names the 主担当; a later one changes the 副担当 only (the 主担当 changes by
/// [`HandOver`]). The 主担当 is a worker of the case's responsible window; a 副担当 may be of any
/// agency (see `worker/team.rs`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignTeam {
    /// The case.
    pub case: CaseId,
    /// 主担当.
    pub main: WorkerId,
    /// 副担当 (a set: a worker is listed once).
    #[serde(default)]
    pub sub: BTreeSet<WorkerId>,
    /// Date of the assignment.
    pub on: NaiveDate,
}

/// Hand a case over (引継ぎ): the 主担当 moves to `to`, with the date and the reason recorded in
/// the team's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HandOver {
    /// The case.
    pub case: CaseId,
    /// The new 主担当 (a worker of the responsible window).
    pub to: WorkerId,
    /// Date of the hand-over.
    pub on: NaiveDate,
    /// Why (異動, 退職, 専門性 …).
    pub reason: String,
}

impl Apply for ExtendRoles {
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, _: &Registry) -> Result<(), Error> {
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        let document = self.document.clone();
        reg.roles = reg.roles.extended(document).map_err(|e| match e {
            WorkerError::Taxonomy(t) => super::rules::rebased(t.into(), "$", "$.document"),
            other => other.into(),
        })?;
        Ok(Receipt::Recorded)
    }
}

impl Apply for RegisterWorker {
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        if reg.staff.get(&self.worker.id).is_some() {
            return Err(WorkerError::DuplicateWorker {
                worker: self.worker.id.clone(),
                path: "$.worker.id".into(),
            }
            .into());
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        self.worker
            .validate(&reg.directory, &reg.roles, "$.worker")?;
        reg.staff.register(self.worker.clone())?;
        Ok(Receipt::Recorded)
    }
}

impl Apply for UpdateWorker {
    fn recorded_dates(&self) -> RecordedDates {
        match &self.update {
            WorkerUpdate::SetRoles { .. } => Vec::new(),
            WorkerUpdate::Leave { on, .. } => vec![(*on, "$.update.on")],
        }
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        reg.staff.check_active(&self.worker, "$.worker")?;
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        match &self.update {
            WorkerUpdate::SetRoles { roles } => {
                check_roles(&self.worker, roles, &reg.roles, "$.update.roles")?;
                reg.staff.set_roles(&self.worker, roles.clone());
            }
            WorkerUpdate::Leave { on, reason } => {
                let open_case = reg
                    .teams
                    .cases_of(&self.worker)
                    .map(|(case, _)| case)
                    .find(|case| reg.cases.get(*case).is_some_and(|c| !is_closed(c)));
                if let Some(case) = open_case {
                    return Err(WorkerError::HandOverRequired {
                        worker: self.worker.clone(),
                        case: case.clone(),
                        path: "$.worker".into(),
                    }
                    .into());
                }
                if reg.staff.active_count() <= 1 {
                    return Err(WorkerError::LastActiveWorker {
                        worker: self.worker.clone(),
                    }
                    .into());
                }
                reg.staff.leave(&self.worker, *on, *reason);
            }
        }
        Ok(Receipt::Recorded)
    }
}

fn is_closed(case: &Case) -> bool {
    matches!(case.state(), CaseState::Closed { .. })
}

/// The case, open, and a team date not before it opened: `not_found` (`$.case`), `case_closed`
/// (`$.case`), `date_out_of_order` (`$.on`).
fn open_case<'a>(reg: &'a Registry, id: &CaseId, on: NaiveDate) -> Result<&'a Case, Error> {
    let case = reg
        .cases
        .get(id)
        .ok_or_else(|| not_found("case", id, "$.case"))?;
    if is_closed(case) {
        return Err(RegistryError::CaseClosed {
            case: id.clone(),
            path: "$.case".into(),
        }
        .into());
    }
    if on < case.opened_on() {
        return Err(WorkerError::DateOutOfOrder {
            subject: format!("team of case `{id}`"),
            on,
            last: case.opened_on(),
            path: "$.on".into(),
        }
        .into());
    }
    Ok(case)
}

impl Apply for AssignTeam {
    fn recorded_dates(&self) -> RecordedDates {
        vec![(self.on, "$.on")]
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        open_case(reg, &self.case, self.on).map(|_| ())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        let window = open_case(reg, &self.case, self.on)?
            .responsible_window()
            .clone();
        reg.teams.assign(
            &reg.staff, &self.case, &window, &self.main, &self.sub, self.on,
        )?;
        Ok(Receipt::Recorded)
    }
}

impl Apply for HandOver {
    fn recorded_dates(&self) -> RecordedDates {
        vec![(self.on, "$.on")]
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        open_case(reg, &self.case, self.on).map(|_| ())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        let window = open_case(reg, &self.case, self.on)?
            .responsible_window()
            .clone();
        reg.teams.hand_over(
            &reg.staff,
            &self.case,
            &window,
            &self.to,
            self.on,
            &self.reason,
        )?;
        Ok(Receipt::Recorded)
    }
}
