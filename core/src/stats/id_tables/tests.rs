//! Tests of the id hasher and the dense id tables.

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

#[test]
fn id_table_interns_grows_and_compares_by_content() {
    let mut t: IdTable<String, u32> = IdTable::default();
    assert_eq!(t.find("x"), None);
    for i in 0..5_000u32 {
        let k = format!("c{i}");
        // Twice in a row (the last-hit path), then once more after another key.
        assert_eq!(t.intern_with(&k, || i), i as usize);
        assert_eq!(t.intern_with(&k, || 0), i as usize);
    }
    assert_eq!(t.intern_owned("c17".to_string(), || 0), 17);
    assert_eq!(t.len(), 5_000);
    for i in (0..5_000u32).rev() {
        assert_eq!(t.get(&format!("c{i}")), Some(&i));
    }
    assert_eq!(t.get("c5000"), None);
    assert_eq!(t.key(42), "c42");
    *t.get_or_insert_with(&"c1".to_string(), || 0) += 10;
    assert_eq!(t.value(1), &11);
    // Equality ignores insertion order; serde round-trips as a map.
    let mut u: IdTable<String, u32> = IdTable::default();
    u.reserve(10);
    for (k, v) in t.iter().collect::<Vec<_>>().into_iter().rev() {
        u.intern_owned(k.clone(), || *v);
    }
    assert!(t == u);
    *u.value_mut(0) += 1;
    assert!(t != u);
    let json = serde_json::to_string(&t).unwrap();
    let back: IdTable<String, u32> = serde_json::from_str(&json).unwrap();
    assert!(back == t);
    assert_eq!(back.key(0), "c0");
}

#[test]
fn shared_keys_are_copied_on_write() {
    let mut t: IdTable<String, ()> = IdTable::default();
    for k in ["a", "b", "c"] {
        t.intern_owned(k.to_string(), || ());
    }
    let mut u = t.with_shared_keys(|| 7u32);
    assert_eq!((u.len(), u.find("b"), u.value(1)), (3, Some(1), &7));
    // A new key in the sharing table leaves the original alone, and the reverse.
    assert_eq!(u.intern_owned("d".to_string(), || 1), 3);
    assert_eq!((t.len(), t.find("d"), u.find("d")), (3, None, Some(3)));
    assert_eq!(t.intern_owned("e".to_string(), || ()), 3);
    assert_eq!(
        (t.find("e"), u.find("e"), u.key(3).as_str()),
        (Some(3), None, "d")
    );
    let keys: Vec<String> = u.into_iter().map(|(k, _)| k).collect();
    assert_eq!(keys, ["a", "b", "c", "d"]);
}

/// Ids that differ only in a few digits (the usual shape: `c-000123`) spread over the low
/// bits of `finish`, which `std`'s `HashMap` indexes by: 65,536 such keys fill about as many
/// distinct 16-bit buckets as random hashes would (1 − 1/e ≈ 63 %).
#[test]
fn finish_spreads_prefix_sharing_ids_over_low_bits() {
    use std::hash::{BuildHasher, BuildHasherDefault};
    let b = BuildHasherDefault::<IdHasher>::default();
    let mut seen = vec![false; 1 << 16];
    for i in 0..(1u32 << 16) {
        let id = format!("case-{i:07}");
        seen[(b.hash_one(id.as_str()) & 0xffff) as usize] = true;
    }
    let filled = seen.iter().filter(|s| **s).count() as f64 / 65_536.0;
    assert!(
        filled > 0.6,
        "only {:.1} % of the buckets used",
        filled * 100.0
    );
}
