//! Case teams (ケースの担当チーム): the 主担当 (exactly one) and the 副担当 (zero or more) of a case,
//! their assignment and the hand-over (引継ぎ) of the 主担当, with the history kept.
//!
//! Decisions:
//! - **The 主担当 is a worker of the case's responsible window** (`worker_not_of_agency` at
//!   `$.main` / `$.to`): the window is accountable for the case (DOMAIN.md §3), so the person
//!   carrying it works there. **A 副担当 may be of any agency**: a CSW of the council or a worker of
//!   the 基幹相談支援センター on the team is what 多機関協働 means.
//! - Every member is a registered worker in post (`unknown_worker`, `worker_inactive`), once
//!   (`duplicate_member`: the 主担当 listed among the 副担当).
//! - **Assignment sets the whole team**; the first assignment names the 主担当, a later one may
//!   change the 副担当 but not the 主担当: that is a hand-over (`handover_required`), so every
//!   change of the person carrying the case has a date and a reason.
//! - **A hand-over** moves the 主担当 to `to` (who leaves the 副担当 if there), records
//!   from / to / date / reason, and the former 主担当 leaves the team (assign again to keep them
//!   as 副担当). Handing over to the current 主担当 is `same_worker`; a case with no team yet has
//!   nothing to hand over (`no_team`).
//! - Dates: a change is dated on or after the team's last change (`date_out_of_order`).
//! - When the case's responsible window changes (`transfer_responsibility`), the team stays as
//!   it is (the record of who carried the case) until it is handed over to a worker of the new
//!   window; the queries show it meanwhile.
//! - A worker's leaving (退職・異動) is refused while they are on the team of an open case
//!   (`handover_required`): the cases are handed over first.

use super::{Staff, WorkerError};
use crate::ids::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One change of a case team (担当の変更履歴).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum TeamChange {
    /// The team was assigned (担当の決定) or its 副担当 changed.
    Assigned {
        /// Date of the change.
        on: NaiveDate,
        /// 主担当.
        main: WorkerId,
        /// 副担当.
        sub: BTreeSet<WorkerId>,
    },
    /// The 主担当 was handed over (引継ぎ).
    HandedOver {
        /// Date of the hand-over.
        on: NaiveDate,
        /// The former 主担当.
        from: WorkerId,
        /// The new 主担当.
        to: WorkerId,
        /// Why (異動, 退職, 専門性 …). Free text: may hold personal data, never in an error.
        reason: String,
    },
}

impl TeamChange {
    /// The date of the change.
    pub fn on(&self) -> NaiveDate {
        match self {
            TeamChange::Assigned { on, .. } | TeamChange::HandedOver { on, .. } => *on,
        }
    }
}

/// The team of one case (担当チーム): exactly one 主担当, any number of 副担当, and every change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CaseTeam {
    /// The case.
    pub case: CaseId,
    /// 主担当: the worker carrying the case.
    pub main: WorkerId,
    /// 副担当.
    pub sub: BTreeSet<WorkerId>,
    /// Every change, oldest first (the first is the assignment).
    pub history: Vec<TeamChange>,
}

impl CaseTeam {
    /// The date of the last change.
    pub fn last_change_on(&self) -> NaiveDate {
        self.history
            .last()
            .map(TeamChange::on)
            .unwrap_or(NaiveDate::MIN)
    }

    /// The worker's place on this team, if on it.
    pub fn position_of(&self, worker: &WorkerId) -> Option<TeamPosition> {
        if &self.main == worker {
            Some(TeamPosition::Main)
        } else if self.sub.contains(worker) {
            Some(TeamPosition::Sub)
        } else {
            None
        }
    }

    /// The hand-overs (引継ぎ), oldest first.
    pub fn hand_overs(&self) -> impl Iterator<Item = &TeamChange> {
        self.history
            .iter()
            .filter(|c| matches!(c, TeamChange::HandedOver { .. }))
    }
}

/// A worker's place on a case team.
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
pub enum TeamPosition {
    /// 主担当.
    Main,
    /// 副担当.
    Sub,
}

/// The teams of every case (担当チーム一覧).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct CaseTeams {
    teams: BTreeMap<CaseId, CaseTeam>,
}

impl CaseTeams {
    /// The team of a case.
    pub fn get(&self, case: &CaseId) -> Option<&CaseTeam> {
        self.teams.get(case)
    }

    /// Every team, by case.
    pub fn iter(&self) -> impl Iterator<Item = &CaseTeam> {
        self.teams.values()
    }

    /// The cases `worker` is on the team of now, with their place, by case id.
    pub fn cases_of<'a>(
        &'a self,
        worker: &'a WorkerId,
    ) -> impl Iterator<Item = (&'a CaseId, TeamPosition)> + 'a {
        self.teams
            .values()
            .filter_map(move |t| t.position_of(worker).map(|p| (&t.case, p)))
    }

    /// Assign the team of `case` (whose responsible window is `window`) on `on`. Checks the
    /// rules in this module's doc; on error nothing changes.
    pub(crate) fn assign(
        &mut self,
        staff: &Staff,
        case: &CaseId,
        window: &AgencyId,
        main: &WorkerId,
        sub: &BTreeSet<WorkerId>,
        on: NaiveDate,
    ) -> Result<(), WorkerError> {
        let m = staff.check_active(main, "$.main")?;
        if &m.worker.agency != window {
            return Err(WorkerError::WorkerNotOfAgency {
                worker: main.clone(),
                agency: window.clone(),
                path: Some("$.main".into()),
            });
        }
        for s in sub {
            staff.check_active(s, "$.sub")?;
        }
        if sub.contains(main) {
            return Err(WorkerError::DuplicateMember {
                worker: main.clone(),
                path: "$.sub".into(),
            });
        }
        if let Some(team) = self.teams.get(case) {
            check_order(case, team.last_change_on(), on)?;
            if &team.main != main {
                return Err(WorkerError::HandOverRequired {
                    worker: team.main.clone(),
                    case: case.clone(),
                    path: "$.main".into(),
                });
            }
        }
        let change = TeamChange::Assigned {
            on,
            main: main.clone(),
            sub: sub.clone(),
        };
        let team = self.teams.entry(case.clone()).or_insert_with(|| CaseTeam {
            case: case.clone(),
            main: main.clone(),
            sub: BTreeSet::new(),
            history: Vec::new(),
        });
        team.sub = sub.clone();
        team.history.push(change);
        Ok(())
    }

    /// Hand the 主担当 of `case` (responsible window `window`) over to `to` on `on`. Checks the
    /// rules in this module's doc; on error nothing changes.
    pub(crate) fn hand_over(
        &mut self,
        staff: &Staff,
        case: &CaseId,
        window: &AgencyId,
        to: &WorkerId,
        on: NaiveDate,
        reason: &str,
    ) -> Result<(), WorkerError> {
        let team = self.teams.get(case).ok_or_else(|| WorkerError::NoTeam {
            case: case.clone(),
            path: "$.case".into(),
        })?;
        let t = staff.check_active(to, "$.to")?;
        if &t.worker.agency != window {
            return Err(WorkerError::WorkerNotOfAgency {
                worker: to.clone(),
                agency: window.clone(),
                path: Some("$.to".into()),
            });
        }
        if &team.main == to {
            return Err(WorkerError::SameWorker {
                worker: to.clone(),
                path: "$.to".into(),
            });
        }
        if reason.trim().is_empty() {
            return Err(WorkerError::EmptyText {
                subject: format!("hand-over of case `{case}`"),
                path: "$.reason".into(),
            });
        }
        check_order(case, team.last_change_on(), on)?;
        let team = self.teams.get_mut(case).expect("checked above");
        let from = std::mem::replace(&mut team.main, to.clone());
        team.sub.remove(to);
        team.history.push(TeamChange::HandedOver {
            on,
            from,
            to: to.clone(),
            reason: reason.to_string(),
        });
        Ok(())
    }
}

/// `date_out_of_order` when `on` is before the team's last change.
fn check_order(case: &CaseId, last: NaiveDate, on: NaiveDate) -> Result<(), WorkerError> {
    if on < last {
        return Err(WorkerError::DateOutOfOrder {
            subject: format!("team of case `{case}`"),
            on,
            last,
            path: "$.on".into(),
        });
    }
    Ok(())
}
