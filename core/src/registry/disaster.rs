//! Disaster case-management commands (災害ケースマネジメント): the risk ranks and watching-over
//! intervals (見守りランクと訪問頻度), affected-household records (被災世帯の記録) and the
//! commands on them, and the end of the disaster phase (被災者支援から地域福祉へ). The disaster
//! module keeps its own rules; this file checks references (the household is registered, a
//! dispatch's agency is in the directory, the case a household moves into is its own and open)
//! and re-roots the module's error paths at the command (`$.action.visit.rank_after`).

use super::command::{Apply, RecordedDates};
use super::rules::{at, exists, not_found};
use super::{Receipt, Registry, RegistryError};
use crate::case::CaseState;
use crate::disaster::{
    end_disaster_phase, DisasterCommand, DisasterRecord, DisasterRecordId, OpenRecord,
    VisitIntervals,
};
use crate::ids::CaseId;
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Replace the risk ranks and watching-over intervals (見守りランクと訪問頻度).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetVisitIntervals {
    /// The ranks.
    pub intervals: VisitIntervals,
}

/// Open an affected-household record (被災世帯の記録) for a registered household.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenDisasterRecord {
    /// The opening record.
    pub record: OpenRecord,
}

/// A command on an affected-household record (被災世帯の記録の操作): housing-stage move, issue,
/// risk assessment, watching-over visit (見守り訪問), professional dispatch (専門職派遣) and its
/// report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DisasterAction {
    /// Record id.
    pub record: DisasterRecordId,
    /// The command.
    pub action: DisasterCommand,
}

/// End the disaster phase (被災者支援から地域福祉へ): the household moves into an ordinary case
/// and the record is kept, read-only, linked to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EndDisasterPhase {
    /// Record id.
    pub record: DisasterRecordId,
    /// Date the phase ends.
    pub on: NaiveDate,
    /// The ordinary case that takes the household over.
    pub case: CaseId,
}

impl Registry {
    fn disaster_receipt(&self, r: &DisasterRecord) -> Receipt {
        Receipt::DisasterUpdated {
            stage: r.current_stage().code().to_string(),
            rank: r.current_rank().clone(),
            next_visit_due: r.next_visit_due(&self.visit_intervals),
        }
    }

    fn disaster_slot(&self, id: &DisasterRecordId) -> Result<usize, Error> {
        self.disaster_index
            .get(id)
            .copied()
            .ok_or_else(|| not_found("disaster_record", id, "$.record"))
    }

    /// An existing case a household moves into: it exists, is the household's, and is open.
    fn check_handover_case(
        &self,
        record: &DisasterRecord,
        case: &CaseId,
        path: &str,
    ) -> Result<(), Error> {
        let c = self
            .cases
            .get(case)
            .ok_or_else(|| not_found("case", case, path))?;
        if c.household() != &record.household {
            return Err(RegistryError::Mismatch {
                what: format!(
                    "case `{case}` belongs to another household than record `{}`",
                    record.id
                ),
                path: path.into(),
            }
            .into());
        }
        if matches!(c.state(), CaseState::Closed { .. }) {
            return Err(RegistryError::CaseClosed {
                case: case.clone(),
                path: path.into(),
            }
            .into());
        }
        Ok(())
    }
}

impl Apply for SetVisitIntervals {
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, _: &Registry) -> Result<(), Error> {
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        reg.visit_intervals =
            VisitIntervals::new(self.intervals.ranks().to_vec()).map_err(at("$.intervals"))?;
        Ok(Receipt::Recorded)
    }
}

impl Apply for OpenDisasterRecord {
    fn recorded_dates(&self) -> RecordedDates {
        vec![(self.record.on, "$.record.on")]
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        let open = &self.record;
        if reg.disaster_index.contains_key(&open.id) {
            return Err(exists("disaster_record", &open.id, "$.record.id"));
        }
        if !reg.households.contains_key(&open.household) {
            return Err(not_found(
                "household",
                &open.household,
                "$.record.household",
            ));
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        let r = DisasterRecord::open(&self.record, &reg.visit_intervals, &reg.taxonomies)
            .map_err(at("$.record"))?;
        let receipt = reg.disaster_receipt(&r);
        reg.disaster_index
            .insert(r.id.clone(), reg.disaster_records.len());
        reg.disaster_records.push(r);
        Ok(receipt)
    }
}

impl Apply for DisasterAction {
    /// The action's date (a visit's for a visit); adding an issue and linking a case record
    /// no date.
    fn recorded_dates(&self) -> RecordedDates {
        use DisasterCommand as D;
        match &self.action {
            D::MoveStage { on, .. }
            | D::AssessRisk { on, .. }
            | D::RequestDispatch { on, .. }
            | D::MarkDispatched { on, .. }
            | D::ReportDispatch { on, .. } => vec![(*on, "$.action.on")],
            D::RecordVisit { visit } => vec![(visit.on, "$.action.visit.on")],
            D::AddIssue { .. } | D::LinkCase { .. } => vec![],
        }
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        let i = reg.disaster_slot(&self.record)?;
        if let DisasterCommand::RequestDispatch {
            agency: Some(a), ..
        } = &self.action
        {
            reg.directory.check(a, "$.action.agency")?;
        }
        if let DisasterCommand::LinkCase { case } = &self.action {
            reg.check_handover_case(&reg.disaster_records[i], case, "$.action.case")?;
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        let i = reg.disaster_slot(&self.record)?;
        let next = reg.disaster_records[i]
            .applied(&self.action, &reg.visit_intervals, &reg.taxonomies)
            .map_err(at("$.action"))?;
        let receipt = reg.disaster_receipt(&next);
        reg.disaster_records[i] = next;
        Ok(receipt)
    }
}

impl Apply for EndDisasterPhase {
    fn recorded_dates(&self) -> RecordedDates {
        vec![(self.on, "$.on")]
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        reg.disaster_slot(&self.record).map(|_| ())
    }
    /// End the disaster phase and move the household into an open ordinary case of its own. The
    /// record is kept, ended and linked to the case: its stage moves, assessments, visits and
    /// dispatches stay readable through [`Registry::disaster_history`]. The phase's own rules
    /// are checked before the case (as they always were).
    fn apply(&self, reg: &mut Registry, _: NaiveDate) -> Result<Receipt, Error> {
        let i = reg.disaster_slot(&self.record)?;
        let record = &reg.disaster_records[i];
        let transition = end_disaster_phase(record, self.on)?;
        reg.check_handover_case(record, &self.case, "$.case")?;
        let linked = transition.record.applied(
            &DisasterCommand::LinkCase {
                case: self.case.clone(),
            },
            &reg.visit_intervals,
            &reg.taxonomies,
        )?;
        reg.disaster_records[i] = linked;
        Ok(Receipt::DisasterPhaseEnded {
            case: self.case.clone(),
            issues: transition.issues,
            open_dispatches: transition.open_dispatches,
        })
    }
}
