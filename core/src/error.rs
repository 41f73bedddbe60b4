//! Errors (エラー): the one public error type of the core.
//!
//! Every fallible operation returns [`Error`]. Each area of the domain (calendar, taxonomy,
//! household, case, plan, referral …) owns its own error enum; `Error` gathers them. Every error
//! has a stable snake_case [`Error::code`] that bindings expose unchanged, a message that carries
//! ids but never names or notes (messages end up in logs), and, where there is one, the JSON path
//! of the offending field ([`Error::path`]).
//!
//! **Stability:** a code is never renamed or reused. `tests/error_codes.rs` keeps a snapshot of the
//! full list ([`all_codes`]).

/// Behaviour shared by every area error: a stable code and an optional field path.
pub trait Coded {
    /// Stable snake_case code, e.g. `illegal_transition`.
    fn code(&self) -> &'static str;
    /// JSON path of the offending field (`$.members[2].birth_date`), where there is one.
    fn path(&self) -> Option<String> {
        None
    }
}

/// A malformed interchange document (JSON or TOML that does not parse into the expected shape).
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
}

impl DocumentError {
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
}

/// Parse a JSON document into `T`, mapping failures to [`Error::Document`].
pub fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Error> {
    serde_json::from_str(text).map_err(|e| Error::Document(DocumentError::json(&e)))
}

/// Parse a TOML document into `T`, mapping failures to [`Error::Document`].
pub fn from_toml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Error> {
    toml::from_str(text).map_err(|e| Error::Document(DocumentError::toml(&e, text)))
}

macro_rules! core_error {
    ($( $(#[$doc:meta])* $variant:ident($ty:ty) ),* $(,)?) => {
        /// The core's error: one variant per area of the domain.
        #[derive(Debug, Clone, PartialEq, thiserror::Error)]
        #[non_exhaustive]
        pub enum Error {
            /// A document that does not parse.
            #[error(transparent)]
            Document(#[from] DocumentError),
            $( $(#[$doc])* #[error(transparent)] $variant(#[from] $ty), )*
        }

        impl Error {
            /// Stable snake_case code.
            pub fn code(&self) -> &'static str {
                match self {
                    Error::Document(e) => e.code(),
                    $( Error::$variant(e) => e.code(), )*
                }
            }
            /// JSON path of the offending field, where there is one.
            pub fn path(&self) -> Option<String> {
                match self {
                    Error::Document(e) => e.path(),
                    $( Error::$variant(e) => e.path(), )*
                }
            }
        }
    };
}

core_error! {
    /// Japanese era dates, fiscal years, school stages.
    Calendar(crate::calendar::CalendarError),
    /// Taxonomy documents and codes.
    Taxonomy(crate::taxonomy::TaxonomyError),
    /// Household and person validation.
    Household(crate::household::HouseholdError),
    /// Agency directory.
    Agency(crate::agency::AgencyError),
    /// Case lifecycle.
    Case(crate::case::CaseError),
    /// Support plans and monitoring.
    Plan(crate::plan::PlanError),
    /// Referrals and liaison contacts.
    Referral(crate::referral::ReferralError),
    /// Routing rule documents and evaluation.
    Routing(crate::routing::RoutingError),
    /// Meeting types and records.
    Meeting(crate::meeting::MeetingError),
    /// Consent records.
    Consent(crate::consent::ConsentError),
    /// Disclosure decisions.
    Disclosure(crate::disclosure::DisclosureError),
    /// The case journal and its stores.
    Journal(crate::journal::JournalError),
    /// Cross-entity rules of the registry.
    Registry(crate::registry::RegistryError),
    /// Participation support: social resources, matching, follow-ups, resource gaps.
    Participation(crate::participation::ParticipationError),
    /// Community building: activities, sessions, per-area statistics.
    Community(crate::community::CommunityError),
    /// Disaster case management: affected households, visits, dispatches, phase end.
    Disaster(crate::disaster::DisasterError),
    /// Merging device journals and resolving conflicts.
    Sync(crate::sync::SyncError),
    /// Statistics: annual reports, partial reports, the pseudonymised export.
    Stats(crate::stats::StatsError),
}

impl Coded for Error {
    fn code(&self) -> &'static str {
        Error::code(self)
    }
    fn path(&self) -> Option<String> {
        Error::path(self)
    }
}

/// Every error code the core can return, sorted. Snapshot-tested: codes are a public contract.
pub fn all_codes() -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = vec!["malformed_document"];
    codes.extend_from_slice(crate::calendar::CalendarError::CODES);
    codes.extend_from_slice(crate::taxonomy::TaxonomyError::CODES);
    codes.extend_from_slice(crate::household::HouseholdError::CODES);
    codes.extend_from_slice(crate::agency::AgencyError::CODES);
    codes.extend_from_slice(crate::case::CaseError::CODES);
    codes.extend_from_slice(crate::plan::PlanError::CODES);
    codes.extend_from_slice(crate::referral::ReferralError::CODES);
    codes.extend_from_slice(crate::routing::RoutingError::CODES);
    codes.extend_from_slice(crate::meeting::MeetingError::CODES);
    codes.extend_from_slice(crate::consent::ConsentError::CODES);
    codes.extend_from_slice(crate::disclosure::DisclosureError::CODES);
    codes.extend_from_slice(crate::journal::JournalError::CODES);
    codes.extend_from_slice(crate::registry::RegistryError::CODES);
    codes.extend_from_slice(crate::participation::ParticipationError::CODES);
    codes.extend_from_slice(crate::community::CommunityError::CODES);
    codes.extend_from_slice(crate::disaster::DisasterError::CODES);
    codes.extend_from_slice(crate::sync::SyncError::CODES);
    codes.extend_from_slice(crate::stats::StatsError::CODES);
    codes.sort_unstable();
    codes.dedup();
    codes
}
