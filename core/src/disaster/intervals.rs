//! Risk ranks and their visit intervals (見守りランクと訪問頻度): tunable data.

use super::error::DisasterError;
use super::ids::*;
use crate::taxonomy::TaxonomyError;
use serde::{Deserialize, Serialize};

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
                });
            }
            if r.interval_days == 0 {
                return Err(DisasterError::InvalidInterval {
                    rank: r.code.clone(),
                    path: format!("$.ranks[{i}].interval_days"),
                });
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

    pub(super) fn check(&self, rank: &RiskRankCode, path: &str) -> Result<(), DisasterError> {
        match self.interval(rank) {
            Some(_) => Ok(()),
            None => Err(DisasterError::UnknownRiskRank {
                rank: rank.clone(),
                path: path.into(),
            }),
        }
    }
}
