//! Households to visit (見守り訪問予定): due and overdue watching-over visits by risk rank.

use super::ids::*;
use super::intervals::VisitIntervals;
use super::record::*;
use crate::ids::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A household to visit (見守り訪問予定).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct VisitDue {
    /// Record id.
    pub record: DisasterRecordId,
    /// The household.
    pub household: HouseholdId,
    /// Current risk rank.
    pub rank: RiskRankCode,
    /// Current housing stage code.
    pub stage: String,
    /// Last visit that met the household.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_visit: Option<NaiveDate>,
    /// Due date.
    pub due: NaiveDate,
    /// Days past due (0 when due today).
    pub days_overdue: i64,
}

fn due_list(
    records: &[DisasterRecord],
    intervals: &VisitIntervals,
    today: NaiveDate,
    include_today: bool,
) -> Vec<VisitDue> {
    let mut out: Vec<VisitDue> = records
        .iter()
        .filter_map(|r| {
            let due = r.next_visit_due(intervals)?;
            let hit = if include_today {
                due <= today
            } else {
                due < today
            };
            hit.then(|| VisitDue {
                record: r.id.clone(),
                household: r.household.clone(),
                rank: r.current_rank().clone(),
                stage: r.current_stage().code().to_string(),
                last_visit: r.last_visit(),
                due,
                days_overdue: (today - due).num_days(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.record.cmp(&b.record)));
    out
}

/// Records in the disaster phase whose visit is due on or before `today`, most overdue first.
pub fn visits_due(
    records: &[DisasterRecord],
    intervals: &VisitIntervals,
    today: NaiveDate,
) -> Vec<VisitDue> {
    due_list(records, intervals, today, true)
}

/// Records in the disaster phase whose visit was due before `today` (overdue), most overdue first.
pub fn visits_overdue(
    records: &[DisasterRecord],
    intervals: &VisitIntervals,
    today: NaiveDate,
) -> Vec<VisitDue> {
    due_list(records, intervals, today, false)
}
