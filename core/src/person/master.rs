//! The person master (個人台帳): every person record once, across households and windows, with
//! its earlier versions, the merges (名寄せ) and splits between records, and the search index.
//!
//! **Merge and split keep every record.** Merging `merged` into `survivor` changes neither
//! record: `merged` is marked as merged, resolves to `survivor` ([`PersonMaster::resolve`]; a
//! chain of merges resolves to its end), can no longer be updated or merged, and stays in the
//! search index so that its spellings, phones and numbers still find the survivor. Splitting
//! undoes one merge: the record is a person of its own again, the merge record keeps its split
//! date, and the pair is remembered as two persons, so 名寄せ does not propose it again.
//! Updating a record keeps the version it replaced with the date it was replaced.

use super::dedup::{candidates, CandidatePair, CandidateWeights, MatchReason};
use super::index::{MatchKeys, Normalised, PersonIndex, PersonQuery};
use super::names::{KanjiVariants, KanjiVariantsDocument};
use super::record::PersonRecord;
use super::PersonError;
use crate::ids::PersonId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A version of a record that an update replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonVersion {
    /// The day the update replaced it.
    pub replaced_on: NaiveDate,
    /// The record as it was.
    pub record: PersonRecord,
}

/// One person record in the master, with its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonEntry {
    /// The record as it is now.
    pub record: PersonRecord,
    /// The day it was registered.
    pub registered_on: NaiveDate,
    /// Earlier versions, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<PersonVersion>,
    /// The person this record was merged into, while merged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<PersonId>,
}

/// A merge of two records (名寄せの記録), kept after a split.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRecord {
    /// The record that stays.
    pub survivor: PersonId,
    /// The record merged into it.
    pub merged: PersonId,
    /// The day the worker decided the merge.
    pub on: NaiveDate,
    /// The reasons the worker recorded (usually the candidate's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<MatchReason>,
    /// The day the merge was undone, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split_on: Option<NaiveDate>,
}

/// The result of a search: the persons found (merged records resolved to their survivors, each
/// person once) and whether more matched than the limit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonSearch<'a> {
    /// The persons, in the index's order (see [`PersonIndex`]).
    pub persons: Vec<&'a PersonRecord>,
    /// More persons matched than the limit allowed.
    pub truncated: bool,
}

/// The person master.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PersonMaster {
    entries: BTreeMap<PersonId, PersonEntry>,
    merges: Vec<MergeRecord>,
    /// Pairs (smaller id first) recorded as two persons by a split.
    distinct: BTreeSet<(PersonId, PersonId)>,
    /// The municipality's extensions of the kanji-variant table, in the order given.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    variant_extensions: Vec<KanjiVariantsDocument>,
    /// The table in force: the built-in one with `variant_extensions`.
    #[serde(skip)]
    variants: KanjiVariants,
    #[serde(skip)]
    index: PersonIndex,
}

impl PartialEq for PersonMaster {
    /// The index and the variant table follow from the records: compared by what is recorded.
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
            && self.merges == other.merges
            && self.distinct == other.distinct
            && self.variant_extensions == other.variant_extensions
    }
}

fn ordered(a: &PersonId, b: &PersonId) -> (PersonId, PersonId) {
    if a <= b {
        (a.clone(), b.clone())
    } else {
        (b.clone(), a.clone())
    }
}

impl PersonMaster {
    /// An empty master with the built-in kanji variants.
    pub fn new() -> Self {
        PersonMaster::default()
    }

    /// The kanji-variant table in force.
    pub fn variants(&self) -> &KanjiVariants {
        &self.variants
    }

    /// Check a municipality's extension of the kanji-variant table (`invalid_variant`).
    pub fn check_variants(
        &self,
        doc: &KanjiVariantsDocument,
    ) -> Result<KanjiVariants, PersonError> {
        self.variants.extended(doc)
    }

    /// Extend the kanji-variant table with a municipality's document: every record's match
    /// keys are computed again (O(n)), so searches and candidates fold the new variants at once.
    pub fn extend_variants(&mut self, doc: &KanjiVariantsDocument) -> Result<(), PersonError> {
        self.variants = self.check_variants(doc)?;
        self.variant_extensions.push(doc.clone());
        for (id, e) in &self.entries {
            self.index
                .upsert(id, MatchKeys::of(&e.record, &self.variants));
        }
        Ok(())
    }

    /// Number of records (merged ones included).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no person is registered.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// A record and its history, by its own id (a merged record too).
    pub fn entry(&self, id: &PersonId) -> Option<&PersonEntry> {
        self.entries.get(id)
    }

    /// Every record, by id.
    pub fn entries(&self) -> impl Iterator<Item = &PersonEntry> {
        self.entries.values()
    }

    /// The id a record resolves to: itself, or the end of its chain of merges. `None` when no
    /// record has this id.
    pub fn resolve<'a>(&'a self, id: &'a PersonId) -> Option<&'a PersonId> {
        let mut at = self.entries.get_key_value(id)?;
        // A chain is at most as long as the number of records (merges never make cycles: a
        // merged record cannot be a survivor).
        while let Some(next) = &at.1.merged_into {
            at = self.entries.get_key_value(next)?;
        }
        Some(at.0)
    }

    /// The current record of the person `id` resolves to.
    pub fn person(&self, id: &PersonId) -> Option<&PersonRecord> {
        let root = self.resolve(id)?;
        self.entries.get(root).map(|e| &e.record)
    }

    /// Every merge, in the order recorded.
    pub fn merges(&self) -> &[MergeRecord] {
        &self.merges
    }

    /// The merges that concern `id`: those of every record that resolves to the same person,
    /// and those in which `id` took part (split ones included), in the order recorded.
    pub fn merge_history(&self, id: &PersonId) -> Vec<&MergeRecord> {
        let Some(root) = self.resolve(id) else {
            return Vec::new();
        };
        let cluster: BTreeSet<&PersonId> = self
            .entries
            .keys()
            .filter(|k| self.resolve(k) == Some(root))
            .chain(std::iter::once(id))
            .collect();
        self.merges
            .iter()
            .filter(|m| cluster.contains(&m.survivor) || cluster.contains(&m.merged))
            .collect()
    }

    /// Register `record` on `today` (the registry has checked that its id is new).
    pub fn register(&mut self, record: PersonRecord, today: NaiveDate) {
        self.index
            .upsert(&record.id, MatchKeys::of(&record, &self.variants));
        self.entries.insert(
            record.id.clone(),
            PersonEntry {
                record,
                registered_on: today,
                versions: Vec::new(),
                merged_into: None,
            },
        );
    }

    /// Refuse a change to a merged record (`already_merged` at `path`).
    pub fn check_not_merged(&self, id: &PersonId, path: &str) -> Result<(), PersonError> {
        match self.entries.get(id).and_then(|e| e.merged_into.as_ref()) {
            Some(into) => Err(PersonError::AlreadyMerged {
                id: id.clone(),
                into: into.clone(),
                path: path.into(),
            }),
            None => Ok(()),
        }
    }

    /// Replace a registered, unmerged record on `today`, keeping the version it replaces.
    pub fn update(&mut self, record: PersonRecord, today: NaiveDate) -> Result<(), PersonError> {
        self.check_not_merged(&record.id, "$.id")?;
        let Some(entry) = self.entries.get_mut(&record.id) else {
            return Ok(());
        };
        self.index
            .upsert(&record.id, MatchKeys::of(&record, &self.variants));
        let old = std::mem::replace(&mut entry.record, record);
        entry.versions.push(PersonVersion {
            replaced_on: today,
            record: old,
        });
        Ok(())
    }

    /// Check a merge of `merged` into `survivor` (both registered): not the same record
    /// (`self_reference`), neither already merged (`already_merged`).
    pub fn check_merge(&self, survivor: &PersonId, merged: &PersonId) -> Result<(), PersonError> {
        if survivor == merged {
            return Err(PersonError::SelfMerge {
                id: merged.clone(),
                path: "$.merged".into(),
            });
        }
        self.check_not_merged(survivor, "$.survivor")?;
        self.check_not_merged(merged, "$.merged")
    }

    /// Merge `merged` into `survivor` on `on` (after [`PersonMaster::check_merge`]).
    pub fn merge(
        &mut self,
        survivor: &PersonId,
        merged: &PersonId,
        on: NaiveDate,
        reasons: Vec<MatchReason>,
    ) -> Result<(), PersonError> {
        self.check_merge(survivor, merged)?;
        if let Some(e) = self.entries.get_mut(merged) {
            e.merged_into = Some(survivor.clone());
        }
        self.distinct.remove(&ordered(survivor, merged));
        self.merges.push(MergeRecord {
            survivor: survivor.clone(),
            merged: merged.clone(),
            on,
            reasons,
            split_on: None,
        });
        Ok(())
    }

    /// Check a split of the merged record `id` on `on`: it is merged (`not_merged`) and `on` is
    /// not before the merge (`date_out_of_order`).
    pub fn check_split(&self, id: &PersonId, on: NaiveDate) -> Result<usize, PersonError> {
        let live = self
            .merges
            .iter()
            .rposition(|m| &m.merged == id && m.split_on.is_none())
            .filter(|_| {
                self.entries
                    .get(id)
                    .is_some_and(|e| e.merged_into.is_some())
            });
        let Some(i) = live else {
            return Err(PersonError::NotMerged {
                id: id.clone(),
                path: "$.person".into(),
            });
        };
        if on < self.merges[i].on {
            return Err(PersonError::DateOutOfOrder {
                on,
                last: self.merges[i].on,
                path: "$.on".into(),
            });
        }
        Ok(i)
    }

    /// Split the merged record `id` from the person it was merged into, on `on`.
    pub fn split(&mut self, id: &PersonId, on: NaiveDate) -> Result<(), PersonError> {
        let i = self.check_split(id, on)?;
        let m = &mut self.merges[i];
        m.split_on = Some(on);
        let pair = ordered(&m.survivor, &m.merged);
        if let Some(e) = self.entries.get_mut(id) {
            e.merged_into = None;
        }
        self.distinct.insert(pair);
        Ok(())
    }

    /// Search the persons (see [`PersonQuery`]): `empty_query` when no criterion is given.
    pub fn search(&self, query: &PersonQuery) -> Result<PersonSearch<'_>, PersonError> {
        let q = Normalised::new(query, &self.variants)?;
        let limit = query.limit.unwrap_or(PersonQuery::DEFAULT_LIMIT);
        let mut seen = BTreeSet::new();
        let mut persons = Vec::new();
        let mut truncated = false;
        for id in self.index.search(&q) {
            let Some(root) = self.resolve(id) else {
                continue;
            };
            if !seen.insert(root) {
                continue;
            }
            if persons.len() == limit {
                truncated = true;
                break;
            }
            if let Some(e) = self.entries.get(root) {
                persons.push(&e.record);
            }
        }
        Ok(PersonSearch { persons, truncated })
    }

    /// 名寄せ candidates among the persons not merged into another (see [`super::dedup`]).
    pub fn duplicate_candidates(&self, weights: &CandidateWeights) -> Vec<CandidatePair> {
        let active = self.index.entries().filter(|(id, _)| {
            self.entries
                .get(*id)
                .is_some_and(|e| e.merged_into.is_none())
        });
        candidates(active, &self.distinct, weights)
    }
}
