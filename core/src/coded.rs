//! Coded errors (エラーの符号): what every area error shares, below every domain module.
//!
//! The [`Coded`] trait (a stable snake_case code, an optional JSON path and an [`ErrorKind`]),
//! the kinds themselves, and [`DocumentError`] with the two parsers [`from_json`] and
//! [`from_toml`] that every area uses to read its documents. This module imports no domain
//! module: each area's own error enum implements [`Coded`], and the crate-wide
//! [`crate::Error`] gathers them at the top.

/// What kind of failure an error is (エラーの種類). Every stable code has exactly one kind
/// (`tsunagu::error::kind_of_code`); each binding maps a kind to its language's error class
/// in one table, so the same code has the same class everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// A JSON or TOML document that does not parse (`malformed_document`) — 文書の形式誤り.
    Document,
    /// A routing rule document with problems, every one listed (`invalid_rule_document`) —
    /// 振り分けルールの誤り.
    RuleDocument,
    /// A value that is not valid on its own: an unparseable date, an unknown vocabulary code,
    /// an empty text, a household that breaks its rules — 入力値の誤り.
    Invalid,
    /// A well-formed command that a domain rule refuses in the current state (a date in the
    /// future, out of order, over capacity …) — 業務ルールによる拒否.
    Rule,
    /// A referenced entity (case, agency, plan, person …) does not exist — 対象が存在しない.
    NotFound,
    /// An entity with this id already exists — 重複.
    AlreadyExists,
    /// A lifecycle step (case, referral, consent, plan, phase) not allowed from the current
    /// state, or not by this party — 状態遷移の誤り.
    Transition,
    /// Consent and disclosure rules (consent required, not given …) — 同意・第三者提供.
    Consent,
    /// Two writers changed the same thing (a stale plan version) — 競合.
    Conflict,
    /// The journal or its store failed (a broken chain, a corrupt file, storage) — 記録の保存.
    Storage,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: &'static [ErrorKind] = &[
        ErrorKind::Document,
        ErrorKind::RuleDocument,
        ErrorKind::Invalid,
        ErrorKind::Rule,
        ErrorKind::NotFound,
        ErrorKind::AlreadyExists,
        ErrorKind::Transition,
        ErrorKind::Consent,
        ErrorKind::Conflict,
        ErrorKind::Storage,
    ];

    /// Stable snake_case name (`not_found`), as bindings expose it.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Document => "document",
            ErrorKind::RuleDocument => "rule_document",
            ErrorKind::Invalid => "invalid",
            ErrorKind::Rule => "rule",
            ErrorKind::NotFound => "not_found",
            ErrorKind::AlreadyExists => "already_exists",
            ErrorKind::Transition => "transition",
            ErrorKind::Consent => "consent",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Storage => "storage",
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Behaviour shared by every area error: a stable code, an optional field path and a kind.
pub trait Coded {
    /// Stable snake_case code, e.g. `illegal_transition`.
    fn code(&self) -> &'static str;
    /// JSON path of the offending field (`$.members[2].birth_date`), where there is one.
    fn path(&self) -> Option<String> {
        None
    }
    /// What kind of failure this is (one per code).
    fn kind(&self) -> ErrorKind;
}

/// A malformed interchange document (JSON or TOML that does not parse into the expected shape)
/// — 文書の形式誤り.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed {format} document at {path}: {message}")]
pub struct DocumentError {
    /// `json` or `toml`.
    pub format: &'static str,
    /// JSON path (for JSON) or `line N` (for TOML) of the problem; `$` when unknown.
    pub path: String,
    /// What the parser said.
    pub message: String,
}

impl Coded for DocumentError {
    fn code(&self) -> &'static str {
        "malformed_document"
    }
    fn path(&self) -> Option<String> {
        Some(self.path.clone())
    }
    fn kind(&self) -> ErrorKind {
        ErrorKind::Document
    }
}

impl DocumentError {
    /// Every code of this error.
    pub const CODES: &'static [&'static str] = &["malformed_document"];

    /// Wrap a serde_json error.
    pub fn json(err: &serde_json::Error) -> Self {
        DocumentError {
            format: "json",
            path: format!("$ (line {}, column {})", err.line(), err.column()),
            message: err.to_string(),
        }
    }
    /// Wrap a toml error, locating it by line.
    pub fn toml(err: &toml::de::Error, source: &str) -> Self {
        let path = match err.span() {
            Some(span) => format!(
                "line {}",
                source[..span.start.min(source.len())]
                    .lines()
                    .count()
                    .max(1)
            ),
            None => "$".to_string(),
        };
        DocumentError {
            format: "toml",
            path,
            message: err.message().to_string(),
        }
    }

    /// An example of each code, for tests and bindings.
    #[doc(hidden)]
    pub fn example(code: &str) -> Option<Self> {
        (code == "malformed_document").then(|| DocumentError {
            format: "json",
            path: "$".into(),
            message: "example".into(),
        })
    }
}

/// Parse a JSON document into `T`, mapping failures to a [`DocumentError`].
pub fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, DocumentError> {
    serde_json::from_str(text).map_err(|e| DocumentError::json(&e))
}

/// Parse a TOML document into `T`, mapping failures to a [`DocumentError`].
pub fn from_toml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, DocumentError> {
    toml::from_str(text).map_err(|e| DocumentError::toml(&e, text))
}
