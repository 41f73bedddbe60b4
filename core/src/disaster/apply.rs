//! Applying commands to a record (rejected commands change nothing) and reading it: the rules
//! of the record's lifecycle.

use super::command::*;
use super::error::DisasterError;
use super::ids::*;
use super::intervals::VisitIntervals;
use super::record::*;
use crate::taxonomy::Taxonomies;
use chrono::NaiveDate;

fn check_stage(stage: &HousingStage, path: &str) -> Result<(), DisasterError> {
    if let HousingStage::WideAreaEvacuation { place } = stage {
        if place.trim().is_empty() {
            return Err(DisasterError::EmptyPlace {
                path: format!("{path}.place"),
            });
        }
    }
    Ok(())
}

impl DisasterRecord {
    /// Open a record. Errors: `unknown_risk_rank` (`$.rank`), unknown issue codes
    /// (`unknown_code`, `$.issues[i]`), `duplicate_issue`, `empty_place` (`$.stage.place`).
    pub fn open(
        cmd: &OpenRecord,
        intervals: &VisitIntervals,
        tax: &Taxonomies,
    ) -> Result<DisasterRecord, DisasterError> {
        intervals.check(&cmd.rank, "$.rank")?;
        check_stage(&cmd.stage, "$.stage")?;
        for (i, issue) in cmd.issues.iter().enumerate() {
            tax.check_issue(issue, &format!("$.issues[{i}]"))?;
            if cmd.issues[..i].contains(issue) {
                return Err(DisasterError::DuplicateIssue {
                    id: cmd.id.clone(),
                    issue: issue.clone(),
                    path: format!("$.issues[{i}]"),
                });
            }
        }
        Ok(DisasterRecord {
            id: cmd.id.clone(),
            household: cmd.household.clone(),
            disaster: cmd.disaster.clone(),
            opened_on: cmd.on,
            damage: cmd.damage,
            stages: vec![StageMove {
                on: cmd.on,
                stage: cmd.stage.clone(),
            }],
            issues: cmd.issues.clone(),
            risk: vec![RiskAssessment {
                on: cmd.on,
                rank: cmd.rank.clone(),
            }],
            visits: Vec::new(),
            dispatches: Vec::new(),
            phase: Phase::Disaster,
        })
    }

    /// The current housing stage.
    pub fn current_stage(&self) -> &HousingStage {
        &self
            .stages
            .last()
            .expect("a record always has a stage (set at opening)")
            .stage
    }

    /// The current risk rank: the latest assessment by date (among equal dates, the one recorded
    /// last).
    pub fn current_rank(&self) -> &RiskRankCode {
        let mut best = &self.risk[0];
        for r in &self.risk[1..] {
            if r.on >= best.on {
                best = r;
            }
        }
        &best.rank
    }

    /// The latest visit that met the household.
    pub fn last_visit(&self) -> Option<NaiveDate> {
        self.visits.iter().filter(|v| v.met).map(|v| v.on).max()
    }

    /// The latest date on the record.
    pub fn last_date(&self) -> NaiveDate {
        let mut last = self.opened_on;
        let dates = self
            .stages
            .iter()
            .map(|s| s.on)
            .chain(self.risk.iter().map(|r| r.on))
            .chain(self.visits.iter().map(|v| v.on))
            .chain(self.dispatches.iter().flat_map(|d| {
                let mut v = vec![d.requested_on];
                match &d.status {
                    DispatchStatus::Requested => {}
                    DispatchStatus::Dispatched { on } => v.push(*on),
                    DispatchStatus::Reported {
                        dispatched_on, on, ..
                    } => {
                        v.push(*dispatched_on);
                        v.push(*on);
                    }
                }
                v
            }));
        for d in dates {
            last = last.max(d);
        }
        last
    }

    /// Whether the disaster phase has ended (the record is read-only).
    pub fn is_ended(&self) -> bool {
        matches!(self.phase, Phase::Ended { .. })
    }

    /// When the next watching-over visit is due: the last visit that met the household (or the
    /// opening date) plus the current rank's interval. A rank missing from `intervals` (the
    /// municipality retuned its ranks) makes the visit due at once rather than never — no
    /// household is dropped silently. `None` once the phase has ended.
    pub fn next_visit_due(&self, intervals: &VisitIntervals) -> Option<NaiveDate> {
        if self.is_ended() {
            return None;
        }
        let base = self
            .last_visit()
            .unwrap_or(self.opened_on)
            .max(self.opened_on);
        let days = intervals.interval(self.current_rank()).unwrap_or(0);
        Some(base + chrono::Duration::days(i64::from(days)))
    }

    pub(super) fn not_before(
        &self,
        on: NaiveDate,
        last: NaiveDate,
        path: &str,
    ) -> Result<(), DisasterError> {
        if on < last {
            return Err(DisasterError::DateOutOfOrder {
                id: self.id.clone(),
                on,
                last,
                path: path.into(),
            });
        }
        Ok(())
    }

    fn dispatch_index(&self, id: &DispatchId) -> Result<usize, DisasterError> {
        self.dispatches
            .iter()
            .position(|d| &d.id == id)
            .ok_or_else(|| DisasterError::UnknownDispatch {
                id: self.id.clone(),
                dispatch: id.clone(),
                path: "$.id".into(),
            })
    }

    /// Apply a command, returning the new record; `self` never changes. Errors: `phase_ended`
    /// after the phase ended (except `link_case`); `date_out_of_order` — a stage move before the
    /// last move (`$.on`), anything dated before the opening, a dispatch step before the previous
    /// one; `stage_unchanged`, `empty_place` (`$.stage.place`), `duplicate_issue` and unknown
    /// issue codes (`$.issue`, `$.purpose`, `$.report.issues_found[i]`), `unknown_risk_rank`
    /// (`$.rank`, `$.visit.rank_after`), `duplicate_dispatch`, `unknown_dispatch`,
    /// `illegal_transition` (requested → dispatched → reported only), `phase_not_ended` and
    /// `case_already_linked` for `link_case`.
    pub fn applied(
        &self,
        cmd: &DisasterCommand,
        intervals: &VisitIntervals,
        tax: &Taxonomies,
    ) -> Result<DisasterRecord, DisasterError> {
        if let DisasterCommand::LinkCase { case } = cmd {
            return match &self.phase {
                Phase::Disaster => Err(DisasterError::PhaseNotEnded {
                    id: self.id.clone(),
                }),
                Phase::Ended {
                    case: Some(linked), ..
                } => Err(DisasterError::CaseAlreadyLinked {
                    id: self.id.clone(),
                    case: linked.clone(),
                }),
                Phase::Ended { on, case: None } => {
                    let mut out = self.clone();
                    out.phase = Phase::Ended {
                        on: *on,
                        case: Some(case.clone()),
                    };
                    Ok(out)
                }
            };
        }
        if self.is_ended() {
            return Err(DisasterError::PhaseEnded {
                id: self.id.clone(),
                command: cmd.code(),
            });
        }
        let mut out = self.clone();
        match cmd {
            DisasterCommand::MoveStage { on, stage } => {
                let last = self.stages.last().map(|s| s.on).unwrap_or(self.opened_on);
                self.not_before(*on, last, "$.on")?;
                check_stage(stage, "$.stage")?;
                if stage == self.current_stage() {
                    return Err(DisasterError::StageUnchanged {
                        id: self.id.clone(),
                        stage: stage.code(),
                        path: "$.stage".into(),
                    });
                }
                out.stages.push(StageMove {
                    on: *on,
                    stage: stage.clone(),
                });
            }
            DisasterCommand::AddIssue { issue } => {
                tax.check_issue(issue, "$.issue")?;
                if self.issues.contains(issue) {
                    return Err(DisasterError::DuplicateIssue {
                        id: self.id.clone(),
                        issue: issue.clone(),
                        path: "$.issue".into(),
                    });
                }
                out.issues.push(issue.clone());
            }
            DisasterCommand::AssessRisk { on, rank } => {
                self.not_before(*on, self.opened_on, "$.on")?;
                intervals.check(rank, "$.rank")?;
                out.risk.push(RiskAssessment {
                    on: *on,
                    rank: rank.clone(),
                });
            }
            DisasterCommand::RecordVisit { visit } => {
                self.not_before(visit.on, self.opened_on, "$.visit.on")?;
                if let Some(rank) = &visit.rank_after {
                    intervals.check(rank, "$.visit.rank_after")?;
                    out.risk.push(RiskAssessment {
                        on: visit.on,
                        rank: rank.clone(),
                    });
                }
                out.visits.push(visit.clone());
            }
            DisasterCommand::RequestDispatch {
                id,
                profession,
                purpose,
                agency,
                on,
            } => {
                if self.dispatches.iter().any(|d| &d.id == id) {
                    return Err(DisasterError::DuplicateDispatch {
                        id: self.id.clone(),
                        dispatch: id.clone(),
                        path: "$.id".into(),
                    });
                }
                tax.check_issue(purpose, "$.purpose")?;
                self.not_before(*on, self.opened_on, "$.on")?;
                out.dispatches.push(Dispatch {
                    id: id.clone(),
                    profession: *profession,
                    purpose: purpose.clone(),
                    agency: agency.clone(),
                    requested_on: *on,
                    status: DispatchStatus::Requested,
                });
            }
            DisasterCommand::MarkDispatched { id, on } => {
                let i = self.dispatch_index(id)?;
                let d = &self.dispatches[i];
                if d.status != DispatchStatus::Requested {
                    return Err(DisasterError::IllegalTransition {
                        dispatch: id.clone(),
                        from: d.status.code(),
                        command: cmd.code(),
                    });
                }
                self.not_before(*on, d.requested_on, "$.on")?;
                out.dispatches[i].status = DispatchStatus::Dispatched { on: *on };
            }
            DisasterCommand::ReportDispatch { id, on, report } => {
                let i = self.dispatch_index(id)?;
                let d = &self.dispatches[i];
                let DispatchStatus::Dispatched { on: dispatched_on } = d.status else {
                    return Err(DisasterError::IllegalTransition {
                        dispatch: id.clone(),
                        from: d.status.code(),
                        command: cmd.code(),
                    });
                };
                self.not_before(*on, dispatched_on, "$.on")?;
                for (j, issue) in report.issues_found.iter().enumerate() {
                    tax.check_issue(issue, &format!("$.report.issues_found[{j}]"))?;
                    if !out.issues.contains(issue) {
                        out.issues.push(issue.clone());
                    }
                }
                out.dispatches[i].status = DispatchStatus::Reported {
                    dispatched_on,
                    on: *on,
                    report: report.clone(),
                };
            }
            DisasterCommand::LinkCase { .. } => unreachable!("handled above"),
        }
        Ok(out)
    }
}
