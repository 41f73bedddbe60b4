//! The compact batch result (振り分け結果の圧縮形式): the brief routing of thousands of households
//! as a table of the few distinct codes plus one byte array, so that crossing the boundary lifts
//! one `ByteArray` (Kotlin) / `Data` (Swift) and a few dozen strings instead of four strings per
//! recommendation.
//!
//! App code never reads the encoding: the hand-written views `RoutingBriefs` (Kotlin:
//! `views/kotlin/RoutingBriefs.kt`, Swift: `swift/Sources/TsunaguMobile/RoutingBriefs.swift`)
//! give `size` / `count`, `get(i)` / subscript returning the same [`RoutingBrief`] values as
//! [`Router::route_batch_brief`], and iteration. [`CompactBriefs::get`] is the Rust view.
//!
//! ## Layout of `data` (version 1; all integers little-endian)
//!
//! | bytes | what |
//! |---|---|
//! | 4 | `n`, number of households (u32) |
//! | 4 | `m`, number of recommendations over all households (u32) |
//! | 4 × (n + 1) | `rec_start`: household `i` has recommendations `rec_start[i] .. rec_start[i+1]` (u32) |
//! | 4 × (n + 1) | `id_start`: household `i`'s id is the UTF-8 bytes `id_start[i] .. id_start[i+1]` of the id area (u32) |
//! | 10 × m | recommendations, five u16 each: rule, agency kind, project, meeting (indices into `codes`, `0xFFFF` = none), urgency (0 immediate, 1 high, 2 normal) |
//! | rest | the id area: every household id in UTF-8, concatenated |
//!
//! A recommendation's rank is its position in its household plus one (ranks are always 1, 2, …).

use crate::error::{Result, TsunaguError};
use crate::routing::{RecommendationBrief, Router, RoutingBrief};
use std::collections::HashMap;
use tsunagu::routing as r;
use tsunagu::routing::{Situation, Urgency};

/// The code index meaning "none".
pub const NONE: u16 = u16::MAX;

/// The brief routing of a batch, compactly encoded (see the module doc for the layout). Read it
/// through a view (`RoutingBriefs` in Kotlin and Swift, [`CompactBriefs::get`] in Rust).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CompactBriefs {
    /// The distinct codes (rule ids, agency kinds, projects, meetings) the indices refer to.
    pub codes: Vec<String>,
    /// Households, recommendations and ids as indices (layout in the module doc).
    pub data: Vec<u8>,
}

/// Builds the string table: each distinct code once, in order of first use.
struct Codes {
    index: HashMap<String, u16>,
    codes: Vec<String>,
}

impl Codes {
    fn of(&mut self, code: Option<&str>) -> Result<u16> {
        let Some(c) = code else { return Ok(NONE) };
        if let Some(&i) = self.index.get(c) {
            return Ok(i);
        }
        let i = u16::try_from(self.codes.len())
            .ok()
            .filter(|&i| i != NONE)
            .ok_or_else(|| {
                TsunaguError::invalid(
                    "too_many_codes",
                    "more than 65,534 distinct codes in one compact batch",
                    None,
                )
            })?;
        self.index.insert(c.to_string(), i);
        self.codes.push(c.to_string());
        Ok(i)
    }
}

fn urgency_byte(u: r::Urgency) -> u16 {
    match u {
        r::Urgency::Immediate => 0,
        r::Urgency::High => 1,
        r::Urgency::Normal => 2,
    }
}

fn too_big() -> TsunaguError {
    TsunaguError::invalid(
        "too_large",
        "a compact batch holds at most 4 GiB of data",
        None,
    )
}

impl Router {
    /// Encode the brief routing of `households` under `s`.
    pub fn compact(
        &self,
        households: &[tsunagu::household::Household],
        s: &r::Situation,
    ) -> Result<CompactBriefs> {
        let n = households.len();
        let mut codes = Codes {
            index: HashMap::new(),
            codes: Vec::new(),
        };
        let mut rec_start = Vec::with_capacity(n + 1);
        let mut id_start = Vec::with_capacity(n + 1);
        let mut recs: Vec<u8> = Vec::with_capacity(n * 30);
        let mut ids: Vec<u8> = Vec::with_capacity(n * 8);
        let mut m: u32 = 0;
        let mut scratch = r::Scratch::new();
        for h in households {
            rec_start.push(m);
            id_start.push(u32::try_from(ids.len()).map_err(|_| too_big())?);
            ids.extend_from_slice(h.id.as_str().as_bytes());
            for x in self.core().matches(h, s, &mut scratch) {
                let (rule, agency, project, meeting) = self.outcome(x, s);
                for v in [
                    codes.of(Some(rule))?,
                    codes.of(agency)?,
                    codes.of(project)?,
                    codes.of(meeting)?,
                    urgency_byte(x.urgency),
                ] {
                    recs.extend_from_slice(&v.to_le_bytes());
                }
                m = m.checked_add(1).ok_or_else(too_big)?;
            }
        }
        rec_start.push(m);
        id_start.push(u32::try_from(ids.len()).map_err(|_| too_big())?);
        let n32 = u32::try_from(n).map_err(|_| too_big())?;
        let mut data = Vec::with_capacity(8 + 8 * (n + 1) + recs.len() + ids.len());
        data.extend_from_slice(&n32.to_le_bytes());
        data.extend_from_slice(&m.to_le_bytes());
        for v in rec_start.iter().chain(&id_start) {
            data.extend_from_slice(&v.to_le_bytes());
        }
        data.extend_from_slice(&recs);
        data.extend_from_slice(&ids);
        u32::try_from(data.len()).map_err(|_| too_big())?;
        Ok(CompactBriefs {
            codes: codes.codes,
            data,
        })
    }
}

#[uniffi::export]
impl Router {
    /// The lean batch, compactly: the same results as [`Router::route_batch_json`] (and so
    /// [`Router::route_batch_brief`]) for a JSON array of households, returned as a code table
    /// and one byte array (read them through `RoutingBriefs` in Kotlin and Swift). For lists of
    /// thousands of households: the result crosses the boundary as one buffer.
    /// `malformed_document` with the path (`$[3].members[0].relation`) when it does not parse.
    pub fn route_batch_compact(
        &self,
        households_json: String,
        situation: Situation,
    ) -> Result<CompactBriefs> {
        crate::guard::guarded(|| {
            let hs = crate::routing::households_document(&households_json)?;
            self.compact(&hs, &situation)
        })
    }
}

impl CompactBriefs {
    fn u32_at(&self, offset: usize) -> u32 {
        let b = &self.data[offset..offset + 4];
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    }
    fn u16_at(&self, offset: usize) -> u16 {
        u16::from_le_bytes([self.data[offset], self.data[offset + 1]])
    }
    fn code(&self, i: u16) -> Option<String> {
        (i != NONE).then(|| self.codes[i as usize].clone())
    }

    /// Number of households.
    pub fn len(&self) -> usize {
        self.u32_at(0) as usize
    }

    /// True when the batch had no household.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The brief routing of household `i` (in input order), `None` past the end.
    pub fn get(&self, i: usize) -> Option<RoutingBrief> {
        let n = self.len();
        if i >= n {
            return None;
        }
        let m = self.u32_at(4) as usize;
        let rec_table = 8;
        let id_table = rec_table + 4 * (n + 1);
        let recs = id_table + 4 * (n + 1);
        let id_area = recs + 10 * m;
        let (r0, r1) = (
            self.u32_at(rec_table + 4 * i) as usize,
            self.u32_at(rec_table + 4 * i + 4) as usize,
        );
        let (i0, i1) = (
            self.u32_at(id_table + 4 * i) as usize,
            self.u32_at(id_table + 4 * i + 4) as usize,
        );
        let household = String::from_utf8_lossy(&self.data[id_area + i0..id_area + i1]).into();
        let recommendations = (r0..r1)
            .enumerate()
            .map(|(k, j)| {
                let o = recs + 10 * j;
                RecommendationBrief {
                    rank: k as u32 + 1,
                    rule: self.code(self.u16_at(o)).unwrap_or_default(),
                    agency_kind: self.code(self.u16_at(o + 2)),
                    project: self.code(self.u16_at(o + 4)),
                    meeting: self.code(self.u16_at(o + 6)),
                    urgency: match self.u16_at(o + 8) {
                        0 => Urgency::Immediate,
                        1 => Urgency::High,
                        _ => Urgency::Normal,
                    },
                }
            })
            .collect();
        Some(RoutingBrief {
            household,
            recommendations,
        })
    }

    /// Every household's brief routing, in input order.
    pub fn to_briefs(&self) -> Vec<RoutingBrief> {
        (0..self.len()).filter_map(|i| self.get(i)).collect()
    }
}
