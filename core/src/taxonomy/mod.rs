//! Taxonomies (分類) as data: issue categories, domains, sectors, agency kinds, component
//! projects, intake channels, closure reasons, care levels and disability certificate kinds.
//!
//! Each entry has a stable code and ja/en labels. The built-in defaults ([`Taxonomies::builtin`])
//! come from `core/data/taxonomy.toml`, distilled from DOMAIN.md and the seeds: the 16 items of
//! the national intake form (相談受付・申込票), the seeds' further items (dementia, hoarding,
//! disaster recovery …), and every row of Ishinomaki's Table 1 as agency kinds in its five
//! sectors. A municipality extends them with a JSON or TOML document of the same shape
//! ([`Taxonomies::extend_json`], [`Taxonomies::extend_toml`]); a duplicate code, or a reference
//! to an unknown code (an agency kind in an unknown sector), is an error naming it, and a failed
//! extension changes nothing.
//!
//! This module owns the vocabulary only; which window covers which issue lives in the agency
//! directory and the routing rules.

mod data;

pub use data::{
    AgencyKind, CareLevel, ClosureReason, Domain, IssueCategory, Label, Sector, TaxonomyDocument,
    Term,
};

use crate::error::{Coded, Error};
use crate::ids::*;

/// Errors of taxonomy documents and lookups.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TaxonomyError {
    /// A code that is defined twice (in one document, or already built in).
    #[error("duplicate {list} code `{code}` at {path}")]
    DuplicateCode {
        /// Which list (`issues`, `agency_kinds` …).
        list: &'static str,
        /// The code.
        code: String,
        /// JSON path of the entry.
        path: String,
    },
    /// A code that no entry defines.
    #[error("unknown {list} code `{code}` at {path}")]
    UnknownCode {
        /// Which list the code should be in.
        list: &'static str,
        /// The code.
        code: String,
        /// JSON path of the reference.
        path: String,
    },
    /// A code that is empty or not snake_case.
    #[error("invalid code `{code}` at {path}: codes are non-empty lower snake_case")]
    InvalidCode {
        /// The code.
        code: String,
        /// JSON path.
        path: String,
    },
}

impl TaxonomyError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &["duplicate_code", "unknown_code", "invalid_code"];
}

impl Coded for TaxonomyError {
    fn code(&self) -> &'static str {
        match self {
            TaxonomyError::DuplicateCode { .. } => "duplicate_code",
            TaxonomyError::UnknownCode { .. } => "unknown_code",
            TaxonomyError::InvalidCode { .. } => "invalid_code",
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            TaxonomyError::DuplicateCode { path, .. }
            | TaxonomyError::UnknownCode { path, .. }
            | TaxonomyError::InvalidCode { path, .. } => Some(path.clone()),
        }
    }
}

/// The vocabularies in force for one municipality: the built-ins plus its extensions.
///
/// ```
/// use tsunagu::taxonomy::{Taxonomies, Domain};
/// let tax = Taxonomies::builtin();
/// let hikikomori = tax.issue(&"hikikomori".into()).unwrap();
/// assert_eq!(hikikomori.domain, Domain::Isolation);
/// assert_eq!(tax.sector_of(&"community_general_support_center".into()).unwrap().as_str(), "community_welfare_medical");
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Taxonomies {
    doc: TaxonomyDocument,
}

const BUILTIN: &str = include_str!("../../data/taxonomy.toml");

impl Taxonomies {
    /// The built-in defaults.
    pub fn builtin() -> Self {
        let doc: TaxonomyDocument =
            toml::from_str(BUILTIN).expect("built-in taxonomy parses (checked by tests)");
        let empty = Taxonomies {
            doc: TaxonomyDocument::default(),
        };
        empty
            .extended(doc)
            .expect("built-in taxonomy is consistent (checked by tests)")
    }

    /// The whole document (built-ins and extensions merged).
    pub fn document(&self) -> &TaxonomyDocument {
        &self.doc
    }

    /// A copy extended by `ext`; fails (and changes nothing) on duplicate or unknown codes.
    pub fn extended(&self, ext: TaxonomyDocument) -> Result<Self, Error> {
        let merged = self.doc.merged(ext)?;
        Ok(Taxonomies { doc: merged })
    }

    /// Extend in place from a JSON document (all or nothing).
    pub fn extend_json(&mut self, text: &str) -> Result<(), Error> {
        let ext: TaxonomyDocument = crate::error::from_json(text)?;
        *self = self.extended(ext)?;
        Ok(())
    }

    /// Extend in place from a TOML document (all or nothing).
    pub fn extend_toml(&mut self, text: &str) -> Result<(), Error> {
        let ext: TaxonomyDocument = crate::error::from_toml(text)?;
        *self = self.extended(ext)?;
        Ok(())
    }

    /// Issue category by code.
    pub fn issue(&self, code: &IssueCode) -> Option<&IssueCategory> {
        self.doc.issues.iter().find(|i| &i.code == code)
    }
    /// All issue categories.
    pub fn issues(&self) -> &[IssueCategory] {
        &self.doc.issues
    }
    /// Agency kind by code.
    pub fn agency_kind(&self, code: &AgencyKindCode) -> Option<&AgencyKind> {
        self.doc.agency_kinds.iter().find(|k| &k.code == code)
    }
    /// All agency kinds, in table order.
    pub fn agency_kinds(&self) -> &[AgencyKind] {
        &self.doc.agency_kinds
    }
    /// The sector an agency kind belongs to.
    pub fn sector_of(&self, kind: &AgencyKindCode) -> Option<&SectorCode> {
        self.agency_kind(kind).map(|k| &k.sector)
    }
    /// All sectors, in table order.
    pub fn sectors(&self) -> &[Sector] {
        &self.doc.sectors
    }
    /// Component projects (事業).
    pub fn projects(&self) -> &[Term<ProjectCode>] {
        &self.doc.projects
    }
    /// Intake channels (受付経路).
    pub fn channels(&self) -> &[Term<ChannelCode>] {
        &self.doc.channels
    }
    /// Closure reason by code.
    pub fn closure_reason(&self, code: &ClosureReasonCode) -> Option<&ClosureReason> {
        self.doc.closure_reasons.iter().find(|r| &r.code == code)
    }
    /// All closure reasons.
    pub fn closure_reasons(&self) -> &[ClosureReason] {
        &self.doc.closure_reasons
    }
    /// Care level by code.
    pub fn care_level(&self, code: &CareLevelCode) -> Option<&CareLevel> {
        self.doc.care_levels.iter().find(|c| &c.code == code)
    }
    /// Disability certificate kinds.
    pub fn certificate_kinds(&self) -> &[Term<CertificateKindCode>] {
        &self.doc.certificate_kinds
    }

    /// `Ok` when `code` is a known issue category; otherwise `unknown_code` at `path`.
    pub fn check_issue(
        &self,
        code: &IssueCode,
        path: &str,
    ) -> Result<&IssueCategory, TaxonomyError> {
        self.issue(code)
            .ok_or_else(|| unknown("issues", code.as_str(), path))
    }
    /// `Ok` when `code` is a known agency kind.
    pub fn check_agency_kind(
        &self,
        code: &AgencyKindCode,
        path: &str,
    ) -> Result<&AgencyKind, TaxonomyError> {
        self.agency_kind(code)
            .ok_or_else(|| unknown("agency_kinds", code.as_str(), path))
    }
    /// `Ok` when `code` is a known project.
    pub fn check_project(&self, code: &ProjectCode, path: &str) -> Result<(), TaxonomyError> {
        check_term(&self.doc.projects, code, "projects", path)
    }
    /// `Ok` when `code` is a known intake channel.
    pub fn check_channel(&self, code: &ChannelCode, path: &str) -> Result<(), TaxonomyError> {
        check_term(&self.doc.channels, code, "channels", path)
    }
    /// `Ok` when `code` is a known closure reason.
    pub fn check_closure_reason(
        &self,
        code: &ClosureReasonCode,
        path: &str,
    ) -> Result<&ClosureReason, TaxonomyError> {
        self.closure_reason(code)
            .ok_or_else(|| unknown("closure_reasons", code.as_str(), path))
    }
    /// `Ok` when `code` is a known care level.
    pub fn check_care_level(
        &self,
        code: &CareLevelCode,
        path: &str,
    ) -> Result<&CareLevel, TaxonomyError> {
        self.care_level(code)
            .ok_or_else(|| unknown("care_levels", code.as_str(), path))
    }
    /// `Ok` when `code` is a known certificate kind.
    pub fn check_certificate_kind(
        &self,
        code: &CertificateKindCode,
        path: &str,
    ) -> Result<(), TaxonomyError> {
        check_term(&self.doc.certificate_kinds, code, "certificate_kinds", path)
    }
}

impl Default for Taxonomies {
    fn default() -> Self {
        Self::builtin()
    }
}

fn unknown(list: &'static str, code: &str, path: &str) -> TaxonomyError {
    TaxonomyError::UnknownCode {
        list,
        code: code.to_string(),
        path: path.to_string(),
    }
}

fn check_term<C: PartialEq + AsRef<str>>(
    terms: &[Term<C>],
    code: &C,
    list: &'static str,
    path: &str,
) -> Result<(), TaxonomyError> {
    if terms.iter().any(|t| &t.code == code) {
        Ok(())
    } else {
        Err(unknown(list, code.as_ref(), path))
    }
}
