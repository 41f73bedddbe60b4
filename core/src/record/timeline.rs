//! One timeline (経過の一覧): everything on a case or on a person in date order — case
//! transitions, record entries, liaison contacts, referrals, meetings, disclosures, consents,
//! plans and monitoring, attachments, outreach attempts and stage changes.
//!
//! The registry gathers the items ([`crate::registry::Registry::timeline_items`]); this module
//! filters and orders them ([`timeline`]). The two steps are separate on purpose: access rules
//! (who may see which kind of item) are applied between them, on the items, before the filter.
//!
//! Each item carries its kind, date (and time where the source has one), the case, a stable
//! `code` (the entry kind, the transition, the referral status …), a short summary in Japanese
//! built from codes and labels only — never a narrative, a title, a purpose or a note — and the
//! id of its source (`entry:e-1`, `referral:r-1#2`). Order: by date, then time (items without a
//! time first on their day), then the order of gathering, which is fixed (by kind in the order
//! of [`TimelineKind::ALL`], each source in the order recorded): the same registry always gives
//! the same timeline.

use super::ids::EntryId;
use crate::ids::*;
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// What a timeline item is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    /// A case opened or moved in its lifecycle (受付, アセスメント, 終結 …).
    CaseTransition,
    /// A support plan version made or consented to (支援プラン).
    Plan,
    /// A monitoring record (モニタリング).
    Monitoring,
    /// A case-record entry (支援経過記録).
    Entry,
    /// An outreach attempt or a relationship-stage change (アウトリーチ).
    Outreach,
    /// A liaison contact with an agency (連絡調整).
    Contact,
    /// A referral step (つなぎ).
    Referral,
    /// A meeting that discussed the case (会議).
    Meeting,
    /// A provision of personal data (第三者提供).
    Disclosure,
    /// A consent given, refused or withdrawn (同意).
    Consent,
    /// An attachment (添付書類).
    Attachment,
}

impl TimelineKind {
    /// Every kind, in the order items are gathered.
    pub const ALL: [TimelineKind; 11] = [
        TimelineKind::CaseTransition,
        TimelineKind::Plan,
        TimelineKind::Monitoring,
        TimelineKind::Entry,
        TimelineKind::Outreach,
        TimelineKind::Contact,
        TimelineKind::Referral,
        TimelineKind::Meeting,
        TimelineKind::Disclosure,
        TimelineKind::Consent,
        TimelineKind::Attachment,
    ];
}

/// One item of a timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimelineItem {
    /// Date.
    pub on: NaiveDate,
    /// Time, where the source records one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<NaiveTime>,
    /// Kind.
    pub kind: TimelineKind,
    /// Stable code within the kind (entry kind, transition action, referral status, attempt
    /// outcome …).
    pub code: String,
    /// The case, where the item belongs to one (a consent belongs to a person).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<CaseId>,
    /// A short summary from codes and labels (no narrative, title, purpose or note).
    pub summary: String,
    /// The source record: `kind:id`, with `#n` for the n-th step of a record.
    pub source: String,
    /// For an entry: the entry that corrected it (訂正), when it was corrected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<EntryId>,
}

/// What a timeline is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum TimelineSubject {
    /// One case.
    Case {
        /// The case.
        case: CaseId,
    },
    /// Every case of a person (as the case's subject), plus the person's consents and every
    /// provision of their data.
    Person {
        /// The person.
        person: PersonId,
    },
}

/// Which items to keep.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimelineFilter {
    /// Kinds to keep; empty keeps every kind.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub kinds: BTreeSet<TimelineKind>,
    /// First day kept (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// Last day kept (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    /// Keep entries a later entry corrected (default: only the current version of each
    /// entry is shown; the originals stay in the entry's history).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub include_superseded: bool,
}

impl TimelineFilter {
    /// Whether `item` passes.
    pub fn keeps(&self, item: &TimelineItem) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&item.kind))
            && self.from.is_none_or(|f| item.on >= f)
            && self.to.is_none_or(|t| item.on <= t)
            && (self.include_superseded || item.superseded_by.is_none())
    }
}

/// Filter `items` and order them (see the module docs): by date, then time (none first), then
/// the order given. Stable, so the same items in the same order always give the same timeline.
pub fn timeline(items: Vec<TimelineItem>, filter: &TimelineFilter) -> Vec<TimelineItem> {
    let mut out: Vec<TimelineItem> = items.into_iter().filter(|i| filter.keeps(i)).collect();
    out.sort_by_key(|i| (i.on, i.at));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn item(day: u32, at: Option<u32>, kind: TimelineKind, n: usize) -> TimelineItem {
        TimelineItem {
            on: NaiveDate::from_ymd_opt(2024, 4, day).unwrap(),
            at: at.map(|h| NaiveTime::from_hms_opt(h, 0, 0).unwrap()),
            kind,
            code: "x".into(),
            case: None,
            summary: String::new(),
            source: format!("s:{n}"),
            superseded_by: None,
        }
    }

    proptest! {
        /// The timeline is ordered by (date, time), keeps exactly the items the filter keeps,
        /// and keeps the gathering order among equal (date, time).
        #[test]
        fn ordered_filtered_and_stable(
            raw in proptest::collection::vec((1u32..30, proptest::option::of(8u32..18), 0usize..11), 0..60),
            kinds in proptest::collection::btree_set(0usize..11, 0..4),
            from in proptest::option::of(1u32..30),
        ) {
            let items: Vec<TimelineItem> = raw
                .iter()
                .enumerate()
                .map(|(n, &(d, h, k))| item(d, h, TimelineKind::ALL[k], n))
                .collect();
            let filter = TimelineFilter {
                kinds: kinds.iter().map(|&k| TimelineKind::ALL[k]).collect(),
                from: from.map(|d| NaiveDate::from_ymd_opt(2024, 4, d).unwrap()),
                ..Default::default()
            };
            let out = timeline(items.clone(), &filter);
            prop_assert_eq!(out.len(), items.iter().filter(|i| filter.keeps(i)).count());
            for w in out.windows(2) {
                let (a, b) = (&w[0], &w[1]);
                prop_assert!((a.on, a.at) <= (b.on, b.at));
                if (a.on, a.at) == (b.on, b.at) {
                    let n = |i: &TimelineItem| i.source[2..].parse::<usize>().unwrap();
                    prop_assert!(n(a) < n(b));
                }
            }
        }
    }
}
