//! A fast, deterministic hasher for the id-keyed maps of the fold (cases, persons, referrals,
//! contacts per agency).
//!
//! **Choice.** The std `SipHash` resists hash flooding but costs several times more per short
//! key than the fold's other work; the keys here are ids from the municipality's own journal (not
//! attacker-controlled input to a network service), so an FxHash-style multiply-rotate hash over
//! 8-byte words is used instead — no new dependency, and the same hash on every platform (so
//! iteration order, where anything depends on it, is reproducible). Nothing depends on iteration
//! order for correctness: the fold only counts, and lists built from maps are sorted.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

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
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A `HashMap` with [`IdHasher`].
pub(crate) type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

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
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    fn h(s: &str) -> u64 {
        BuildHasherDefault::<IdHasher>::default().hash_one(s)
    }

    #[test]
    fn distinguishes_ids_and_is_deterministic() {
        assert_eq!(h("c12345"), h("c12345"));
        assert_ne!(h("c12345"), h("c12346"));
        assert_ne!(h("c1"), h("c1\0"));
        // No collision among typical ids (collisions would be legal, but slow).
        let hashes: std::collections::HashSet<u64> =
            (0..100_000).map(|i| h(&format!("c{i}"))).collect();
        assert_eq!(hashes.len(), 100_000);
        let mut m: IdMap<String, u32> = IdMap::default();
        for i in 0..10_000 {
            m.insert(format!("c{i}"), i);
        }
        assert_eq!(m.len(), 10_000);
        assert_eq!(m.get("c4242"), Some(&4242));
    }
}
