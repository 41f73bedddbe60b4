//! The end of the disaster phase (被災者支援から地域福祉へ): what an ordinary case needs, and
//! the record, ended and kept.

use super::error::DisasterError;
use super::ids::*;
use super::record::*;
use crate::ids::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What an ordinary case needs when the disaster phase ends (被災者支援から地域福祉へ).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionToOrdinary {
    /// The household.
    pub household: HouseholdId,
    /// The disaster record, kept read-only and linked from the case.
    pub disaster_record: DisasterRecordId,
    /// The disaster.
    pub disaster: DisasterId,
    /// Date the phase ended.
    pub on: NaiveDate,
    /// Issues to carry into the case: the record's issues, plus `disaster_recovery` when the
    /// household is not yet in permanent housing and `wide_area_evacuee` when it is evacuated
    /// outside the area (each added only once).
    pub issues: Vec<IssueCode>,
    /// Current housing stage.
    pub housing: HousingStage,
    /// Damage level.
    pub damage: DamageLevel,
    /// Current risk rank, as a hint for the first monitoring interval.
    pub risk_rank: RiskRankCode,
    /// Last visit that met the household.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_visit: Option<NaiveDate>,
    /// Dispatches not yet reported: the professionals' work continues in the case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub open_dispatches: Vec<DispatchId>,
    /// The record itself, ended: every stage move, assessment, visit and dispatch preserved.
    pub record: DisasterRecord,
}

/// End the disaster phase of a record on `on`. Errors: `phase_ended` when it has already
/// ended, `date_out_of_order` (`$.on`) before the record's last date. The input is not changed;
/// the returned transition holds the ended record, which replaces it and rejects every later
/// command except `link_case`.
pub fn end_disaster_phase(
    record: &DisasterRecord,
    on: NaiveDate,
) -> Result<TransitionToOrdinary, DisasterError> {
    if record.is_ended() {
        return Err(DisasterError::PhaseEnded {
            id: record.id.clone(),
            command: "end_disaster_phase",
        });
    }
    record.not_before(on, record.last_date(), "$.on")?;
    let mut issues = record.issues.clone();
    let housing = record.current_stage().clone();
    let mut add = |code: &str| {
        let code = IssueCode::from(code);
        if !issues.contains(&code) {
            issues.push(code);
        }
    };
    if !housing.is_permanent() {
        add("disaster_recovery");
    }
    if matches!(housing, HousingStage::WideAreaEvacuation { .. }) {
        add("wide_area_evacuee");
    }
    let mut ended = record.clone();
    ended.phase = Phase::Ended { on, case: None };
    Ok(TransitionToOrdinary {
        household: record.household.clone(),
        disaster_record: record.id.clone(),
        disaster: record.disaster.clone(),
        on,
        issues,
        housing,
        damage: record.damage,
        risk_rank: record.current_rank().clone(),
        last_visit: record.last_visit(),
        open_dispatches: record
            .dispatches
            .iter()
            .filter(|d| !matches!(d.status, DispatchStatus::Reported { .. }))
            .map(|d| d.id.clone())
            .collect(),
        record: ended,
    })
}
