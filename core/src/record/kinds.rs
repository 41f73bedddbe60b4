//! The case record's vocabularies as data (`kinds.toml`): entry kinds (面談, 電話, 家庭訪問,
//! 同行支援, 訪問したが不在, 手紙, メール) with whom each reaches, attachment kinds (同意書,
//! 罹災証明書, 手帳の写し …), and the blob table's size limit. A municipality adds kinds (and may
//! change the limit) with an extension document; built-in codes are never replaced or removed,
//! so every recorded entry keeps its meaning.

use super::ids::*;
use super::RecordError;
use crate::taxonomy::{Label, TaxonomyError};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// Whom an entry of a kind reaches (接触の形), which decides its `with` list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    /// Met face to face (面談, 家庭訪問, 同行支援): at least one party.
    InPerson,
    /// Spoke at a distance (電話, オンライン): at least one party.
    Remote,
    /// Wrote to someone (手紙, メール): at least one addressee.
    Written,
    /// Reached nobody (訪問したが不在): no party may be listed.
    None,
}

impl Reach {
    /// Whether an entry of this reach must name whom it reached (all but [`Reach::None`]).
    pub fn names_parties(self) -> bool {
        self != Reach::None
    }
}

/// An entry kind (記録の種別).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryKind {
    /// Stable code.
    pub code: EntryKindCode,
    /// Japanese label.
    pub ja: String,
    /// English label.
    pub en: String,
    /// Whom it reaches.
    pub contact: Reach,
}

/// An attachment kind (添付書類の種別).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachmentKind {
    /// Stable code.
    pub code: AttachmentKindCode,
    /// Japanese label.
    pub ja: String,
    /// English label.
    pub en: String,
}

/// Limits kept as data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordLimits {
    /// Largest file the SQLite store's optional blob table takes, in bytes.
    pub max_blob_bytes: u64,
}

/// A record-kinds document: the built-in one (`kinds.toml`) or a municipality's extension.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordKindsDocument {
    /// Limits; an extension that gives them replaces the ones in force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<RecordLimits>,
    /// Entry kinds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entry_kinds: Vec<EntryKind>,
    /// Attachment kinds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachment_kinds: Vec<AttachmentKind>,
}

/// The record kinds in force (built in, plus extensions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordKinds {
    limits: RecordLimits,
    entry_kinds: Vec<EntryKind>,
    attachment_kinds: Vec<AttachmentKind>,
}

fn builtin_document() -> &'static RecordKindsDocument {
    static DOC: OnceLock<RecordKindsDocument> = OnceLock::new();
    DOC.get_or_init(|| {
        crate::coded::from_toml(include_str!("kinds.toml")).expect("built-in kinds.toml parses")
    })
}

impl Default for RecordKinds {
    fn default() -> Self {
        RecordKinds::builtin()
    }
}

fn valid_code(code: &str) -> bool {
    code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl RecordKinds {
    /// The built-in kinds and limits.
    pub fn builtin() -> Self {
        let doc = builtin_document();
        RecordKinds {
            limits: doc.limits.expect("built-in kinds.toml has limits"),
            entry_kinds: doc.entry_kinds.clone(),
            attachment_kinds: doc.attachment_kinds.clone(),
        }
    }

    /// These kinds plus `ext`: every new code is lower snake_case (`invalid_code`), not yet
    /// defined (`duplicate_code`), with labels (`empty_text`); paths are
    /// `{at}.entry_kinds[i].code` …, `at` being the document's path. Nothing changes on error.
    pub fn extended(
        &self,
        ext: &RecordKindsDocument,
        at: &str,
    ) -> Result<RecordKinds, RecordError> {
        let mut out = self.clone();
        for (i, k) in ext.entry_kinds.iter().enumerate() {
            let at = format!("{at}.entry_kinds[{i}]");
            check_new(
                "entry_kinds",
                k.code.as_str(),
                out.entry_kind(&k.code).is_some(),
                &at,
            )?;
            check_labels(&k.ja, &k.en, &at)?;
            out.entry_kinds.push(k.clone());
        }
        for (i, k) in ext.attachment_kinds.iter().enumerate() {
            let at = format!("{at}.attachment_kinds[{i}]");
            check_new(
                "attachment_kinds",
                k.code.as_str(),
                out.attachment_kind(&k.code).is_some(),
                &at,
            )?;
            check_labels(&k.ja, &k.en, &at)?;
            out.attachment_kinds.push(k.clone());
        }
        if let Some(limits) = ext.limits {
            out.limits = limits;
        }
        Ok(out)
    }

    /// Entry kind by code.
    pub fn entry_kind(&self, code: &EntryKindCode) -> Option<&EntryKind> {
        self.entry_kinds.iter().find(|k| &k.code == code)
    }
    /// Every entry kind, built-in first.
    pub fn entry_kinds(&self) -> &[EntryKind] {
        &self.entry_kinds
    }
    /// Attachment kind by code.
    pub fn attachment_kind(&self, code: &AttachmentKindCode) -> Option<&AttachmentKind> {
        self.attachment_kinds.iter().find(|k| &k.code == code)
    }
    /// Every attachment kind, built-in first.
    pub fn attachment_kinds(&self) -> &[AttachmentKind] {
        &self.attachment_kinds
    }
    /// Limits in force.
    pub fn limits(&self) -> RecordLimits {
        self.limits
    }

    /// The entry kind of `code`, or `unknown_code` (list `entry_kinds`) at `path`.
    pub fn check_entry_kind(
        &self,
        code: &EntryKindCode,
        path: &str,
    ) -> Result<&EntryKind, RecordError> {
        self.entry_kind(code).ok_or_else(|| {
            TaxonomyError::UnknownCode {
                list: "entry_kinds",
                code: code.to_string(),
                path: path.into(),
            }
            .into()
        })
    }

    /// The attachment kind of `code`, or `unknown_code` (list `attachment_kinds`) at `path`.
    pub fn check_attachment_kind(
        &self,
        code: &AttachmentKindCode,
        path: &str,
    ) -> Result<&AttachmentKind, RecordError> {
        self.attachment_kind(code).ok_or_else(|| {
            TaxonomyError::UnknownCode {
                list: "attachment_kinds",
                code: code.to_string(),
                path: path.into(),
            }
            .into()
        })
    }
}

impl EntryKind {
    /// Bilingual label.
    pub fn label(&self) -> Label {
        Label {
            ja: self.ja.clone(),
            en: self.en.clone(),
        }
    }
}

fn check_new(list: &'static str, code: &str, exists: bool, at: &str) -> Result<(), RecordError> {
    let path = format!("{at}.code");
    if !valid_code(code) {
        return Err(TaxonomyError::InvalidCode {
            code: code.into(),
            path,
        }
        .into());
    }
    if exists {
        return Err(TaxonomyError::DuplicateCode {
            list,
            code: code.into(),
            path,
        }
        .into());
    }
    Ok(())
}

fn check_labels(ja: &str, en: &str, at: &str) -> Result<(), RecordError> {
    for (text, field) in [(ja, "ja"), (en, "en")] {
        if text.trim().is_empty() {
            return Err(RecordError::EmptyText {
                subject: "record kind".into(),
                path: format!("{at}.{field}"),
            });
        }
    }
    Ok(())
}
