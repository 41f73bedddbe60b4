//! Disaster case management in statistics (災害ケースマネジメントの分析用データ): the export's
//! affected-household records, watching-over visits and professional dispatches tables. (The
//! annual report has no disaster figures.) Which command updates which row is in
//! `fold/disaster.rs`.
//!
//! What leaves: record, household, disaster and linked case pseudonyms; date opened; damage
//! level; the **current housing-stage code** (`wide_area_evacuation`, never where to); the
//! current risk rank; whether the disaster phase ended, and when. Visits with date, visitor role,
//! whether the household was met, the rank in force that day and the rank decided. Dispatches
//! with profession, purpose (issue code), the sending agency's pseudonym, status, dates and
//! outcome code. Never: the place of a wide-area evacuation, the disaster issues (what is
//! carried over is in the ordinary case's assessment, exported in `issues`), the stage history,
//! workers.
//!
//! The disaster id is pseudonymised like every other id (it may be a free string); records of
//! one disaster share its pseudonym. A dispatch id is unique only within its record, so its
//! pseudonym is of the record and dispatch ids together.

use crate::disaster::{
    DamageLevel, DisasterRecordId, DispatchId, DispatchOutcome, Profession, RiskRankCode,
    VisitorRole,
};
use crate::ids::*;
use chrono::NaiveDate;
use std::collections::HashMap;

/// An affected-household record (被災世帯の記録), its state after the whole journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisasterRecordRow {
    /// Record pseudonym.
    pub record: u64,
    /// Household pseudonym (as in the persons and cases tables).
    pub household: u64,
    /// Disaster pseudonym.
    pub disaster: u64,
    /// Opened on.
    pub opened_on: NaiveDate,
    /// Damage level (被害の程度).
    pub damage: DamageLevel,
    /// Current housing-stage code (never the place of a wide-area evacuation).
    pub housing_stage: &'static str,
    /// Current risk rank (the latest assessment by date).
    pub rank: RiskRankCode,
    /// The date the disaster phase ended, if it has.
    pub ended_on: Option<NaiveDate>,
    /// The ordinary case that took the household over (pseudonym), once linked.
    pub case: Option<u64>,
}

/// A watching-over visit (見守り訪問).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitRow {
    /// Record pseudonym.
    pub record: u64,
    /// Date.
    pub on: NaiveDate,
    /// Visitor's role.
    pub role: VisitorRole,
    /// Whether the household was met.
    pub met: bool,
    /// The rank in force on the visit's date, after the visit: the latest assessment dated on or
    /// before it (among equal dates, the one recorded last).
    pub rank: RiskRankCode,
    /// The rank decided on this visit, if one was.
    pub rank_after: Option<RiskRankCode>,
}

/// A professional dispatch (専門職派遣).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DispatchRow {
    /// Dispatch pseudonym (of the record and dispatch ids together).
    pub dispatch: u64,
    /// Record pseudonym.
    pub record: u64,
    /// Profession.
    pub profession: Profession,
    /// Purpose (issue code).
    pub purpose: IssueCode,
    /// Sending organisation's pseudonym, where recorded.
    pub agency: Option<u64>,
    /// Status code (`requested`, `dispatched`, `reported`).
    pub status: &'static str,
    /// Requested on.
    pub requested_on: NaiveDate,
    /// The professional visited on.
    pub dispatched_on: Option<NaiveDate>,
    /// Reported on.
    pub reported_on: Option<NaiveDate>,
    /// Outcome of the report.
    pub outcome: Option<DispatchOutcome>,
}

/// A visit as recorded (its rank in force is found when the tables are finished).
pub(in crate::stats) struct VisitFact {
    pub(in crate::stats) on: NaiveDate,
    pub(in crate::stats) role: VisitorRole,
    pub(in crate::stats) met: bool,
    pub(in crate::stats) rank_after: Option<RiskRankCode>,
}

/// An affected-household record being exported.
pub(in crate::stats) struct RecordState {
    pub(in crate::stats) row: DisasterRecordRow,
    /// Risk assessments in the order recorded.
    pub(in crate::stats) risk: Vec<(NaiveDate, RiskRankCode)>,
    pub(in crate::stats) visits: Vec<VisitFact>,
    pub(in crate::stats) dispatches: Vec<(DispatchId, DispatchRow)>,
}

/// The latest assessment dated on or before `on` (among equal dates, the one recorded last);
/// the first one recorded when none is (an assessment is recorded at opening).
pub(in crate::stats) fn rank_on(
    risk: &[(NaiveDate, RiskRankCode)],
    on: Option<NaiveDate>,
) -> RiskRankCode {
    let mut best: Option<&(NaiveDate, RiskRankCode)> = None;
    for r in risk {
        if on.is_some_and(|d| r.0 > d) {
            continue;
        }
        if best.is_none_or(|b| r.0 >= b.0) {
            best = Some(r);
        }
    }
    best.or(risk.first())
        .map(|r| r.1.clone())
        .unwrap_or_else(|| RiskRankCode::new(""))
}

/// What the export remembers of affected-household records while folding: each record's
/// state, rows finished when every event has been folded.
#[derive(Default)]
pub(in crate::stats) struct DisasterRows {
    pub(in crate::stats) record_index: HashMap<DisasterRecordId, usize>,
    pub(in crate::stats) records: Vec<RecordState>,
}

impl DisasterRows {
    /// The tables, once every event has been folded.
    pub(in crate::stats) fn finish(
        self,
        records: &mut Vec<DisasterRecordRow>,
        visits: &mut Vec<VisitRow>,
        dispatches: &mut Vec<DispatchRow>,
    ) {
        for r in self.records {
            let mut row = r.row;
            row.rank = rank_on(&r.risk, None);
            for v in r.visits {
                visits.push(VisitRow {
                    record: row.record,
                    on: v.on,
                    role: v.role,
                    met: v.met,
                    rank: rank_on(&r.risk, Some(v.on)),
                    rank_after: v.rank_after,
                });
            }
            dispatches.extend(r.dispatches.into_iter().map(|(_, d)| d));
            records.push(row);
        }
    }
}
