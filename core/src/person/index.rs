//! The person search index (検索索引): incremental (a record is inserted, replaced or removed as
//! it changes), over the match keys of every name and reading of a record (main, former and
//! alias), its birth date, small area and phone digits. Searches combine criteria; results come in
//! a fixed order that does not depend on the order records were added.
//!
//! Keys are kept in ordered sets, so a kana or name prefix is a range scan (O(log n + k)) and an
//! exact key (phone, birth date, area) is one lookup. Ids are shared (`Arc`) between the sets.

use super::names::{reading_key, KanjiVariants};
use super::record::{phone_digits, PersonRecord, ResidentNumber, Sex};
use super::PersonError;
use crate::ids::{AreaCode, PersonId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;
use std::sync::Arc;

/// The match keys of one record: what the index and 名寄せ compare.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MatchKeys {
    /// Reading keys of every name (main first), deduplicated.
    pub readings: Vec<String>,
    /// Name keys of every name (main first), deduplicated.
    pub names: Vec<String>,
    /// Birth date.
    pub birth_date: Option<NaiveDate>,
    /// Small area.
    pub small_area: Option<AreaCode>,
    /// Phone digits, deduplicated.
    pub phones: Vec<String>,
    /// 宛名番号.
    pub resident_number: Option<ResidentNumber>,
    /// Sex as recorded.
    pub sex: Sex,
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !s.is_empty() && !v.contains(&s) {
        v.push(s);
    }
}

impl MatchKeys {
    /// The keys of `record` under the variant table `variants`.
    pub fn of(record: &PersonRecord, variants: &KanjiVariants) -> MatchKeys {
        let mut k = MatchKeys {
            birth_date: record.birth_date,
            small_area: record.small_area().cloned(),
            resident_number: record.resident_number.clone(),
            sex: record.sex,
            ..MatchKeys::default()
        };
        for (name, reading) in record.names() {
            if let Some(n) = name {
                push_unique(&mut k.names, variants.name_key(n));
            }
            if let Some(r) = reading {
                push_unique(&mut k.readings, reading_key(r));
            }
        }
        for p in &record.phones {
            push_unique(&mut k.phones, phone_digits(p));
        }
        k
    }
}

/// A person search (個人検索): every criterion given must hold; at least one is needed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonQuery {
    /// Prefix of a reading, in kana of either script and width (`たかは`, `ﾀｶﾊ`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<String>,
    /// Prefix of a name as written, variants folded (`髙橋` finds 高橋花子).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Birth date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<NaiveDate>,
    /// Small area.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub small_area: Option<AreaCode>,
    /// Phone number; its digits are compared (`090-1234-5678` = `09012345678`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// At most this many persons ([`PersonQuery::DEFAULT_LIMIT`] when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
}

impl PersonQuery {
    /// Results when no limit is given.
    pub const DEFAULT_LIMIT: usize = 100;
}

/// A query with its keys normalised.
#[derive(Debug, Clone)]
pub(crate) struct Normalised {
    reading: Option<String>,
    name: Option<String>,
    birth_date: Option<NaiveDate>,
    small_area: Option<AreaCode>,
    phone: Option<String>,
}

impl Normalised {
    /// Normalise `q`; `empty_query` when no criterion is left.
    pub(crate) fn new(q: &PersonQuery, variants: &KanjiVariants) -> Result<Self, PersonError> {
        let non_empty = |s: String| (!s.is_empty()).then_some(s);
        let n = Normalised {
            reading: q.reading.as_deref().map(reading_key).and_then(non_empty),
            name: q
                .name
                .as_deref()
                .map(|s| variants.name_key(s))
                .and_then(non_empty),
            birth_date: q.birth_date,
            small_area: q.small_area.clone(),
            phone: q.phone.as_deref().map(phone_digits).and_then(non_empty),
        };
        if n.reading.is_none()
            && n.name.is_none()
            && n.birth_date.is_none()
            && n.small_area.is_none()
            && n.phone.is_none()
        {
            return Err(PersonError::EmptyQuery);
        }
        Ok(n)
    }

    fn accepts(&self, k: &MatchKeys) -> bool {
        self.reading
            .as_ref()
            .is_none_or(|p| k.readings.iter().any(|r| r.starts_with(p.as_str())))
            && self
                .name
                .as_ref()
                .is_none_or(|p| k.names.iter().any(|n| n.starts_with(p.as_str())))
            && self.birth_date.is_none_or(|d| k.birth_date == Some(d))
            && self
                .small_area
                .as_ref()
                .is_none_or(|a| k.small_area.as_ref() == Some(a))
            && self
                .phone
                .as_ref()
                .is_none_or(|p| k.phones.iter().any(|x| x == p))
    }
}

type Id = Arc<PersonId>;

/// The incremental search index over person records.
#[derive(Debug, Clone, Default)]
pub struct PersonIndex {
    keys: HashMap<Id, MatchKeys>,
    readings: BTreeSet<(Box<str>, Id)>,
    names: BTreeSet<(Box<str>, Id)>,
    births: BTreeMap<NaiveDate, BTreeSet<Id>>,
    areas: BTreeMap<AreaCode, BTreeSet<Id>>,
    phones: BTreeMap<Box<str>, BTreeSet<Id>>,
}

/// Iterate the ids of `set` whose key starts with `prefix`, in key order.
fn prefix_scan<'a>(
    set: &'a BTreeSet<(Box<str>, Id)>,
    prefix: &'a str,
) -> impl Iterator<Item = &'a Id> + 'a {
    let start: (Box<str>, Id) = (prefix.into(), Arc::new(PersonId::new("")));
    set.range((Bound::Included(start), Bound::Unbounded))
        .take_while(move |(k, _)| k.starts_with(prefix))
        .map(|(_, id)| id)
}

impl PersonIndex {
    /// An empty index.
    pub fn new() -> Self {
        PersonIndex::default()
    }

    /// Number of records indexed.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no record is indexed.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The keys of an indexed record.
    pub fn keys(&self, id: &PersonId) -> Option<&MatchKeys> {
        self.keys.get(id)
    }

    /// Every indexed record with its keys (in no particular order).
    pub fn entries(&self) -> impl Iterator<Item = (&PersonId, &MatchKeys)> {
        self.keys.iter().map(|(id, k)| (id.as_ref(), k))
    }

    /// Insert or replace the record `id` with `keys`.
    pub fn upsert(&mut self, id: &PersonId, keys: MatchKeys) {
        let id: Id = match self.keys.get_key_value(id) {
            Some((shared, _)) => shared.clone(),
            None => Arc::new(id.clone()),
        };
        self.remove(&id);
        for r in &keys.readings {
            self.readings.insert((r.as_str().into(), id.clone()));
        }
        for n in &keys.names {
            self.names.insert((n.as_str().into(), id.clone()));
        }
        if let Some(d) = keys.birth_date {
            self.births.entry(d).or_default().insert(id.clone());
        }
        if let Some(a) = &keys.small_area {
            self.areas.entry(a.clone()).or_default().insert(id.clone());
        }
        for p in &keys.phones {
            self.phones
                .entry(p.as_str().into())
                .or_default()
                .insert(id.clone());
        }
        self.keys.insert(id, keys);
    }

    /// Remove the record `id` (nothing when it is not indexed).
    pub fn remove(&mut self, id: &PersonId) {
        let Some((shared, keys)) = self.keys.remove_entry(id) else {
            return;
        };
        for r in keys.readings {
            self.readings.remove(&(r.into_boxed_str(), shared.clone()));
        }
        for n in keys.names {
            self.names.remove(&(n.into_boxed_str(), shared.clone()));
        }
        fn drop_from<K: Ord>(map: &mut BTreeMap<K, BTreeSet<Id>>, key: &K, id: &Id) {
            if let Some(set) = map.get_mut(key) {
                set.remove(id);
                if set.is_empty() {
                    map.remove(key);
                }
            }
        }
        if let Some(d) = keys.birth_date {
            drop_from(&mut self.births, &d, &shared);
        }
        if let Some(a) = &keys.small_area {
            drop_from(&mut self.areas, a, &shared);
        }
        for p in keys.phones {
            drop_from(&mut self.phones, &p.into_boxed_str(), &shared);
        }
    }

    /// The records matching `q`, lazily, each once. Order: by the key of the most selective
    /// criterion given — phone, then birth date, then name prefix, then reading prefix, then
    /// small area — and within one key by id (a name or reading prefix runs in key order, so
    /// results come in あいうえお order of the matched reading).
    pub(crate) fn search<'a>(
        &'a self,
        q: &'a Normalised,
    ) -> Box<dyn Iterator<Item = &'a PersonId> + 'a> {
        let empty = || Box::new(std::iter::empty()) as Box<dyn Iterator<Item = &'a Id> + 'a>;
        let driver: Box<dyn Iterator<Item = &'a Id> + 'a> = if let Some(p) = &q.phone {
            match self.phones.get(p.as_str()) {
                Some(s) => Box::new(s.iter()),
                None => empty(),
            }
        } else if let Some(d) = q.birth_date {
            match self.births.get(&d) {
                Some(s) => Box::new(s.iter()),
                None => empty(),
            }
        } else if let Some(n) = &q.name {
            Box::new(prefix_scan(&self.names, n))
        } else if let Some(r) = &q.reading {
            Box::new(prefix_scan(&self.readings, r))
        } else if let Some(a) = &q.small_area {
            match self.areas.get(a) {
                Some(s) => Box::new(s.iter()),
                None => empty(),
            }
        } else {
            empty()
        };
        let mut seen: BTreeSet<&'a PersonId> = BTreeSet::new();
        Box::new(driver.filter_map(move |id| {
            let keys = self.keys.get(id)?;
            (q.accepts(keys) && seen.insert(id.as_ref())).then_some(id.as_ref())
        }))
    }
}
