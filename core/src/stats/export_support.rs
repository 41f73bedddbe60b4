//! Pseudonymised export of participation support (参加支援), community building (地域づくり) and
//! disaster case management (災害ケースマネジメント): the tables of [`SupportTables`], folded from
//! the same ordered pass over the journal as the rest of [`super::ExportTables`].
//!
//! The rules of the export hold here too: keyed pseudonyms ([`super::Pseudonymiser`]) in place of
//! every id, codes and record dates leave, names and free text never do. What this module adds is
//! the line between a **place** and a **person**: the area of a social resource, of a community
//! activity and of a resource gap is the figure's key — per-area figures are what the data are for
//! (社会資源の開発, 地域づくり) — and it names a place, so it leaves as the municipality codes it. A
//! person's or a household's area never leaves (no table has one), nor does anything
//! that would place a person: a wide-area evacuee's destination, a worker, a name.
//!
//! Decisions, table by table (column names as in the Python tables):
//!
//! | table | what leaves | what stays in |
//! |---|---|---|
//! | `resources` (社会資源) | pseudonym; kind code; the areas it serves (a place; empty = the whole municipality); capacity limit and current count (numbers, no one in them); the contact agency's pseudonym (as in the other tables) | name (it often names the organiser or a house), days, target, accessibility, free keywords (`tags`) |
//! | `matches` (マッチング) | match, person and resource pseudonyms; the stage after the journal; the dates it was proposed, tried, continued, stopped; the stop reason code | the household (join through `persons`), next follow-up dates (planning, not facts) |
//! | `match_follow_ups` (定着支援) | match pseudonym; date; the observation code | the worker |
//! | `resource_gaps` (社会資源の不足) | area (a place: where the need was found); need code; the **month** counted and the number of persons — one row per area, need and month | the day (see below); a wish that is not a code (typed prose) leaves as `wish:uncoded` |
//! | `activities` (地域活動) | pseudonym; small area and daily-life area (places); operator kind; the stage codes it serves; its resource's pseudonym; start and end dates | name |
//! | `activity_sessions` (開催) | activity pseudonym; date; participant and supporter counts (延べ人数: counts, never persons) | — |
//! | `disaster_records` (被災世帯) | record, household, disaster and linked case pseudonyms; date opened; damage level; the **current housing-stage code** (`wide_area_evacuation`, never where to); the current risk rank; whether the disaster phase ended, and when | the place of a wide-area evacuation, the disaster issues (what is carried over is in the ordinary case's assessment, exported in `issues`), the stage history |
//! | `disaster_visits` (見守り訪問) | record pseudonym; date; visitor role; whether the household was met; the rank in force that day (after the visit) and the rank decided on the visit | the worker |
//! | `disaster_dispatches` (専門職派遣) | dispatch and record pseudonyms; profession; purpose (issue code); sending agency's pseudonym; status; requested, dispatched and reported dates; outcome code | issues found (as above) |
//!
//! **Linkage.** A gap is usually recorded on the day a worker looked for a resource for one
//! person, so a gap's day next to a match's or an intake's day could tie that person to the area
//! — the household's area, which must not leave. Gaps therefore leave counted per month (the
//! annual report's fiscal year is whole months, so its figures can still be recomputed). What
//! remains by design: a match ties a person to a resource and so to the areas that resource
//! serves — where the person goes, not where they live.
//!
//! The disaster id is pseudonymised like every other id (it may be a free string); records of
//! one disaster share its pseudonym. A dispatch id is unique only within its record, so its
//! pseudonym is of the record and dispatch ids together.
//!
//! Like the rest of the export this is a fold over accepted events: it does not re-validate.

use super::Pseudonymiser;
use crate::community::{ActivityId, OperatorKind, SupportStage};
use crate::disaster::{
    DamageLevel, DisasterCommand, DisasterRecordId, DispatchId, DispatchOutcome, Profession,
    RiskRankCode, VisitorRole,
};
use crate::ids::*;
use crate::participation::{
    FollowUpNext, MatchCommand, MatchId, MatchStage, Need, Observation, ResourceId,
    ResourceKindCode, StopReason,
};
use crate::registry::{Command, Event};
use crate::registry::{
    DisasterAction, EndActivity, EndDisasterPhase, MatchAction, OpenDisasterRecord,
    RecordResourceGap, RecordSession, RegisterActivity, RegisterResource, UpdateResource,
};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

/// A social resource (社会資源), as registered or last updated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRow {
    /// Resource pseudonym.
    pub resource: u64,
    /// Kind code.
    pub kind: ResourceKindCode,
    /// Areas it serves (places); empty means the whole municipality.
    pub areas: Vec<AreaCode>,
    /// Places (定員); `None` when there is no fixed limit.
    pub capacity_limit: Option<u32>,
    /// Participants now; `None` when there is no fixed limit.
    pub capacity_current: Option<u32>,
    /// Contact agency (窓口) pseudonym.
    pub contact: u64,
}

/// A match (マッチング), its state after the whole journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchRow {
    /// Match pseudonym.
    pub r#match: u64,
    /// Person pseudonym (as in the persons table).
    pub person: u64,
    /// Resource pseudonym.
    pub resource: u64,
    /// Current stage.
    pub stage: MatchStage,
    /// Proposed on.
    pub proposed_on: NaiveDate,
    /// Tried on (試行).
    pub tried_on: Option<NaiveDate>,
    /// Continuing since (継続).
    pub continuing_on: Option<NaiveDate>,
    /// Stopped on (終了).
    pub stopped_on: Option<NaiveDate>,
    /// Why it stopped.
    pub stop_reason: Option<StopReason>,
}

/// A follow-up after matching (定着支援).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpRow {
    /// Match pseudonym.
    pub r#match: u64,
    /// Date.
    pub on: NaiveDate,
    /// What was seen.
    pub observation: Observation,
}

/// Persons counted with a need no resource met (社会資源の不足) in an area and a month: no person,
/// and no day that could tie the count to one (see the module doc).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapRow {
    /// Area where the need was found (a place).
    pub area: AreaCode,
    /// Need code (`issue:hikikomori`, `wish:farming`, `participation`; `wish:uncoded` for a wish
    /// that is not a code).
    pub need: String,
    /// The month counted, as its first day.
    pub month: NaiveDate,
    /// Persons counted (one per `record_resource_gap`).
    pub persons: u32,
}

/// A community activity (地域活動・場).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRow {
    /// Activity pseudonym.
    pub activity: u64,
    /// Small area (小地域).
    pub small_area: AreaCode,
    /// Daily-life area (日常生活圏域), where known.
    pub daily_life_area: Option<AreaCode>,
    /// Who runs it (運営主体).
    pub operator: OperatorKind,
    /// Stages of mutual support it serves, in order.
    pub stages: Vec<SupportStage>,
    /// Its resource's pseudonym, when it is in the directory.
    pub resource: Option<u64>,
    /// Started on.
    pub started_on: NaiveDate,
    /// Ended on (休止・終了).
    pub ended_on: Option<NaiveDate>,
}

/// A session of an activity (開催), counts only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// Activity pseudonym.
    pub activity: u64,
    /// Date.
    pub on: NaiveDate,
    /// Participants (参加者数, 延べ).
    pub participants: u32,
    /// Supporters (担い手数).
    pub supporters: u32,
}

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

/// The participation, community and disaster tables of the export.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SupportTables {
    /// Social resources, in the order first registered.
    pub resources: Vec<ResourceRow>,
    /// Matches, in the order proposed.
    pub matches: Vec<MatchRow>,
    /// Follow-ups, in journal order.
    pub follow_ups: Vec<FollowUpRow>,
    /// Resource gaps per area, need and month, in the order first counted.
    pub gaps: Vec<GapRow>,
    /// Activities, in the order registered.
    pub activities: Vec<ActivityRow>,
    /// Sessions, in journal order.
    pub sessions: Vec<SessionRow>,
    /// Affected-household records, in the order opened.
    pub disaster_records: Vec<DisasterRecordRow>,
    /// Visits, record by record, each record's in the order recorded.
    pub visits: Vec<VisitRow>,
    /// Dispatches, record by record, each record's in the order requested.
    pub dispatches: Vec<DispatchRow>,
}

struct VisitFact {
    on: NaiveDate,
    role: VisitorRole,
    met: bool,
    rank_after: Option<RiskRankCode>,
}

struct RecordState {
    row: DisasterRecordRow,
    /// Risk assessments in the order recorded.
    risk: Vec<(NaiveDate, RiskRankCode)>,
    visits: Vec<VisitFact>,
    dispatches: Vec<(DispatchId, DispatchRow)>,
}

/// The latest assessment dated on or before `on` (among equal dates, the one recorded last);
/// the first one recorded when none is (an assessment is recorded at opening).
fn rank_on(risk: &[(NaiveDate, RiskRankCode)], on: Option<NaiveDate>) -> RiskRankCode {
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

/// Whether a string is a code (`[a-z][a-z0-9_]*`): what may leave where free words could stand.
fn code_like(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The need's code; a wish that is not a code leaves as `wish:uncoded`.
fn need_code(need: &Need) -> String {
    match need {
        Need::Wish { wish } if !code_like(wish.as_str()) => "wish:uncoded".into(),
        Need::Issue { issue } if !code_like(issue.as_str()) => "issue:uncoded".into(),
        other => other.code(),
    }
}

/// The fold of the support commands; [`super::export`] feeds it every event in order.
#[derive(Default)]
pub(super) struct SupportExporter {
    resource_index: HashMap<ResourceId, usize>,
    match_index: HashMap<MatchId, usize>,
    activity_index: HashMap<ActivityId, usize>,
    gap_index: HashMap<(AreaCode, String, NaiveDate), usize>,
    record_index: HashMap<DisasterRecordId, usize>,
    records: Vec<RecordState>,
    out: SupportTables,
}

impl SupportExporter {
    /// Fold one event; commands of other areas are ignored.
    pub(super) fn add(&mut self, key: &Pseudonymiser, e: &Event) {
        match &e.command {
            Command::RegisterResource(RegisterResource { resource })
            | Command::UpdateResource(UpdateResource { resource }) => {
                let row = ResourceRow {
                    resource: key.pseudonym("resource", resource.id.as_str()),
                    kind: resource.kind.clone(),
                    areas: resource.areas.clone(),
                    capacity_limit: resource.capacity.map(|c| c.limit),
                    capacity_current: resource.capacity.map(|c| c.current),
                    contact: key.pseudonym("agency", resource.contact.as_str()),
                };
                match self.resource_index.get(&resource.id) {
                    Some(&i) => self.out.resources[i] = row,
                    None => {
                        self.resource_index
                            .insert(resource.id.clone(), self.out.resources.len());
                        self.out.resources.push(row);
                    }
                }
            }
            Command::Match(MatchAction { r#match }) => self.add_match(key, r#match),
            Command::RecordResourceGap(RecordResourceGap { gap }) => {
                if let Some(area) = &gap.area {
                    let need = need_code(&gap.need);
                    let month = e.on.with_day(1).unwrap_or(e.on);
                    let k = (area.clone(), need, month);
                    match self.gap_index.get(&k) {
                        Some(&i) => self.out.gaps[i].persons += 1,
                        None => {
                            self.gap_index.insert(k.clone(), self.out.gaps.len());
                            let (area, need, month) = k;
                            self.out.gaps.push(GapRow {
                                area,
                                need,
                                month,
                                persons: 1,
                            });
                        }
                    }
                }
            }
            Command::RegisterActivity(RegisterActivity { activity }) => {
                let row = ActivityRow {
                    activity: key.pseudonym("activity", activity.id.as_str()),
                    small_area: activity.small_area.clone(),
                    daily_life_area: activity.daily_life_area.clone(),
                    operator: activity.operator,
                    stages: activity.stages.iter().copied().collect(),
                    resource: activity
                        .resource
                        .as_ref()
                        .map(|r| key.pseudonym("resource", r.as_str())),
                    started_on: activity.started_on,
                    ended_on: activity.ended_on,
                };
                if !self.activity_index.contains_key(&activity.id) {
                    self.activity_index
                        .insert(activity.id.clone(), self.out.activities.len());
                    self.out.activities.push(row);
                }
            }
            Command::EndActivity(EndActivity { activity, on }) => {
                if let Some(&i) = self.activity_index.get(activity) {
                    self.out.activities[i].ended_on = Some(*on);
                }
            }
            Command::RecordSession(RecordSession { session }) => {
                self.out.sessions.push(SessionRow {
                    activity: key.pseudonym("activity", session.activity.as_str()),
                    on: session.on,
                    participants: session.participants,
                    supporters: session.supporters,
                })
            }
            Command::OpenDisasterRecord(OpenDisasterRecord { record }) => {
                if self.record_index.contains_key(&record.id) {
                    return;
                }
                self.record_index
                    .insert(record.id.clone(), self.records.len());
                self.records.push(RecordState {
                    row: DisasterRecordRow {
                        record: key.pseudonym("disaster_record", record.id.as_str()),
                        household: key.pseudonym("household", record.household.as_str()),
                        disaster: key.pseudonym("disaster", record.disaster.as_str()),
                        opened_on: record.on,
                        damage: record.damage,
                        housing_stage: record.stage.code(),
                        rank: record.rank.clone(),
                        ended_on: None,
                        case: None,
                    },
                    risk: vec![(record.on, record.rank.clone())],
                    visits: Vec::new(),
                    dispatches: Vec::new(),
                });
            }
            Command::Disaster(DisasterAction { record, action }) => {
                let Some(&i) = self.record_index.get(record) else {
                    return;
                };
                let r = &mut self.records[i];
                match action {
                    DisasterCommand::MoveStage { stage, .. } => r.row.housing_stage = stage.code(),
                    DisasterCommand::AddIssue { .. } => {}
                    DisasterCommand::AssessRisk { on, rank } => r.risk.push((*on, rank.clone())),
                    DisasterCommand::RecordVisit { visit } => {
                        if let Some(rank) = &visit.rank_after {
                            r.risk.push((visit.on, rank.clone()));
                        }
                        r.visits.push(VisitFact {
                            on: visit.on,
                            role: visit.role,
                            met: visit.met,
                            rank_after: visit.rank_after.clone(),
                        });
                    }
                    DisasterCommand::RequestDispatch {
                        id,
                        profession,
                        purpose,
                        agency,
                        on,
                    } => {
                        let joint = format!("{}:{}{}", record.as_str().len(), record, id);
                        r.dispatches.push((
                            id.clone(),
                            DispatchRow {
                                dispatch: key.pseudonym("dispatch", &joint),
                                record: r.row.record,
                                profession: *profession,
                                purpose: purpose.clone(),
                                agency: agency
                                    .as_ref()
                                    .map(|a| key.pseudonym("agency", a.as_str())),
                                status: "requested",
                                requested_on: *on,
                                dispatched_on: None,
                                reported_on: None,
                                outcome: None,
                            },
                        ));
                    }
                    DisasterCommand::MarkDispatched { id, on } => {
                        if let Some((_, d)) = r.dispatches.iter_mut().find(|(x, _)| x == id) {
                            d.status = "dispatched";
                            d.dispatched_on = Some(*on);
                        }
                    }
                    DisasterCommand::ReportDispatch { id, on, report } => {
                        if let Some((_, d)) = r.dispatches.iter_mut().find(|(x, _)| x == id) {
                            d.status = "reported";
                            d.reported_on = Some(*on);
                            d.outcome = Some(report.outcome);
                        }
                    }
                    DisasterCommand::LinkCase { case } => {
                        r.row.case = Some(key.pseudonym("case", case.as_str()));
                    }
                }
            }
            Command::EndDisasterPhase(EndDisasterPhase { record, on, case }) => {
                if let Some(&i) = self.record_index.get(record) {
                    let r = &mut self.records[i];
                    r.row.ended_on = Some(*on);
                    r.row.case = Some(key.pseudonym("case", case.as_str()));
                }
            }
            _ => {}
        }
    }

    fn add_match(&mut self, key: &Pseudonymiser, cmd: &MatchCommand) {
        if let MatchCommand::Propose {
            id,
            person,
            resource,
            on,
            ..
        } = cmd
        {
            if !self.match_index.contains_key(id) {
                self.match_index.insert(id.clone(), self.out.matches.len());
                self.out.matches.push(MatchRow {
                    r#match: key.pseudonym("match", id.as_str()),
                    person: key.pseudonym("person", person.as_str()),
                    resource: key.pseudonym("resource", resource.as_str()),
                    stage: MatchStage::Proposed,
                    proposed_on: *on,
                    tried_on: None,
                    continuing_on: None,
                    stopped_on: None,
                    stop_reason: None,
                });
            }
            return;
        }
        let Some(&i) = self.match_index.get(cmd.id()) else {
            return;
        };
        let m = &mut self.out.matches[i];
        let stop = |m: &mut MatchRow, on: NaiveDate, reason: StopReason| {
            m.stage = MatchStage::Stopped;
            m.stopped_on = Some(on);
            m.stop_reason = Some(reason);
        };
        match cmd {
            MatchCommand::Propose { .. } => {}
            MatchCommand::MarkTried { on, .. } => {
                m.stage = MatchStage::Tried;
                m.tried_on = Some(*on);
            }
            MatchCommand::MarkContinuing { on, .. } => {
                m.stage = MatchStage::Continuing;
                m.continuing_on = Some(*on);
            }
            MatchCommand::RecordFollowUp { follow_up, .. } => {
                if let FollowUpNext::Stop { reason } = follow_up.next {
                    stop(m, follow_up.on, reason);
                }
                let row = FollowUpRow {
                    r#match: m.r#match,
                    on: follow_up.on,
                    observation: follow_up.observation,
                };
                self.out.follow_ups.push(row);
            }
            MatchCommand::Stop { on, reason, .. } => stop(m, *on, *reason),
        }
    }

    /// The tables, once every event has been folded.
    pub(super) fn finish(self) -> SupportTables {
        let mut out = self.out;
        for r in self.records {
            let mut row = r.row;
            row.rank = rank_on(&r.risk, None);
            for v in r.visits {
                out.visits.push(VisitRow {
                    record: row.record,
                    on: v.on,
                    role: v.role,
                    met: v.met,
                    rank: rank_on(&r.risk, Some(v.on)),
                    rank_after: v.rank_after,
                });
            }
            out.dispatches
                .extend(r.dispatches.into_iter().map(|(_, d)| d));
            out.disaster_records.push(row);
        }
        out
    }
}

#[cfg(test)]
mod tests;
