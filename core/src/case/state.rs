//! Case state (ケースの状態): where a case stands ([`CaseState`], [`CaseStateKind`]), the fiscal
//! year (年度) a case is counted in, and the closure reason of an information-only outcome.

use crate::ids::*;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Fiscal year (年度) named by the calendar year it starts in: `2020` = 令和2年度 =
/// 2020-04-01 … 2021-03-31.
pub type FiscalYear = i32;

/// The fiscal year (年度) a date falls in.
pub fn fiscal_year_of(date: NaiveDate) -> FiscalYear {
    if date.month() >= 4 {
        date.year()
    } else {
        date.year() - 1
    }
}

/// The closure reason recorded when a case ends with information or advice only.
pub const INFORMATION_ONLY_REASON: &str = "information_provided";

/// State of a case (ケースの状態).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum CaseState {
    /// Reaching out before the person engages (アウトリーチ).
    Outreach,
    /// Consultation received (受付).
    Intake,
    /// Assessment (アセスメント).
    Assessment,
    /// Handed to another system or agency (他制度・他機関へのつなぎ), waiting for it to accept.
    HandingOver,
    /// Making the support plan (プラン作成).
    Planning,
    /// Support under way (支援中).
    Active,
    /// Monitoring (モニタリング).
    Monitoring,
    /// Closed (終結).
    Closed {
        /// Closure reason code (終結理由).
        reason: ClosureReasonCode,
        /// Closure date.
        on: NaiveDate,
    },
}

/// The kind of a [`CaseState`], without its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseStateKind {
    /// アウトリーチ
    Outreach,
    /// 受付
    Intake,
    /// アセスメント
    Assessment,
    /// つなぎ（受入待ち）
    HandingOver,
    /// プラン作成
    Planning,
    /// 支援中
    Active,
    /// モニタリング
    Monitoring,
    /// 終結
    Closed,
}

impl CaseStateKind {
    /// Stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            CaseStateKind::Outreach => "outreach",
            CaseStateKind::Intake => "intake",
            CaseStateKind::Assessment => "assessment",
            CaseStateKind::HandingOver => "handing_over",
            CaseStateKind::Planning => "planning",
            CaseStateKind::Active => "active",
            CaseStateKind::Monitoring => "monitoring",
            CaseStateKind::Closed => "closed",
        }
    }
}

impl std::fmt::Display for CaseStateKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl CaseState {
    /// The kind of this state.
    pub fn kind(&self) -> CaseStateKind {
        match self {
            CaseState::Outreach => CaseStateKind::Outreach,
            CaseState::Intake => CaseStateKind::Intake,
            CaseState::Assessment => CaseStateKind::Assessment,
            CaseState::HandingOver => CaseStateKind::HandingOver,
            CaseState::Planning => CaseStateKind::Planning,
            CaseState::Active => CaseStateKind::Active,
            CaseState::Monitoring => CaseStateKind::Monitoring,
            CaseState::Closed { .. } => CaseStateKind::Closed,
        }
    }
    /// Whether the case is open (any state but closed).
    pub fn is_open(&self) -> bool {
        !matches!(self, CaseState::Closed { .. })
    }
}
