//! 名寄せ (duplicate detection): candidate pairs of person records that may be one person, each
//! with a score and the reasons for it. A candidate is only a suggestion: records are merged by a
//! worker's `merge_persons` command, never by this module.
//!
//! **Blocking.** Comparing every pair of 1,000,000 records is 5·10¹¹ comparisons, so each record
//! is given block keys and only records sharing a key are compared:
//!
//! | block key | finds |
//! |---|---|
//! | reading key + birth date | the same reading and birth date |
//! | name key + birth date | the same name and birth date (a record with no reading) |
//! | phone digits | the same phone |
//! | 宛名番号 | the same 宛名番号 |
//! | small area + name key | the same name in the same small area |
//! | small area + reading (or name) key with one character deleted | a similar name in the same small area (one kana or kanji added, dropped or changed) |
//!
//! The last is the symmetric-deletion trick: two strings within one edit of each other share a
//! one-deletion variant. Block keys are hashed to 64 bits, sorted and grouped; a pair found in a
//! block is then scored on the records' own keys, so a hash collision can only cost time.
//! A block of more than [`CandidateWeights::max_block`] records is skipped: a key that many
//! share is no evidence (a care home's phone, サトー in a large area).
//!
//! **Scoring** (weights as data, [`CandidateWeights`]): the positive reasons add, and two pieces
//! of counter-evidence subtract — both birth dates known and different, both sexes recorded and
//! different. Pairs scoring below `min_score` are dropped. Pairs are ordered by score (highest
//! first), then by the two ids.
//!
//! Pairs recorded as distinct persons (a split undoes a merge, and says they are two) are not
//! proposed again.

use super::index::MatchKeys;
use super::record::Sex;
use crate::ids::PersonId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};

/// Why two records may be one person (名寄せの根拠), or why they may not.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum MatchReason {
    /// The same 宛名番号.
    SameResidentNumber,
    /// The same reading (normalised) and birth date.
    SameReadingAndBirthDate,
    /// The same name (normalised, variants folded) and birth date.
    SameNameAndBirthDate,
    /// A phone number in common.
    SamePhone,
    /// The same name (normalised) in the same small area.
    SameNameInArea,
    /// A name or reading within one character of the other's, in the same small area.
    SimilarNameInArea,
    /// Counter-evidence: both birth dates known and different.
    DifferentBirthDate,
    /// Counter-evidence: both sexes recorded and different.
    DifferentSex,
}

/// Weights of the reasons and the limits of candidate generation; a municipality may tune them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct CandidateWeights {
    /// [`MatchReason::SameResidentNumber`].
    pub same_resident_number: i32,
    /// [`MatchReason::SameReadingAndBirthDate`].
    pub same_reading_and_birth_date: i32,
    /// [`MatchReason::SameNameAndBirthDate`].
    pub same_name_and_birth_date: i32,
    /// [`MatchReason::SamePhone`].
    pub same_phone: i32,
    /// [`MatchReason::SameNameInArea`].
    pub same_name_in_area: i32,
    /// [`MatchReason::SimilarNameInArea`].
    pub similar_name_in_area: i32,
    /// [`MatchReason::DifferentBirthDate`] (negative).
    pub different_birth_date: i32,
    /// [`MatchReason::DifferentSex`] (negative).
    pub different_sex: i32,
    /// Pairs scoring below this are dropped.
    pub min_score: i32,
    /// Blocks larger than this are skipped.
    pub max_block: usize,
}

impl Default for CandidateWeights {
    /// Decided as a practitioner weighs them: an id the municipality issued is the strongest
    /// sign; a reading or name with a birth date is nearly as strong (the 髙橋/高橋 case); a shared
    /// phone is a household's as often as a person's; a name in the same small area is a
    /// neighbour as often as the same person. Different birth dates almost rule a pair out.
    fn default() -> Self {
        CandidateWeights {
            same_resident_number: 60,
            same_reading_and_birth_date: 50,
            same_name_and_birth_date: 45,
            same_phone: 25,
            same_name_in_area: 30,
            similar_name_in_area: 15,
            different_birth_date: -40,
            different_sex: -30,
            min_score: 25,
            max_block: 64,
        }
    }
}

impl CandidateWeights {
    fn weight(&self, r: MatchReason) -> i32 {
        match r {
            MatchReason::SameResidentNumber => self.same_resident_number,
            MatchReason::SameReadingAndBirthDate => self.same_reading_and_birth_date,
            MatchReason::SameNameAndBirthDate => self.same_name_and_birth_date,
            MatchReason::SamePhone => self.same_phone,
            MatchReason::SameNameInArea => self.same_name_in_area,
            MatchReason::SimilarNameInArea => self.similar_name_in_area,
            MatchReason::DifferentBirthDate => self.different_birth_date,
            MatchReason::DifferentSex => self.different_sex,
        }
    }
}

/// A pair of records that may be one person (名寄せ候補).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CandidatePair {
    /// The smaller id.
    pub a: PersonId,
    /// The larger id.
    pub b: PersonId,
    /// The sum of the reasons' weights.
    pub score: i32,
    /// The reasons, counter-evidence included, in a fixed order.
    pub reasons: Vec<MatchReason>,
}

/// Whether two strings are within one edit (insert, delete or substitute one character).
fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (s, l) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if l.len() - s.len() > 1 {
        return false;
    }
    let prefix = s.iter().zip(l.iter()).take_while(|(x, y)| x == y).count();
    if s.len() == l.len() {
        s[prefix..].iter().skip(1).eq(l[prefix..].iter().skip(1))
    } else {
        s[prefix..].iter().eq(l[prefix + 1..].iter())
    }
}

/// Minimum length (in characters) of a reading or name key for the similarity block: shorter
/// keys are one edit from too many others.
const MIN_SIMILAR_LEN: usize = 3;

/// The reasons two records may be one person (and the counter-evidence), in a fixed order.
pub fn reasons(x: &MatchKeys, y: &MatchKeys) -> Vec<MatchReason> {
    let shares = |a: &[String], b: &[String]| a.iter().any(|k| b.contains(k));
    let same_birth = x.birth_date.is_some() && x.birth_date == y.birth_date;
    let same_area = x.small_area.is_some() && x.small_area == y.small_area;
    let same_name = shares(&x.names, &y.names);
    let mut out = Vec::new();
    if x.resident_number.is_some() && x.resident_number == y.resident_number {
        out.push(MatchReason::SameResidentNumber);
    }
    if same_birth && shares(&x.readings, &y.readings) {
        out.push(MatchReason::SameReadingAndBirthDate);
    }
    if same_birth && same_name {
        out.push(MatchReason::SameNameAndBirthDate);
    }
    if shares(&x.phones, &y.phones) {
        out.push(MatchReason::SamePhone);
    }
    if same_area && same_name {
        out.push(MatchReason::SameNameInArea);
    }
    let similar = |a: &[String], b: &[String]| {
        a.iter().any(|k| {
            b.iter().any(|l| {
                k.chars().count() >= MIN_SIMILAR_LEN
                    && l.chars().count() >= MIN_SIMILAR_LEN
                    && within_one_edit(k, l)
            })
        })
    };
    if same_area && !same_name && (similar(&x.readings, &y.readings) || similar(&x.names, &y.names))
    {
        out.push(MatchReason::SimilarNameInArea);
    }
    if matches!((x.birth_date, y.birth_date), (Some(a), Some(b)) if a != b) {
        out.push(MatchReason::DifferentBirthDate);
    }
    let recorded = |s: Sex| s != Sex::NotRecorded;
    if recorded(x.sex) && recorded(y.sex) && x.sex != y.sex {
        out.push(MatchReason::DifferentSex);
    }
    out
}

/// Score a pair: `None` when no positive reason holds or the score is below the minimum.
pub fn score(
    x: &MatchKeys,
    y: &MatchKeys,
    weights: &CandidateWeights,
) -> Option<(i32, Vec<MatchReason>)> {
    let rs = reasons(x, y);
    let positive = rs.iter().any(|r| {
        !matches!(
            r,
            MatchReason::DifferentBirthDate | MatchReason::DifferentSex
        )
    });
    let s: i32 = rs.iter().map(|&r| weights.weight(r)).sum();
    (positive && s >= weights.min_score).then_some((s, rs))
}

/// A 64-bit block key (deterministic: the standard SipHash with fixed keys).
fn block(tag: u8, parts: &[&str]) -> u64 {
    #[allow(deprecated)]
    let mut h = std::hash::SipHasher::new();
    tag.hash(&mut h);
    for p in parts {
        p.hash(&mut h);
    }
    h.finish()
}

/// The strings one character shorter than `s` (each position deleted once), and `s` itself.
fn deletions(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = vec![s.to_string()];
    for i in 0..chars.len() {
        let d: String = chars[..i].iter().chain(&chars[i + 1..]).collect();
        if !out.contains(&d) {
            out.push(d);
        }
    }
    out
}

/// The block keys of one record.
fn block_keys(k: &MatchKeys, out: &mut Vec<u64>) {
    if let Some(d) = k.birth_date {
        let d = d.to_string();
        for r in &k.readings {
            out.push(block(1, &[r, &d]));
        }
        for n in &k.names {
            out.push(block(2, &[n, &d]));
        }
    }
    for p in &k.phones {
        out.push(block(3, &[p]));
    }
    if let Some(r) = &k.resident_number {
        out.push(block(4, &[r.as_str()]));
    }
    if let Some(a) = &k.small_area {
        for n in &k.names {
            out.push(block(5, &[a.as_str(), n]));
        }
        for (tag, keys) in [(6, &k.readings), (7, &k.names)] {
            for key in keys {
                if key.chars().count() >= MIN_SIMILAR_LEN {
                    for d in deletions(key) {
                        out.push(block(tag, &[a.as_str(), &d]));
                    }
                }
            }
        }
    }
}

/// Candidate pairs among `records` (the persons not merged into another), excluding the pairs in
/// `distinct` (smaller id first). See the module doc for blocking, scoring and order.
pub fn candidates<'a>(
    records: impl IntoIterator<Item = (&'a PersonId, &'a MatchKeys)>,
    distinct: &BTreeSet<(PersonId, PersonId)>,
    weights: &CandidateWeights,
) -> Vec<CandidatePair> {
    let mut records: Vec<(&PersonId, &MatchKeys)> = records.into_iter().collect();
    records.sort_by(|a, b| a.0.cmp(b.0));
    let mut blocks: Vec<(u64, u32)> = Vec::with_capacity(records.len() * 8);
    let mut buf = Vec::new();
    for (slot, (_, k)) in records.iter().enumerate() {
        buf.clear();
        block_keys(k, &mut buf);
        buf.sort_unstable();
        buf.dedup();
        blocks.extend(buf.iter().map(|&h| (h, slot as u32)));
    }
    blocks.sort_unstable();
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for group in blocks.chunk_by(|a, b| a.0 == b.0) {
        if group.len() < 2 || group.len() > weights.max_block {
            continue;
        }
        for (i, &(_, x)) in group.iter().enumerate() {
            for &(_, y) in &group[i + 1..] {
                pairs.push((x, y));
            }
        }
    }
    drop(blocks);
    pairs.sort_unstable();
    pairs.dedup();
    let mut out: Vec<CandidatePair> = pairs
        .into_iter()
        .filter_map(|(x, y)| {
            let (a, ka) = records[x as usize];
            let (b, kb) = records[y as usize];
            if distinct.contains(&(a.clone(), b.clone())) {
                return None;
            }
            let (score, reasons) = score(ka, kb, weights)?;
            Some(CandidatePair {
                a: a.clone(),
                b: b.clone(),
                score,
                reasons,
            })
        })
        .collect();
    out.sort_by(|p, q| {
        q.score
            .cmp(&p.score)
            .then_with(|| p.a.cmp(&q.a))
            .then_with(|| p.b.cmp(&q.b))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn one_edit() {
        assert!(within_one_edit("タカハシ", "タカハシ"));
        assert!(within_one_edit("タカハシ", "タカバシ"));
        assert!(within_one_edit("タカハシ", "タカハ"));
        assert!(within_one_edit("タカハシ", "タカハシイ"));
        assert!(!within_one_edit("タカハシ", "タナハカ"));
        assert!(!within_one_edit("タカハシ", "タカ"));
    }

    proptest! {
        #[test]
        fn one_edit_agrees_with_deletions(a in "[アイウ]{3,6}", b in "[アイウ]{3,6}") {
            // Within one edit ⇒ a shared one-deletion variant (the blocking is complete).
            if within_one_edit(&a, &b) {
                let da = deletions(&a);
                prop_assert!(deletions(&b).iter().any(|d| da.contains(d)));
            }
        }
    }
}
