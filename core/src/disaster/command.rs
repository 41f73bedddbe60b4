//! Opening a record and the commands on it (a future journal event each).

use super::ids::*;
use super::record::*;
use crate::ids::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Opening a record (a future journal event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OpenRecord {
    /// Record id.
    pub id: DisasterRecordId,
    /// The household.
    pub household: HouseholdId,
    /// The disaster.
    pub disaster: DisasterId,
    /// Date.
    pub on: NaiveDate,
    /// Damage level.
    pub damage: DamageLevel,
    /// Housing stage at opening.
    pub stage: HousingStage,
    /// Initial risk rank.
    pub rank: RiskRankCode,
    /// Issues.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub issues: Vec<IssueCode>,
}

/// A command on a record (a future journal event). Rejected commands change nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum DisasterCommand {
    /// Move to another housing stage.
    MoveStage {
        /// Date.
        on: NaiveDate,
        /// New stage.
        stage: HousingStage,
    },
    /// Add an issue.
    AddIssue {
        /// Issue code.
        issue: IssueCode,
    },
    /// Assess the risk rank.
    AssessRisk {
        /// Date.
        on: NaiveDate,
        /// Rank.
        rank: RiskRankCode,
    },
    /// Record a watching-over visit.
    RecordVisit {
        /// The visit.
        visit: Visit,
    },
    /// Request a professional dispatch.
    RequestDispatch {
        /// New dispatch id.
        id: DispatchId,
        /// Profession.
        profession: Profession,
        /// Purpose (issue code).
        purpose: IssueCode,
        /// Sending organisation.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        agency: Option<AgencyId>,
        /// Date.
        on: NaiveDate,
    },
    /// The professional visited.
    MarkDispatched {
        /// Dispatch id.
        id: DispatchId,
        /// Date.
        on: NaiveDate,
    },
    /// The professional reported.
    ReportDispatch {
        /// Dispatch id.
        id: DispatchId,
        /// Date.
        on: NaiveDate,
        /// The report.
        report: DispatchReport,
    },
    /// Link the ordinary case that took over (only after the phase ended, once).
    LinkCase {
        /// Case id.
        case: CaseId,
    },
}

impl DisasterCommand {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            DisasterCommand::MoveStage { .. } => "move_stage",
            DisasterCommand::AddIssue { .. } => "add_issue",
            DisasterCommand::AssessRisk { .. } => "assess_risk",
            DisasterCommand::RecordVisit { .. } => "record_visit",
            DisasterCommand::RequestDispatch { .. } => "request_dispatch",
            DisasterCommand::MarkDispatched { .. } => "mark_dispatched",
            DisasterCommand::ReportDispatch { .. } => "report_dispatch",
            DisasterCommand::LinkCase { .. } => "link_case",
        }
    }
}
