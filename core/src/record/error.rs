//! Errors of the case record (支援経過記録のエラー): entries, outreach, attachments and the blob
//! table. Messages carry ids and codes, never names or narrative text.

use super::ids::*;
use crate::coded::{Coded, ErrorKind};
use crate::ids::*;
use chrono::NaiveDate;

/// Errors of the case record, outreach and attachments.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// A document that does not parse.
    #[error(transparent)]
    Document(#[from] crate::coded::DocumentError),
    /// An unknown or duplicate vocabulary code (entry kind, attachment kind, issue).
    #[error(transparent)]
    Taxonomy(#[from] crate::taxonomy::TaxonomyError),
    /// A required text is blank (narrative, title, place given as blank).
    #[error("{subject}: text is blank at {path}")]
    EmptyText {
        /// What (ids only).
        subject: String,
        /// JSON path.
        path: String,
    },
    /// An entry of a kind that meets or addresses someone lists nobody.
    #[error("entry `{entry}` of kind `{kind}` names nobody met at {path}")]
    MetRequired {
        /// Entry id.
        entry: EntryId,
        /// Kind code.
        kind: EntryKindCode,
        /// JSON path.
        path: String,
    },
    /// An entry of a no-contact kind (訪問したが不在) lists someone met.
    #[error("entry `{entry}` of kind `{kind}` met nobody, yet names someone at {path}")]
    MetNotAllowed {
        /// Entry id.
        entry: EntryId,
        /// Kind code.
        kind: EntryKindCode,
        /// JSON path.
        path: String,
    },
    /// A member named as met who is not in the case's household.
    #[error("person `{person}` is not a member of the case's household at {path}")]
    UnknownMember {
        /// Person id.
        person: PersonId,
        /// JSON path.
        path: String,
    },
    /// A goal that no version of the plan has.
    #[error("plan `{plan}` has no goal `{goal}` at {path}")]
    UnknownGoal {
        /// Plan id.
        plan: PlanId,
        /// Goal id.
        goal: String,
        /// JSON path.
        path: String,
    },
    /// The same issue, goal or party listed twice.
    #[error("`{value}` listed twice at {path}")]
    DuplicateReference {
        /// The repeated value (a code or an id).
        value: String,
        /// JSON path.
        path: String,
    },
    /// A correction of an entry that a later entry already corrected: correct the latest one.
    #[error("entry `{entry}` was already corrected by `{by}` at {path}")]
    EntrySuperseded {
        /// The entry.
        entry: EntryId,
        /// The entry that corrected it.
        by: EntryId,
        /// JSON path.
        path: String,
    },
    /// A record dated before the case was opened, or before the step it must follow.
    #[error("{subject}: {on} is before {last} at {path}")]
    DateOutOfOrder {
        /// What (ids only).
        subject: String,
        /// The date given.
        on: NaiveDate,
        /// The earliest allowed date.
        last: NaiveDate,
        /// JSON path.
        path: String,
    },
    /// A relationship stage above 未接触 set for a person never reached.
    #[error("case `{case}`: stage `{stage}` needs a contact with the person first at {path}")]
    StageWithoutContact {
        /// Case id.
        case: CaseId,
        /// Stage code.
        stage: &'static str,
        /// JSON path.
        path: String,
    },
    /// Setting the relationship stage the case is already at.
    #[error("case `{case}` is already at stage `{stage}` at {path}")]
    StageUnchanged {
        /// Case id.
        case: CaseId,
        /// Stage code.
        stage: &'static str,
        /// JSON path.
        path: String,
    },
    /// Setting 未接触 for a person already reached: contact, once made, is a fact.
    #[error("case `{case}`: the person was already reached at {path}")]
    AlreadyContacted {
        /// Case id.
        case: CaseId,
        /// JSON path.
        path: String,
    },
    /// Keeping connected without a plan (つながり続ける支援) asked of a case that has a plan.
    #[error("case `{case}` has plan `{plan}`; keeping connected is support without a plan")]
    CaseHasPlan {
        /// Case id.
        case: CaseId,
        /// Its plan.
        plan: PlanId,
    },
    /// Keeping connected a case already kept connected.
    #[error("case `{case}` is already kept connected")]
    AlreadyKeptConnected {
        /// Case id.
        case: CaseId,
    },
    /// Ending the keeping-connected of a case not kept connected.
    #[error("case `{case}` is not kept connected")]
    NotKeptConnected {
        /// Case id.
        case: CaseId,
    },
    /// A media type that is not `type/subtype`.
    #[error("invalid media type at {path}")]
    InvalidMediaType {
        /// JSON path.
        path: String,
    },
    /// A content hash that is not 64 lowercase hexadecimal digits (SHA-256).
    #[error("invalid SHA-256 content hash at {path}")]
    InvalidContentHash {
        /// JSON path.
        path: String,
    },
    /// Bytes whose SHA-256 or size differ from what the attachment recorded: the file changed.
    #[error("attachment `{attachment}`: the {what} of the bytes differs from the record")]
    AttachmentChanged {
        /// Attachment id (or the hash, for a blob).
        attachment: String,
        /// `hash` or `size`.
        what: &'static str,
    },
    /// A file larger than the blob table takes (`max_blob_bytes`).
    #[error("{size} bytes exceed the blob table's limit of {limit} bytes")]
    BlobTooLarge {
        /// Size given.
        size: u64,
        /// The limit.
        limit: u64,
    },
}

impl RecordError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &[
        "empty_text",
        "met_required",
        "met_not_allowed",
        "unknown_member",
        "unknown_goal",
        "duplicate_reference",
        "entry_superseded",
        "date_out_of_order",
        "stage_without_contact",
        "stage_unchanged",
        "already_contacted",
        "case_has_plan",
        "already_kept_connected",
        "not_kept_connected",
        "invalid_media_type",
        "invalid_content_hash",
        "attachment_changed",
        "blob_too_large",
    ];
}

impl Coded for RecordError {
    fn code(&self) -> &'static str {
        match self {
            RecordError::Document(e) => e.code(),
            RecordError::Taxonomy(e) => e.code(),
            RecordError::EmptyText { .. } => "empty_text",
            RecordError::MetRequired { .. } => "met_required",
            RecordError::MetNotAllowed { .. } => "met_not_allowed",
            RecordError::UnknownMember { .. } => "unknown_member",
            RecordError::UnknownGoal { .. } => "unknown_goal",
            RecordError::DuplicateReference { .. } => "duplicate_reference",
            RecordError::EntrySuperseded { .. } => "entry_superseded",
            RecordError::DateOutOfOrder { .. } => "date_out_of_order",
            RecordError::StageWithoutContact { .. } => "stage_without_contact",
            RecordError::StageUnchanged { .. } => "stage_unchanged",
            RecordError::AlreadyContacted { .. } => "already_contacted",
            RecordError::CaseHasPlan { .. } => "case_has_plan",
            RecordError::AlreadyKeptConnected { .. } => "already_kept_connected",
            RecordError::NotKeptConnected { .. } => "not_kept_connected",
            RecordError::InvalidMediaType { .. } => "invalid_media_type",
            RecordError::InvalidContentHash { .. } => "invalid_content_hash",
            RecordError::AttachmentChanged { .. } => "attachment_changed",
            RecordError::BlobTooLarge { .. } => "blob_too_large",
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            RecordError::Document(e) => e.path(),
            RecordError::Taxonomy(e) => e.path(),
            RecordError::EmptyText { path, .. }
            | RecordError::MetRequired { path, .. }
            | RecordError::MetNotAllowed { path, .. }
            | RecordError::UnknownMember { path, .. }
            | RecordError::UnknownGoal { path, .. }
            | RecordError::DuplicateReference { path, .. }
            | RecordError::EntrySuperseded { path, .. }
            | RecordError::DateOutOfOrder { path, .. }
            | RecordError::StageWithoutContact { path, .. }
            | RecordError::StageUnchanged { path, .. }
            | RecordError::AlreadyContacted { path, .. }
            | RecordError::InvalidMediaType { path }
            | RecordError::InvalidContentHash { path } => Some(path.clone()),
            RecordError::CaseHasPlan { .. }
            | RecordError::AlreadyKeptConnected { .. }
            | RecordError::NotKeptConnected { .. }
            | RecordError::AttachmentChanged { .. }
            | RecordError::BlobTooLarge { .. } => None,
        }
    }
    fn kind(&self) -> ErrorKind {
        match self {
            RecordError::Document(e) => e.kind(),
            RecordError::Taxonomy(e) => e.kind(),
            RecordError::EmptyText { .. }
            | RecordError::MetRequired { .. }
            | RecordError::MetNotAllowed { .. }
            | RecordError::UnknownMember { .. }
            | RecordError::DuplicateReference { .. }
            | RecordError::InvalidMediaType { .. }
            | RecordError::InvalidContentHash { .. } => ErrorKind::Invalid,
            RecordError::UnknownGoal { .. } => ErrorKind::NotFound,
            RecordError::EntrySuperseded { .. }
            | RecordError::StageUnchanged { .. }
            | RecordError::AlreadyContacted { .. }
            | RecordError::AlreadyKeptConnected { .. }
            | RecordError::NotKeptConnected { .. } => ErrorKind::Transition,
            RecordError::DateOutOfOrder { .. }
            | RecordError::StageWithoutContact { .. }
            | RecordError::CaseHasPlan { .. }
            | RecordError::BlobTooLarge { .. } => ErrorKind::Rule,
            RecordError::AttachmentChanged { .. } => ErrorKind::Storage,
        }
    }
}
