//! Disaster case management (災害ケースマネジメント, seeds 000): affected-household records,
//! watching-over visits by risk rank, dispatch of professionals, and the end of the disaster
//! phase, when households move into ordinary cases without losing their history.
//!
//! A [`DisasterRecord`] holds a household's damage level (罹災証明の被害程度), its housing stages
//! with dated moves (避難所 → 応急仮設 / みなし仮設 → 災害公営住宅 / 自宅再建, or 広域避難), the
//! disaster-specific issues (taxonomy codes such as `disaster_recovery`,
//! `disaster_loan_repayment` for 災害援護資金, `wide_area_evacuee`), watching-over visits (見守り
//! 訪問) by support-centre staff and LSA, risk assessments, and dispatches of professionals
//! (専門職派遣 — lawyers, the "サポ弁", health and welfare experts) with their own small
//! lifecycle (requested → dispatched → reported).
//!
//! The risk rank sets the visit interval through data ([`VisitIntervals`], default A 7, B 14,
//! C 30, D 90 days); [`visits_due`] and [`visits_overdue`] list the households to visit.
//! [`end_disaster_phase`] produces a [`TransitionToOrdinary`]: what an ordinary case needs, and
//! the record itself, ended and read-only — it is kept and linked, never deleted ("from disaster
//! support to community welfare"). Every command on an ended record except linking its case is
//! rejected with `phase_ended`.
//!
//! This module does not open the ordinary case (see `case`) nor store events (see `journal`).

use crate::coded::Coded;
use crate::ids::*;
use crate::taxonomy::{Label, Taxonomies, TaxonomyError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

string_newtype! {
    /// Affected-household record (被災世帯の記録) id.
    DisasterRecordId,
    /// Disaster (災害) id, e.g. `2011_great_east_japan`.
    DisasterId,
    /// Professional dispatch (専門職派遣) id.
    DispatchId,
    /// Risk rank code (見守りランク), e.g. `a`.
    RiskRankCode,
}

/// Damage level on the disaster victim certificate (罹災証明書の被害の程度), worst first.
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
pub enum DamageLevel {
    /// 全壊.
    Total,
    /// 大規模半壊.
    LargeScaleHalf,
    /// 中規模半壊.
    MediumScaleHalf,
    /// 半壊.
    Half,
    /// 準半壊.
    QuasiHalf,
    /// 一部損壊.
    Partial,
}

impl DamageLevel {
    /// Bilingual label.
    pub fn label(self) -> Label {
        let (ja, en) = match self {
            DamageLevel::Total => ("全壊", "total destruction"),
            DamageLevel::LargeScaleHalf => ("大規模半壊", "large-scale half destruction"),
            DamageLevel::MediumScaleHalf => ("中規模半壊", "medium-scale half destruction"),
            DamageLevel::Half => ("半壊", "half destruction"),
            DamageLevel::QuasiHalf => ("準半壊", "quasi-half destruction"),
            DamageLevel::Partial => ("一部損壊", "partial damage"),
        };
        Label {
            ja: ja.into(),
            en: en.into(),
        }
    }
}

/// Housing stage (住まいの段階) of an affected household.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "stage", rename_all = "snake_case", deny_unknown_fields)]
pub enum HousingStage {
    /// 避難所.
    Shelter,
    /// 応急仮設住宅 (prefabricated temporary housing).
    TemporaryPrefab,
    /// みなし仮設 (rented housing deemed temporary housing).
    DeemedTemporary,
    /// 災害公営住宅.
    PublicDisasterHousing,
    /// 自宅再建 (rebuilt or repaired own home).
    RebuiltHome,
    /// 広域避難 (evacuated outside the municipality or prefecture).
    WideAreaEvacuation {
        /// Where to (a municipality or prefecture, not an address).
        place: String,
    },
}

impl HousingStage {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            HousingStage::Shelter => "shelter",
            HousingStage::TemporaryPrefab => "temporary_prefab",
            HousingStage::DeemedTemporary => "deemed_temporary",
            HousingStage::PublicDisasterHousing => "public_disaster_housing",
            HousingStage::RebuiltHome => "rebuilt_home",
            HousingStage::WideAreaEvacuation { .. } => "wide_area_evacuation",
        }
    }
    /// Permanent housing (恒久住宅): public disaster housing or a rebuilt home.
    pub fn is_permanent(&self) -> bool {
        matches!(
            self,
            HousingStage::PublicDisasterHousing | HousingStage::RebuiltHome
        )
    }
}

/// A dated move to a housing stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StageMove {
    /// Date of the move.
    pub on: NaiveDate,
    /// The stage entered.
    pub stage: HousingStage,
}

/// A risk rank and the watching-over interval it sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RiskRank {
    /// Code, e.g. `a`.
    pub code: RiskRankCode,
    /// Japanese label.
    pub ja: String,
    /// English label.
    pub en: String,
    /// Days between watching-over visits (at least 1).
    pub interval_days: u32,
}

/// Risk ranks and their visit intervals (見守りランクと訪問頻度): tunable data. The default
/// follows common support-centre practice: A (要緊急・週1) 7 days, B 14, C 30, D 90.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitIntervals {
    ranks: Vec<RiskRank>,
}

impl Default for VisitIntervals {
    fn default() -> Self {
        let r = |code: &str, ja: &str, en: &str, days| RiskRank {
            code: code.into(),
            ja: ja.into(),
            en: en.into(),
            interval_days: days,
        };
        VisitIntervals {
            ranks: vec![
                r("a", "A（要緊急・重点見守り）", "A (urgent, close watch)", 7),
                r("b", "B（定期見守り）", "B (regular watch)", 14),
                r("c", "C（月1回程度）", "C (about monthly)", 30),
                r("d", "D（安定・随時）", "D (stable, occasional)", 90),
            ],
        }
    }
}

impl VisitIntervals {
    /// Build from ranks: codes lower snake_case and unique (`duplicate_risk_rank`,
    /// `$.ranks[i].code`; `invalid_code`), intervals at least one day (`invalid_interval`,
    /// `$.ranks[i].interval_days`).
    pub fn new(ranks: Vec<RiskRank>) -> Result<Self, DisasterError> {
        for (i, r) in ranks.iter().enumerate() {
            let code = r.code.as_str();
            if !(code.starts_with(|c: char| c.is_ascii_lowercase())
                && code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
            {
                return Err(TaxonomyError::InvalidCode {
                    code: code.to_string(),
                    path: format!("$.ranks[{i}].code"),
                }
                .into());
            }
            if ranks[..i].iter().any(|o| o.code == r.code) {
                return Err(DisasterError::DuplicateRiskRank {
                    rank: r.code.clone(),
                    path: format!("$.ranks[{i}].code"),
                }
                .into());
            }
            if r.interval_days == 0 {
                return Err(DisasterError::InvalidInterval {
                    rank: r.code.clone(),
                    path: format!("$.ranks[{i}].interval_days"),
                }
                .into());
            }
        }
        Ok(VisitIntervals { ranks })
    }

    /// Parse and validate a JSON document `{"ranks": [...]}`.
    pub fn from_json(text: &str) -> Result<Self, DisasterError> {
        let doc: VisitIntervals = crate::coded::from_json(text)?;
        Self::new(doc.ranks)
    }

    /// Parse and validate a TOML document with `[[ranks]]` tables.
    pub fn from_toml(text: &str) -> Result<Self, DisasterError> {
        let doc: VisitIntervals = crate::coded::from_toml(text)?;
        Self::new(doc.ranks)
    }

    /// All ranks.
    pub fn ranks(&self) -> &[RiskRank] {
        &self.ranks
    }

    /// Interval in days for a rank.
    pub fn interval(&self, rank: &RiskRankCode) -> Option<u32> {
        self.ranks
            .iter()
            .find(|r| &r.code == rank)
            .map(|r| r.interval_days)
    }

    fn check(&self, rank: &RiskRankCode, path: &str) -> Result<(), DisasterError> {
        match self.interval(rank) {
            Some(_) => Ok(()),
            None => Err(DisasterError::UnknownRiskRank {
                rank: rank.clone(),
                path: path.into(),
            }
            .into()),
        }
    }
}

/// A risk assessment (リスク判定).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RiskAssessment {
    /// Date.
    pub on: NaiveDate,
    /// Rank.
    pub rank: RiskRankCode,
}

/// Who made a watching-over visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VisitorRole {
    /// サポートセンター（地域支え合いセンター）の生活支援相談員.
    SupportCentreStaff,
    /// LSA (生活援助員) in public disaster housing.
    Lsa,
    /// CSW of the council of social welfare.
    Csw,
    /// 民生委員.
    WelfareCommissioner,
    /// その他.
    Other,
}

/// A watching-over visit (見守り訪問). Visits may be recorded offline and arrive late, so they
/// need not come in date order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Visit {
    /// Date.
    pub on: NaiveDate,
    /// Visitor's role.
    pub role: VisitorRole,
    /// Worker, where recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<WorkerId>,
    /// Whether the household was met (`false`: 不在). Only a visit that met the household resets
    /// the visit clock — an empty doorstep is no watching over.
    pub met: bool,
    /// A new risk rank decided on the visit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank_after: Option<RiskRankCode>,
}

/// Profession dispatched (派遣される専門職).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Profession {
    /// 弁護士 (サポ弁).
    Lawyer,
    /// 保健・医療職 (保健師, 看護師 …).
    Health,
    /// 福祉職 (社会福祉士, 精神保健福祉士 …).
    Welfare,
    /// 心のケア.
    MentalCare,
    /// その他 (司法書士, FP …).
    Other,
}

/// What a dispatch led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DispatchOutcome {
    /// 解決.
    Resolved,
    /// 助言・情報提供.
    AdviceGiven,
    /// 継続支援 (the professional keeps working with the household).
    ContinuingSupport,
    /// 他機関へつないだ.
    ReferredOn,
}

/// A dispatch's report (報告).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DispatchReport {
    /// Outcome.
    pub outcome: DispatchOutcome,
    /// Issues found that stay with the household (taxonomy codes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues_found: Vec<IssueCode>,
}

/// Status of a dispatch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case", deny_unknown_fields)]
pub enum DispatchStatus {
    /// 依頼.
    Requested,
    /// 派遣.
    Dispatched {
        /// Date of the visit.
        on: NaiveDate,
    },
    /// 報告.
    Reported {
        /// Date of the visit.
        dispatched_on: NaiveDate,
        /// Date of the report.
        on: NaiveDate,
        /// The report.
        report: DispatchReport,
    },
}

impl DispatchStatus {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            DispatchStatus::Requested => "requested",
            DispatchStatus::Dispatched { .. } => "dispatched",
            DispatchStatus::Reported { .. } => "reported",
        }
    }
}

/// A dispatch of a professional (専門職派遣): a kind of referral with its own purpose and result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dispatch {
    /// Dispatch id.
    pub id: DispatchId,
    /// Profession.
    pub profession: Profession,
    /// Purpose: the issue to work on (e.g. `disaster_loan_repayment`).
    pub purpose: IssueCode,
    /// Sending organisation (e.g. the bar association), where recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<AgencyId>,
    /// Date requested.
    pub requested_on: NaiveDate,
    /// Status.
    pub status: DispatchStatus,
}

/// Phase of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "phase", rename_all = "snake_case", deny_unknown_fields)]
pub enum Phase {
    /// Disaster support under way.
    Disaster,
    /// Disaster phase ended: the record is read-only.
    Ended {
        /// Date ended.
        on: NaiveDate,
        /// The ordinary case that took the household over, once linked.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        case: Option<CaseId>,
    },
}

/// An affected-household record (被災世帯の記録).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DisasterRecord {
    /// Record id.
    pub id: DisasterRecordId,
    /// The household.
    pub household: HouseholdId,
    /// The disaster.
    pub disaster: DisasterId,
    /// Date opened.
    pub opened_on: NaiveDate,
    /// Damage level.
    pub damage: DamageLevel,
    /// Housing stages, oldest first; never empty (the last is the current one).
    pub stages: Vec<StageMove>,
    /// Disaster-specific and other issues (taxonomy codes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<IssueCode>,
    /// Risk assessments in the order recorded; never empty.
    pub risk: Vec<RiskAssessment>,
    /// Watching-over visits in the order recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub visits: Vec<Visit>,
    /// Professional dispatches.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dispatches: Vec<Dispatch>,
    /// Phase.
    pub phase: Phase,
}

/// Opening a record (a future journal event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
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

/// Errors of disaster case management.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DisasterError {
    /// A document that does not parse.
    #[error(transparent)]
    Document(#[from] crate::coded::DocumentError),
    /// An unknown or invalid vocabulary code.
    #[error(transparent)]
    Taxonomy(#[from] crate::taxonomy::TaxonomyError),
    /// An agency directory error (an unknown agency …).
    #[error(transparent)]
    Agency(#[from] crate::agency::AgencyError),
    /// A command on a record whose disaster phase has ended (it is read-only).
    #[error("record `{id}`: the disaster phase has ended; `{command}` is not allowed")]
    PhaseEnded {
        /// Record id.
        id: DisasterRecordId,
        /// Command code.
        command: &'static str,
    },
    /// Linking a case before the phase ended.
    #[error("record `{id}`: the disaster phase has not ended")]
    PhaseNotEnded {
        /// Record id.
        id: DisasterRecordId,
    },
    /// Linking a second case.
    #[error("record `{id}` is already linked to case `{case}`")]
    CaseAlreadyLinked {
        /// Record id.
        id: DisasterRecordId,
        /// The linked case.
        case: CaseId,
    },
    /// A date before one the command must follow.
    #[error("record `{id}`: {on} is before {last} at {path}")]
    DateOutOfOrder {
        /// Record id.
        id: DisasterRecordId,
        /// The date given.
        on: NaiveDate,
        /// The earliest allowed date.
        last: NaiveDate,
        /// JSON path.
        path: String,
    },
    /// A move to the stage the household is already in.
    #[error("record `{id}` is already at stage `{stage}` at {path}")]
    StageUnchanged {
        /// Record id.
        id: DisasterRecordId,
        /// Stage code.
        stage: &'static str,
        /// JSON path.
        path: String,
    },
    /// A wide-area evacuation without a place.
    #[error("wide-area evacuation needs a place at {path}")]
    EmptyPlace {
        /// JSON path.
        path: String,
    },
    /// An issue already on the record.
    #[error("record `{id}` already has issue `{issue}` at {path}")]
    DuplicateIssue {
        /// Record id.
        id: DisasterRecordId,
        /// Issue code.
        issue: IssueCode,
        /// JSON path.
        path: String,
    },
    /// A risk rank not in the visit intervals.
    #[error("unknown risk rank `{rank}` at {path}")]
    UnknownRiskRank {
        /// Rank code.
        rank: RiskRankCode,
        /// JSON path.
        path: String,
    },
    /// A risk rank defined twice.
    #[error("duplicate risk rank `{rank}` at {path}")]
    DuplicateRiskRank {
        /// Rank code.
        rank: RiskRankCode,
        /// JSON path.
        path: String,
    },
    /// A visit interval of zero days.
    #[error("risk rank `{rank}` needs an interval of at least one day at {path}")]
    InvalidInterval {
        /// Rank code.
        rank: RiskRankCode,
        /// JSON path.
        path: String,
    },
    /// A dispatch id used twice on a record.
    #[error("record `{id}`: duplicate dispatch `{dispatch}` at {path}")]
    DuplicateDispatch {
        /// Record id.
        id: DisasterRecordId,
        /// Dispatch id.
        dispatch: DispatchId,
        /// JSON path.
        path: String,
    },
    /// A dispatch id not on the record.
    #[error("record `{id}`: unknown dispatch `{dispatch}` at {path}")]
    UnknownDispatch {
        /// Record id.
        id: DisasterRecordId,
        /// Dispatch id.
        dispatch: DispatchId,
        /// JSON path.
        path: String,
    },
    /// A dispatch command its status does not allow.
    #[error("dispatch `{dispatch}`: `{command}` is not allowed when it is {from}")]
    IllegalTransition {
        /// Dispatch id.
        dispatch: DispatchId,
        /// Current status code.
        from: &'static str,
        /// Command code.
        command: &'static str,
    },
}

impl DisasterError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[
        "phase_ended",
        "phase_not_ended",
        "case_already_linked",
        "date_out_of_order",
        "stage_unchanged",
        "empty_place",
        "duplicate_issue",
        "unknown_risk_rank",
        "duplicate_risk_rank",
        "invalid_interval",
        "duplicate_dispatch",
        "unknown_dispatch",
        "illegal_transition",
    ];
}

impl Coded for DisasterError {
    fn code(&self) -> &'static str {
        match self {
            DisasterError::Document(e) => e.code(),
            DisasterError::Taxonomy(e) => e.code(),
            DisasterError::Agency(e) => e.code(),
            DisasterError::PhaseEnded { .. } => "phase_ended",
            DisasterError::PhaseNotEnded { .. } => "phase_not_ended",
            DisasterError::CaseAlreadyLinked { .. } => "case_already_linked",
            DisasterError::DateOutOfOrder { .. } => "date_out_of_order",
            DisasterError::StageUnchanged { .. } => "stage_unchanged",
            DisasterError::EmptyPlace { .. } => "empty_place",
            DisasterError::DuplicateIssue { .. } => "duplicate_issue",
            DisasterError::UnknownRiskRank { .. } => "unknown_risk_rank",
            DisasterError::DuplicateRiskRank { .. } => "duplicate_risk_rank",
            DisasterError::InvalidInterval { .. } => "invalid_interval",
            DisasterError::DuplicateDispatch { .. } => "duplicate_dispatch",
            DisasterError::UnknownDispatch { .. } => "unknown_dispatch",
            DisasterError::IllegalTransition { .. } => "illegal_transition",
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            DisasterError::Document(e) => e.path(),
            DisasterError::Taxonomy(e) => e.path(),
            DisasterError::Agency(e) => e.path(),
            DisasterError::DateOutOfOrder { path, .. }
            | DisasterError::StageUnchanged { path, .. }
            | DisasterError::EmptyPlace { path }
            | DisasterError::DuplicateIssue { path, .. }
            | DisasterError::UnknownRiskRank { path, .. }
            | DisasterError::DuplicateRiskRank { path, .. }
            | DisasterError::InvalidInterval { path, .. }
            | DisasterError::DuplicateDispatch { path, .. }
            | DisasterError::UnknownDispatch { path, .. } => Some(path.clone()),
            DisasterError::PhaseEnded { .. }
            | DisasterError::PhaseNotEnded { .. }
            | DisasterError::CaseAlreadyLinked { .. }
            | DisasterError::IllegalTransition { .. } => None,
        }
    }
    fn kind(&self) -> crate::coded::ErrorKind {
        match self {
            DisasterError::Document(e) => e.kind(),
            DisasterError::Taxonomy(e) => e.kind(),
            DisasterError::Agency(e) => e.kind(),
            DisasterError::PhaseEnded { .. } => crate::coded::ErrorKind::Transition,
            DisasterError::PhaseNotEnded { .. } => crate::coded::ErrorKind::Transition,
            DisasterError::CaseAlreadyLinked { .. } => crate::coded::ErrorKind::Rule,
            DisasterError::DateOutOfOrder { .. } => crate::coded::ErrorKind::Rule,
            DisasterError::StageUnchanged { .. } => crate::coded::ErrorKind::Transition,
            DisasterError::EmptyPlace { .. } => crate::coded::ErrorKind::Invalid,
            DisasterError::DuplicateIssue { .. } => crate::coded::ErrorKind::Invalid,
            DisasterError::UnknownRiskRank { .. } => crate::coded::ErrorKind::NotFound,
            DisasterError::DuplicateRiskRank { .. } => crate::coded::ErrorKind::Invalid,
            DisasterError::InvalidInterval { .. } => crate::coded::ErrorKind::Invalid,
            DisasterError::DuplicateDispatch { .. } => crate::coded::ErrorKind::AlreadyExists,
            DisasterError::UnknownDispatch { .. } => crate::coded::ErrorKind::NotFound,
            DisasterError::IllegalTransition { .. } => crate::coded::ErrorKind::Transition,
        }
    }
}

fn check_stage(stage: &HousingStage, path: &str) -> Result<(), DisasterError> {
    if let HousingStage::WideAreaEvacuation { place } = stage {
        if place.trim().is_empty() {
            return Err(DisasterError::EmptyPlace {
                path: format!("{path}.place"),
            }
            .into());
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
                }
                .into());
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

    fn not_before(&self, on: NaiveDate, last: NaiveDate, path: &str) -> Result<(), DisasterError> {
        if on < last {
            return Err(DisasterError::DateOutOfOrder {
                id: self.id.clone(),
                on,
                last,
                path: path.into(),
            }
            .into());
        }
        Ok(())
    }

    fn dispatch_index(&self, id: &DispatchId) -> Result<usize, DisasterError> {
        self.dispatches
            .iter()
            .position(|d| &d.id == id)
            .ok_or_else(|| {
                DisasterError::UnknownDispatch {
                    id: self.id.clone(),
                    dispatch: id.clone(),
                    path: "$.id".into(),
                }
                .into()
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
                }
                .into()),
                Phase::Ended {
                    case: Some(linked), ..
                } => Err(DisasterError::CaseAlreadyLinked {
                    id: self.id.clone(),
                    case: linked.clone(),
                }
                .into()),
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
            }
            .into());
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
                    }
                    .into());
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
                    }
                    .into());
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
                    }
                    .into());
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
                    }
                    .into());
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
                    }
                    .into());
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

/// A household to visit (見守り訪問予定).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
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
        }
        .into());
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

#[cfg(test)]
mod tests;
