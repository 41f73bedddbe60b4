//! Ids and codes of the case record.

use crate::ids::string_newtype;

string_newtype! {
    /// Case-record entry (支援経過記録の記録) id.
    EntryId,
    /// Outreach attempt (アウトリーチの試み) id.
    AttemptId,
    /// Attachment (添付書類) id.
    AttachmentId,
    /// Entry kind code (記録の種別), e.g. `home_visit`; kinds are data a municipality extends.
    EntryKindCode,
    /// Attachment kind code (添付書類の種別), e.g. `consent_form`.
    AttachmentKindCode,
}
