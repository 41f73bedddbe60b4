//! Journal positions (通し番号) of the facts the statistics fold, and the order-independent
//! merge of dated facts (the earliest date wins).

use chrono::NaiveDate;

/// An event's position in the whole journal (its sequence number). Facts replaced by later events
/// keep the position of the event that set them; merge keeps the greatest.
pub type Position = u64;

/// The earlier of two optional dates (merging two partials' "first seen on" facts).
pub(in crate::stats) fn min_date(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}
