//! Attachments by reference (添付書類): consent forms, 罹災証明書, copies of 手帳, letters. The
//! registry keeps what a document is — kind, title, media type, SHA-256 of the content, size —
//! and where the host keeps the bytes; never the bytes themselves. [`Attachment::verify`] checks
//! bytes the host hands back against the record, so a file changed after it was attached fails
//! (`attachment_changed`). The SQLite store can keep small files in an optional blob table
//! (`journal::sqlite`, up to the `max_blob_bytes` of `kinds.toml`), addressed by the same hash.
//!
//! This file also holds [`ContentHash`] and [`check_blob`], which the SQLite store uses: they
//! import nothing from the domain (only `sha2`), so the journal below may use them.

use super::ids::*;
use super::kinds::RecordKinds;
use super::RecordError;
use crate::ids::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A SHA-256 content hash: 64 lowercase hexadecimal digits.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(transparent)]
pub struct ContentHash(pub String);

impl ContentHash {
    /// The hash of `bytes`.
    pub fn of(bytes: &[u8]) -> ContentHash {
        ContentHash::from_bytes(&Sha256::digest(bytes).into())
    }
    /// From the 32 raw bytes.
    pub fn from_bytes(raw: &[u8; 32]) -> ContentHash {
        use std::fmt::Write;
        let mut s = String::with_capacity(64);
        for b in raw {
            let _ = write!(s, "{b:02x}");
        }
        ContentHash(s)
    }
    /// The 32 raw bytes, or `invalid_content_hash` at `path` when the text is not 64 lowercase
    /// hexadecimal digits.
    pub fn to_bytes(&self, path: &str) -> Result<[u8; 32], RecordError> {
        let bad = || RecordError::InvalidContentHash { path: path.into() };
        let s = self.0.as_bytes();
        if s.len() != 64 {
            return Err(bad());
        }
        let digit = |c: u8| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        };
        let mut out = [0u8; 32];
        for (i, pair) in s.chunks(2).enumerate() {
            out[i] = (digit(pair[0]).ok_or_else(bad)? << 4) | digit(pair[1]).ok_or_else(bad)?;
        }
        Ok(out)
    }
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ContentHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Check bytes for the blob table: not larger than `max_bytes` (`blob_too_large`); returns their
/// hash.
pub fn check_blob(bytes: &[u8], max_bytes: u64) -> Result<ContentHash, RecordError> {
    let size = bytes.len() as u64;
    if size > max_bytes {
        return Err(RecordError::BlobTooLarge {
            size,
            limit: max_bytes,
        });
    }
    Ok(ContentHash::of(bytes))
}

/// An attachment (添付書類) by reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// Attachment id.
    pub id: AttachmentId,
    /// The case it belongs to.
    pub case: CaseId,
    /// The entry it came with (the letter left on a visit), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<EntryId>,
    /// Date received or made (受領日・作成日).
    pub on: NaiveDate,
    /// Kind (`consent_form`, `disaster_certificate`, `handbook_copy`, `letter`, `other`, or a
    /// municipality's).
    pub kind: AttachmentKindCode,
    /// Title (shown to workers; not in timeline summaries or the export).
    pub title: String,
    /// Media type (`application/pdf`, `image/jpeg` …).
    pub media_type: String,
    /// SHA-256 of the bytes.
    pub sha256: ContentHash,
    /// Size in bytes.
    pub size: u64,
    /// Where the host keeps the bytes (a path, a document-management key, or `blob:` + the
    /// hash for the SQLite store's blob table). Opaque to the core.
    pub location: String,
    /// The worker who attached it, where recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<WorkerId>,
}

/// A media type: `type/subtype`, each a non-empty run of the characters RFC 6838 allows
/// (letters, digits and `!#$&-^_.+`), parameters (`; charset=…`) allowed after it.
fn valid_media_type(s: &str) -> bool {
    let essence = s.split(';').next().unwrap_or("").trim();
    let ok = |part: &str| {
        !part.is_empty()
            && part.starts_with(|c: char| c.is_ascii_alphanumeric())
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$&-^_.+".contains(c))
    };
    matches!(essence.split_once('/'), Some((t, sub)) if ok(t) && ok(sub))
}

impl Attachment {
    /// The attachment's own rules, paths under `at`: known kind (`unknown_code`), title and
    /// location not blank (`empty_text`), a media type (`invalid_media_type`), a SHA-256 hash
    /// (`invalid_content_hash`).
    pub fn validate(&self, kinds: &RecordKinds, at: &str) -> Result<(), RecordError> {
        kinds.check_attachment_kind(&self.kind, &format!("{at}.kind"))?;
        for (text, field) in [(&self.title, "title"), (&self.location, "location")] {
            if text.trim().is_empty() {
                return Err(RecordError::EmptyText {
                    subject: format!("attachment `{}`", self.id),
                    path: format!("{at}.{field}"),
                });
            }
        }
        if !valid_media_type(&self.media_type) {
            return Err(RecordError::InvalidMediaType {
                path: format!("{at}.media_type"),
            });
        }
        self.sha256.to_bytes(&format!("{at}.sha256"))?;
        Ok(())
    }

    /// Check bytes the host hands back: the same size and SHA-256 as recorded, else
    /// `attachment_changed` (`what` = `size` or `hash`).
    pub fn verify(&self, bytes: &[u8]) -> Result<(), RecordError> {
        if bytes.len() as u64 != self.size {
            return Err(RecordError::AttachmentChanged {
                attachment: self.id.to_string(),
                what: "size",
            });
        }
        if ContentHash::of(bytes) != self.sha256 {
            return Err(RecordError::AttachmentChanged {
                attachment: self.id.to_string(),
                what: "hash",
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types() {
        for ok in [
            "application/pdf",
            "image/jpeg",
            "text/plain; charset=utf-8",
            "image/svg+xml",
        ] {
            assert!(valid_media_type(ok), "{ok}");
        }
        for bad in [
            "",
            "pdf",
            "/pdf",
            "image/",
            "image/ jpeg",
            "画像/jpeg",
            "a/b/c",
        ] {
            assert!(!valid_media_type(bad), "{bad}");
        }
    }

    #[test]
    fn hash_round_trip() {
        let h = ContentHash::of(b"abc");
        assert_eq!(
            h.as_str(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(ContentHash::from_bytes(&h.to_bytes("$").unwrap()), h);
        for bad in [
            "",
            "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
            "zz",
        ] {
            assert!(ContentHash(bad.into()).to_bytes("$").is_err());
        }
    }
}
