//! The case record (支援経過記録): entries written by workers after each contact (面談, 電話,
//! 家庭訪問, 同行支援, 訪問したが不在, 手紙, メール) with their corrections (訂正) — a new entry
//! supersedes, nothing is edited; outreach (アウトリーチ等を通じた継続的支援) as a workflow of
//! attempts, relationship stages and cases kept connected without a plan (つながり続ける支援);
//! attachments by reference with their content hash; and one timeline over everything on a case
//! or a person.
//!
//! This module owns the record's data and rules ([`RecordEntry::validate`],
//! [`OutreachTrack::applied`], [`Attachment::validate`] / [`Attachment::verify`]), the record
//! kinds as data (`kinds.toml`, [`RecordKinds`]), and the ordering and filtering of a timeline
//! ([`timeline`]). It does not check references to cases, households, plans or agencies, nor
//! gather the timeline's items from the other records: the registry does
//! (`registry/record.rs`). Liaison contacts with agencies stay in `referral` and appear in the
//! same timeline. No I/O, no clock: dates and times come in with the records.

mod attachment;
mod entry;
mod error;
mod ids;
mod kinds;
mod outreach;
#[cfg(test)]
mod tests;
mod timeline;

pub use attachment::{check_blob, Attachment, ContentHash};
pub use entry::{EntryLog, GoalRef, Party, RecordEntry};
pub use error::RecordError;
pub use ids::*;
pub use kinds::{AttachmentKind, EntryKind, Reach, RecordKinds, RecordKindsDocument, RecordLimits};
pub use outreach::{
    AttemptOutcome, KeptPeriod, OutreachAttempt, OutreachCommand, OutreachTrack, RelationshipStage,
    StageChange,
};
pub use timeline::{timeline, TimelineFilter, TimelineItem, TimelineKind, TimelineSubject};

use crate::ids::CaseId;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The case record of a registry: kinds in force, entries, outreach per case, attachments.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct CaseRecord {
    /// Record kinds and limits in force.
    pub(crate) kinds: RecordKinds,
    /// Every entry written.
    pub(crate) entries: EntryLog,
    /// Outreach per case (only cases with outreach).
    pub(crate) outreach: BTreeMap<CaseId, OutreachTrack>,
    /// Ids of every attempt, so a new attempt is checked in O(log n).
    #[serde(skip)]
    pub(crate) attempt_ids: BTreeSet<AttemptId>,
    /// Attachments in the order attached.
    pub(crate) attachments: Vec<Attachment>,
    /// Positions of `attachments` by id.
    #[serde(skip)]
    pub(crate) attachment_index: BTreeMap<AttachmentId, usize>,
    /// Positions of `attachments` by case.
    #[serde(skip)]
    pub(crate) attachments_by_case: BTreeMap<CaseId, Vec<usize>>,
}

impl CaseRecord {
    /// Record kinds and limits in force.
    pub fn kinds(&self) -> &RecordKinds {
        &self.kinds
    }
    /// The entries.
    pub fn entries(&self) -> &EntryLog {
        &self.entries
    }
    /// A case's outreach, if it has any.
    pub fn outreach(&self, case: &CaseId) -> Option<&OutreachTrack> {
        self.outreach.get(case)
    }
    /// Every case's outreach, by case id.
    pub fn outreach_tracks(&self) -> &BTreeMap<CaseId, OutreachTrack> {
        &self.outreach
    }
    /// Attachment by id.
    pub fn attachment(&self, id: &AttachmentId) -> Option<&Attachment> {
        self.attachment_index.get(id).map(|&i| &self.attachments[i])
    }
    /// Every attachment in the order attached.
    pub fn attachments(&self) -> &[Attachment] {
        &self.attachments
    }
    /// A case's attachments in the order attached.
    pub fn attachments_of<'a>(
        &'a self,
        case: &CaseId,
    ) -> impl Iterator<Item = &'a Attachment> + 'a {
        self.attachments_by_case
            .get(case)
            .into_iter()
            .flatten()
            .map(|&i| &self.attachments[i])
    }

    /// Add a checked attachment.
    pub(crate) fn push_attachment(&mut self, a: Attachment) {
        let i = self.attachments.len();
        self.attachment_index.insert(a.id.clone(), i);
        self.attachments_by_case
            .entry(a.case.clone())
            .or_default()
            .push(i);
        self.attachments.push(a);
    }
}
