//! Tests of the partial report's own data structures.

use super::IssueSet;
use proptest::prelude::*;

proptest! {
    /// An issue set iterates its distinct numbers in ascending order, bits and `more` alike.
    #[test]
    fn issue_set_iterates_distinct_sorted(xs in proptest::collection::vec(0u32..200, 0..40)) {
        let mut s = IssueSet::default();
        for &x in &xs {
            s.insert(x);
        }
        let mut want = xs.clone();
        want.sort_unstable();
        want.dedup();
        prop_assert_eq!(s.iter().collect::<Vec<_>>(), want);
    }
}
