//! Id tables (ID表): the dense, numbered tables of facts keyed by id that the fold, the ledger
//! and the export keep (cases, persons, referrals, contacts per agency: [`IdTable`], [`IdMap`]),
//! the deterministic hasher behind them, and the built-in vocabularies parsed once per process.
//!
//! **Choice.** The std `SipHash` resists hash flooding but costs several times more per short
//! key than the fold's other work; the keys here are ids from the municipality's own journal (not
//! attacker-controlled input to a network service), so an FxHash-style multiply-rotate hash over
//! 8-byte words is used instead — no new dependency, and the same hash on every platform (so
//! iteration order, where anything depends on it, is reproducible). Nothing depends on iteration
//! order for correctness: the fold only counts, and lists built from maps are sorted.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

const K: u64 = 0x517c_c1b7_2722_0a95;

/// FxHash-style hasher (see the module docs).
#[derive(Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl IdHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for IdHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // The tail's length in the top byte: "c1" and "c1\0" hash apart.
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            w[7] = rest.len() as u8;
            self.add(u64::from_le_bytes(w));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    /// The state, finalised (a multiply's low bits depend only on its input's low bits, so ids
    /// sharing a prefix would cluster in a table indexed by the low bits — `std`'s `HashMap`
    /// and [`IdTable`] both are).
    #[inline]
    fn finish(&self) -> u64 {
        let mut x = self.0;
        x ^= x >> 31;
        x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x ^ (x >> 29)
    }
}

/// A `HashMap` with [`IdHasher`].
pub(crate) type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// The [`IdHasher`] hash of an id (finalised, as every [`IdHasher::finish`]).
#[inline]
pub(crate) fn hash_id(id: &str) -> u64 {
    let mut h = IdHasher::default();
    h.write(id.as_bytes());
    h.finish()
}

const EMPTY: u32 = u32::MAX;

/// One slot of [`IdTable`]'s index: the entry's number and 32 bits of its key's hash (so a probe
/// compares key strings only on a likely match).
#[derive(Clone, Copy)]
struct Slot {
    tag: u32,
    entry: u32,
}

/// A dense table of facts keyed by id (an id interner): entries are numbered `0, 1, 2 …` in
/// the order of their first insertion, keys and values sit in two `Vec`s, and an open-addressing
/// index (linear probing, at most half full) maps a key to its number. Compared with a
/// `HashMap<Id, V>`:
///
/// * the number of the last entry looked up is remembered, so consecutive events about the same
///   case (the usual order of a journal) find it with one string comparison and no hashing;
/// * a key is cloned (allocated) only when it is first inserted;
/// * an entry's number is a stable handle (other facts refer to persons by number, not by a
///   cloned id), valid for the life of the table.
///
/// Equality is by content (the same keys with equal values, whatever the insertion order).
///
/// The index and the keys sit behind an [`Arc`], copied on the first insertion after sharing:
/// [`IdTable::with_shared_keys`] gives another table the same numbering (a [`super::Ledger`]'s
/// ids, say) without cloning a key.
#[derive(Clone)]
pub(crate) struct IdTable<K, V> {
    slots: Arc<Vec<Slot>>,
    keys: Arc<Vec<K>>,
    values: Vec<V>,
    last: u32,
}

impl<K, V> Default for IdTable<K, V> {
    fn default() -> Self {
        IdTable {
            slots: Arc::new(Vec::new()),
            keys: Arc::new(Vec::new()),
            values: Vec::new(),
            last: EMPTY,
        }
    }
}

impl<K: AsRef<str> + Clone, V> IdTable<K, V> {
    /// Number of entries.
    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    /// The slot where `key` is, or the empty slot where it would go.
    #[inline]
    fn probe(&self, key: &str, hash: u64) -> usize {
        let mask = self.slots.len() - 1;
        let tag = (hash >> 32) as u32;
        let mut i = (hash as usize) & mask;
        loop {
            let s = self.slots[i];
            if s.entry == EMPTY || (s.tag == tag && self.keys[s.entry as usize].as_ref() == key) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /// The number of `key`'s entry, if any.
    #[inline]
    pub(crate) fn find(&self, key: &str) -> Option<usize> {
        if let Some(k) = self.keys.get(self.last as usize) {
            if k.as_ref() == key {
                return Some(self.last as usize);
            }
        }
        if self.slots.is_empty() {
            return None;
        }
        let s = self.slots[self.probe(key, hash_id(key))];
        (s.entry != EMPTY).then_some(s.entry as usize)
    }

    /// `key`'s value, if any.
    #[inline]
    pub(crate) fn get(&self, key: &str) -> Option<&V> {
        self.find(key).map(|i| &self.values[i])
    }

    /// Rebuild the index with `n` slots (a power of two, more than twice the entries).
    fn rebuild(&mut self, n: usize) {
        let mut slots = vec![
            Slot {
                tag: 0,
                entry: EMPTY
            };
            n
        ];
        let mask = n - 1;
        for (e, k) in self.keys.iter().enumerate() {
            let h = hash_id(k.as_ref());
            let mut i = (h as usize) & mask;
            while slots[i].entry != EMPTY {
                i = (i + 1) & mask;
            }
            slots[i] = Slot {
                tag: (h >> 32) as u32,
                entry: e as u32,
            };
        }
        self.slots = Arc::new(slots);
    }

    /// A table with this one's keys and numbering (shared, not cloned) and `make()` for every
    /// value.
    pub(crate) fn with_shared_keys<W>(&self, mut make: impl FnMut() -> W) -> IdTable<K, W> {
        IdTable {
            slots: Arc::clone(&self.slots),
            keys: Arc::clone(&self.keys),
            values: (0..self.keys.len()).map(|_| make()).collect(),
            last: EMPTY,
        }
    }

    /// The number of `key`'s entry, inserting `(key.clone(), make())` if absent.
    #[inline]
    pub(crate) fn intern_with(&mut self, key: &K, make: impl FnOnce() -> V) -> usize {
        if let Some(last) = self.keys.get(self.last as usize) {
            if last.as_ref() == key.as_ref() {
                return self.last as usize;
            }
        }
        let (slot, hash) = self.slot_for(key.as_ref());
        self.fill(slot, hash, || key.clone(), make)
    }

    /// The number of `key`'s entry, inserting `(key, make())` if absent.
    #[inline]
    pub(crate) fn intern_owned(&mut self, key: K, make: impl FnOnce() -> V) -> usize {
        let (slot, hash) = self.slot_for(key.as_ref());
        self.fill(slot, hash, move || key, make)
    }

    /// The slot of `k` (or where it goes; the index grown first if needed) and its hash.
    #[inline]
    fn slot_for(&mut self, k: &str) -> (usize, u64) {
        if 2 * (self.keys.len() + 1) > self.slots.len() {
            self.rebuild((self.slots.len() * 2).max(16));
        }
        let h = hash_id(k);
        (self.probe(k, h), h)
    }

    /// The entry in `slot`, inserting `(key(), make())` there if it is empty.
    #[inline]
    fn fill(
        &mut self,
        slot: usize,
        hash: u64,
        key: impl FnOnce() -> K,
        make: impl FnOnce() -> V,
    ) -> usize {
        let s = self.slots[slot];
        let e = if s.entry != EMPTY {
            s.entry
        } else {
            let e = self.keys.len() as u32;
            Arc::make_mut(&mut self.slots)[slot] = Slot {
                tag: (hash >> 32) as u32,
                entry: e,
            };
            Arc::make_mut(&mut self.keys).push(key());
            self.values.push(make());
            e
        };
        self.last = e;
        e as usize
    }

    /// `key`'s value, inserting `make()` if absent.
    #[inline]
    pub(crate) fn get_or_insert_with(&mut self, key: &K, make: impl FnOnce() -> V) -> &mut V {
        let i = self.intern_with(key, make);
        &mut self.values[i]
    }

    /// `key`'s value, inserting `(key, make())` if absent.
    #[inline]
    pub(crate) fn get_or_insert_owned(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        let i = self.intern_owned(key, make);
        &mut self.values[i]
    }

    /// The key of entry `i`.
    pub(crate) fn key(&self, i: usize) -> &K {
        &self.keys[i]
    }

    /// The value of entry `i`.
    pub(crate) fn value(&self, i: usize) -> &V {
        &self.values[i]
    }

    /// The value of entry `i`, mutably.
    pub(crate) fn value_mut(&mut self, i: usize) -> &mut V {
        &mut self.values[i]
    }

    /// Reserve room for `n` more entries.
    pub(crate) fn reserve(&mut self, n: usize) {
        Arc::make_mut(&mut self.keys).reserve(n);
        self.values.reserve(n);
        let want = (2 * (self.keys.len() + n)).next_power_of_two().max(16);
        if want > self.slots.len() {
            self.rebuild(want);
        }
    }

    /// Entries in insertion order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.keys.iter().zip(&self.values)
    }

    /// Values in insertion order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &V> {
        self.values.iter()
    }

    /// Entries in insertion order, by value.
    pub(crate) fn into_iter(self) -> impl Iterator<Item = (K, V)> {
        let keys = Arc::try_unwrap(self.keys).unwrap_or_else(|shared| (*shared).clone());
        keys.into_iter().zip(self.values)
    }
}

impl<K: AsRef<str> + Clone, V: PartialEq> PartialEq for IdTable<K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .all(|(k, v)| other.get(k.as_ref()).is_some_and(|w| w == v))
    }
}

impl<K: AsRef<str> + Clone + std::fmt::Debug, V: std::fmt::Debug> std::fmt::Debug
    for IdTable<K, V>
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: AsRef<str> + Clone + serde::Serialize, V: serde::Serialize> serde::Serialize
    for IdTable<K, V>
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de, K, V> serde::Deserialize<'de> for IdTable<K, V>
where
    K: AsRef<str> + Clone + serde::Deserialize<'de>,
    V: serde::Deserialize<'de>,
{
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V2<K, V>(std::marker::PhantomData<(K, V)>);
        impl<'de, K, V> serde::de::Visitor<'de> for V2<K, V>
        where
            K: AsRef<str> + Clone + serde::Deserialize<'de>,
            V: serde::Deserialize<'de>,
        {
            type Value = IdTable<K, V>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a map of ids to facts")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<Self::Value, A::Error> {
                let mut t = IdTable::default();
                while let Some((k, v)) = m.next_entry::<K, V>()? {
                    let mut v = Some(v);
                    let i = t.intern_with(&k, || v.take().expect("taken once"));
                    if let Some(v) = v {
                        t.values[i] = v; // a repeated key: the last wins
                    }
                }
                Ok(t)
            }
        }
        d.deserialize_map(V2(std::marker::PhantomData))
    }
}

/// The built-in taxonomies, parsed once per process (parsing the TOML costs more than finishing
/// a small report).
pub(crate) fn builtin_taxonomies() -> crate::taxonomy::Taxonomies {
    static T: std::sync::OnceLock<crate::taxonomy::Taxonomies> = std::sync::OnceLock::new();
    T.get_or_init(crate::taxonomy::Taxonomies::builtin).clone()
}

/// The built-in meeting types, parsed once per process.
pub(crate) fn builtin_meeting_types() -> crate::meeting::MeetingTypes {
    static T: std::sync::OnceLock<crate::meeting::MeetingTypes> = std::sync::OnceLock::new();
    T.get_or_init(crate::meeting::MeetingTypes::builtin).clone()
}

#[cfg(test)]
mod tests;
