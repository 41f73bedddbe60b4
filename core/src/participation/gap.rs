//! Resource gaps (社会資源の不足): needs no resource meets, counted per area without personal data.

use super::{ParticipationError, WishCode};
use crate::ids::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A need (ニーズ) no resource met.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Need {
    /// An issue no resource serves here (e.g. `hikikomori`).
    Issue {
        /// Issue code.
        issue: IssueCode,
    },
    /// A wish no resource matches (e.g. `farming`).
    Wish {
        /// Wish code.
        wish: WishCode,
    },
    /// No resource at all in reach for someone who needs a place in society.
    Participation,
}

impl Need {
    /// A stable display code: `issue:hikikomori`, `wish:farming`, `participation`.
    pub fn code(&self) -> String {
        match self {
            Need::Issue { issue } => format!("issue:{issue}"),
            Need::Wish { wish } => format!("wish:{wish}"),
            Need::Participation => "participation".into(),
        }
    }
}

/// A gap suggested by one matching run (see [`super::gap_suggestions`]); recording it is the
/// practitioner's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GapSuggestion {
    /// The household's finest area code, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<AreaCode>,
    /// The unmet need.
    pub need: Need,
}

/// A recorded resource gap: an area, a need, how many people had it — no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceGap {
    /// Area code.
    pub area: AreaCode,
    /// The unmet need.
    pub need: Need,
    /// People who had it (one per recording).
    pub person_count: u32,
    /// First recorded.
    pub first_seen: NaiveDate,
    /// Last recorded.
    pub last_seen: NaiveDate,
}

/// The register of resource gaps: one row per (area, need). Each [`GapRegister::record`] counts
/// one person; the caller records a suggestion once per person (the register holds no ids, so it
/// cannot deduplicate — by design, to keep personal data out of the figures).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(transparent)]
pub struct GapRegister {
    gaps: Vec<ResourceGap>,
}

impl GapRegister {
    /// An empty register.
    pub fn new() -> Self {
        Self::default()
    }

    /// Count one person with `suggestion`'s need in its area on `on`. Errors:
    /// `gap_area_unknown` (`$.area`) when the suggestion has no area; nothing changes then.
    pub fn record(
        &mut self,
        suggestion: &GapSuggestion,
        on: NaiveDate,
    ) -> Result<(), ParticipationError> {
        let area = suggestion
            .area
            .clone()
            .ok_or_else(|| ParticipationError::GapAreaUnknown {
                need: suggestion.need.code(),
                path: "$.area".into(),
            })?;
        match self
            .gaps
            .iter_mut()
            .find(|g| g.area == area && g.need == suggestion.need)
        {
            Some(g) => {
                g.person_count += 1;
                g.first_seen = g.first_seen.min(on);
                g.last_seen = g.last_seen.max(on);
            }
            None => self.gaps.push(ResourceGap {
                area,
                need: suggestion.need.clone(),
                person_count: 1,
                first_seen: on,
                last_seen: on,
            }),
        }
        Ok(())
    }

    /// All gaps, in the order first recorded.
    pub fn gaps(&self) -> &[ResourceGap] {
        &self.gaps
    }
}

/// One need's count in an area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NeedCount {
    /// The need.
    pub need: Need,
    /// People.
    pub person_count: u32,
    /// First recorded.
    pub first_seen: NaiveDate,
}

/// The gaps of one area, for the municipality's resource development (社会資源の開発).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AreaGaps {
    /// Area code.
    pub area: AreaCode,
    /// People counted over all needs (a person with two needs counts twice).
    pub person_count: u32,
    /// Needs, most people first, then by need.
    pub needs: Vec<NeedCount>,
}

/// Gaps grouped by area (sorted by area code); rows for the same area and need — e.g. from
/// registers of two offices — are summed, keeping the earliest `first_seen`.
pub fn gaps_by_area(gaps: &[ResourceGap]) -> Vec<AreaGaps> {
    let mut by: BTreeMap<&AreaCode, BTreeMap<&Need, (u32, NaiveDate)>> = BTreeMap::new();
    for g in gaps {
        let e = by
            .entry(&g.area)
            .or_default()
            .entry(&g.need)
            .or_insert((0, g.first_seen));
        e.0 += g.person_count;
        e.1 = e.1.min(g.first_seen);
    }
    by.into_iter()
        .map(|(area, needs)| {
            let mut needs: Vec<NeedCount> = needs
                .into_iter()
                .map(|(need, (n, first))| NeedCount {
                    need: need.clone(),
                    person_count: n,
                    first_seen: first,
                })
                .collect();
            needs.sort_by(|a, b| {
                b.person_count
                    .cmp(&a.person_count)
                    .then_with(|| a.need.cmp(&b.need))
            });
            AreaGaps {
                area: area.clone(),
                person_count: needs.iter().map(|n| n.person_count).sum(),
                needs,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coded::Coded;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, m, day).unwrap()
    }

    fn s(area: Option<&str>, need: Need) -> GapSuggestion {
        GapSuggestion {
            area: area.map(AreaCode::from),
            need,
        }
    }

    #[test]
    fn register_counts_people_per_area_and_need() {
        let hik = Need::Issue {
            issue: "hikikomori".into(),
        };
        let farm = Need::Wish {
            wish: "farming".into(),
        };
        let mut reg = GapRegister::new();
        reg.record(&s(Some("x"), hik.clone()), d(6, 1)).unwrap();
        reg.record(&s(Some("x"), hik.clone()), d(5, 1)).unwrap();
        reg.record(&s(Some("x"), farm.clone()), d(7, 1)).unwrap();
        reg.record(&s(Some("y"), hik.clone()), d(8, 1)).unwrap();
        assert_eq!(reg.gaps().len(), 3);
        assert_eq!(reg.gaps()[0].person_count, 2);
        assert_eq!(reg.gaps()[0].first_seen, d(5, 1));
        assert_eq!(reg.gaps()[0].last_seen, d(6, 1));

        let before = reg.clone();
        let err = reg.record(&s(None, farm), d(9, 1)).unwrap_err();
        assert_eq!(err.code(), "gap_area_unknown");
        assert_eq!(err.path().as_deref(), Some("$.area"));
        assert!(err.to_string().contains("wish:farming"));
        assert_eq!(reg, before);

        let rows = gaps_by_area(reg.gaps());
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].area.as_str(), "x");
        assert_eq!(rows[0].person_count, 3);
        assert_eq!(rows[0].needs[0].need, hik);
        assert_eq!(rows[0].needs[0].person_count, 2);
        assert_eq!(rows[1].area.as_str(), "y");
    }

    #[test]
    fn gaps_from_two_registers_are_summed() {
        let need = Need::Participation;
        let a = ResourceGap {
            area: "x".into(),
            need: need.clone(),
            person_count: 2,
            first_seen: d(6, 1),
            last_seen: d(6, 2),
        };
        let mut b = a.clone();
        b.person_count = 3;
        b.first_seen = d(4, 1);
        let rows = gaps_by_area(&[a, b]);
        assert_eq!(rows[0].needs.len(), 1);
        assert_eq!(rows[0].needs[0].person_count, 5);
        assert_eq!(rows[0].needs[0].first_seen, d(4, 1));
    }
}
