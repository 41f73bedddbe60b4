//! The affected-household record (被災世帯の記録) and its parts: damage level, housing stages,
//! risk assessments, watching-over visits, dispatches of professionals, the phase.

use super::ids::*;
use crate::ids::*;
use crate::taxonomy::Label;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
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
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
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
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
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
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Visit {
    /// Date.
    pub on: NaiveDate,
    /// Visitor's role.
    pub role: VisitorRole,
    /// Worker, where recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub by: Option<WorkerId>,
    /// Whether the household was met (`false`: 不在). Only a visit that met the household resets
    /// the visit clock — an empty doorstep is no watching over.
    pub met: bool,
    /// A new risk rank decided on the visit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
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
