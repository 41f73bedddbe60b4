//! Agencies (関係機関): the directory of windows and services a municipality's support system
//! is made of — each agency's kind (and so its sector), the component projects it runs, the areas
//! and the issues and people it serves.
//!
//! The directory answers "who covers this need here?" ([`Directory::covering`]); composite-pattern
//! detection uses it to find needs no window covers (制度の狭間), and referrals use it to offer the
//! next options when a referral comes back. Convener designations (`designation`: who may
//! convene which meeting type) are kept beside the directory.

mod designation;

pub use designation::{ConvenerDesignation, Designations};

use crate::coded::Coded;
use crate::household::{Household, Person};
use crate::ids::*;
use crate::taxonomy::{Domain, Taxonomies};
use serde::{Deserialize, Serialize};

/// An agency (関係機関) in the directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    /// Agency id.
    pub id: AgencyId,
    /// Display name (an organisation, not a person).
    pub name: String,
    /// Kind code; the sector follows from it.
    pub kind: AgencyKindCode,
    /// Component projects it runs (事業).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub projects: Vec<ProjectCode>,
    /// Area codes served; empty means the whole municipality.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<AreaCode>,
    /// What it serves.
    #[serde(default)]
    pub serves: Served,
}

/// What an agency serves: issues (by code or domain) and people (by attribute).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Served {
    /// Issue codes covered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<IssueCode>,
    /// Whole domains covered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<Domain>,
    /// Minimum age served (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_age: Option<u32>,
    /// Maximum age served (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age: Option<u32>,
    /// Serves only people with a care level.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub requires_care_level: bool,
    /// Serves only people with a disability certificate.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub requires_disability: bool,
    /// Serves anyone with any issue (a comprehensive window, 丸ごと相談).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub any_issue: bool,
}

/// Errors of the agency directory.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AgencyError {
    /// A document that does not parse.
    #[error(transparent)]
    Document(#[from] crate::coded::DocumentError),
    /// An unknown or invalid vocabulary code.
    #[error(transparent)]
    Taxonomy(#[from] crate::taxonomy::TaxonomyError),
    /// Two agencies with one id.
    #[error("duplicate agency id `{id}` at {path}")]
    DuplicateAgency {
        /// The id.
        id: AgencyId,
        /// JSON path.
        path: String,
    },
    /// An agency id that is not in the directory.
    #[error("unknown agency `{id}` at {path}")]
    UnknownAgency {
        /// The id.
        id: AgencyId,
        /// JSON path of the reference.
        path: String,
    },
    /// An age range whose minimum exceeds its maximum.
    #[error("agency `{id}` serves ages {min}..={max}: empty range at {path}")]
    EmptyAgeRange {
        /// The agency.
        id: AgencyId,
        /// Minimum age.
        min: u32,
        /// Maximum age.
        max: u32,
        /// JSON path.
        path: String,
    },
}

impl AgencyError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] =
        &["duplicate_agency", "unknown_agency", "empty_age_range"];
}

impl Coded for AgencyError {
    fn code(&self) -> &'static str {
        match self {
            AgencyError::Document(e) => e.code(),
            AgencyError::Taxonomy(e) => e.code(),
            AgencyError::DuplicateAgency { .. } => "duplicate_agency",
            AgencyError::UnknownAgency { .. } => "unknown_agency",
            AgencyError::EmptyAgeRange { .. } => "empty_age_range",
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            AgencyError::Document(e) => e.path(),
            AgencyError::Taxonomy(e) => e.path(),
            AgencyError::DuplicateAgency { path, .. }
            | AgencyError::UnknownAgency { path, .. }
            | AgencyError::EmptyAgeRange { path, .. } => Some(path.clone()),
        }
    }
    fn kind(&self) -> crate::coded::ErrorKind {
        match self {
            AgencyError::Document(e) => e.kind(),
            AgencyError::Taxonomy(e) => e.kind(),
            AgencyError::DuplicateAgency { .. } => crate::coded::ErrorKind::AlreadyExists,
            AgencyError::UnknownAgency { .. } => crate::coded::ErrorKind::NotFound,
            AgencyError::EmptyAgeRange { .. } => crate::coded::ErrorKind::Invalid,
        }
    }
}

/// The agency directory (関係機関名簿), validated against a taxonomy.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(transparent)]
pub struct Directory {
    agencies: Vec<Agency>,
}

impl Directory {
    /// Build a directory, checking ids are unique and codes are known to `tax`.
    pub fn new(agencies: Vec<Agency>, tax: &Taxonomies) -> Result<Self, AgencyError> {
        for (i, a) in agencies.iter().enumerate() {
            if agencies[..i].iter().any(|b| b.id == a.id) {
                return Err(AgencyError::DuplicateAgency {
                    id: a.id.clone(),
                    path: format!("$[{i}].id"),
                });
            }
            tax.check_agency_kind(&a.kind, &format!("$[{i}].kind"))?;
            for (j, p) in a.projects.iter().enumerate() {
                tax.check_project(p, &format!("$[{i}].projects[{j}]"))?;
            }
            for (j, code) in a.serves.issues.iter().enumerate() {
                tax.check_issue(code, &format!("$[{i}].serves.issues[{j}]"))?;
            }
            if let (Some(min), Some(max)) = (a.serves.min_age, a.serves.max_age) {
                if min > max {
                    return Err(AgencyError::EmptyAgeRange {
                        id: a.id.clone(),
                        min,
                        max,
                        path: format!("$[{i}].serves"),
                    });
                }
            }
        }
        Ok(Directory { agencies })
    }

    /// Parse and validate a JSON array of agencies.
    pub fn from_json(text: &str, tax: &Taxonomies) -> Result<Self, AgencyError> {
        let agencies: Vec<Agency> = crate::coded::from_json(text)?;
        Self::new(agencies, tax)
    }

    /// Agency by id.
    pub fn get(&self, id: &AgencyId) -> Option<&Agency> {
        self.agencies.iter().find(|a| &a.id == id)
    }

    /// `Ok` when the agency exists; otherwise `unknown_agency` at `path`.
    pub fn check(&self, id: &AgencyId, path: &str) -> Result<&Agency, AgencyError> {
        self.get(id).ok_or_else(|| AgencyError::UnknownAgency {
            id: id.clone(),
            path: path.to_string(),
        })
    }

    /// All agencies.
    pub fn agencies(&self) -> &[Agency] {
        &self.agencies
    }

    /// Agencies of a kind.
    pub fn of_kind<'a>(
        &'a self,
        kind: &'a AgencyKindCode,
    ) -> impl Iterator<Item = &'a Agency> + 'a {
        self.agencies.iter().filter(move |a| &a.kind == kind)
    }

    /// Agencies that cover `issue` for `person` (or the household as a whole when `None`) in the
    /// household's area, on `today`.
    pub fn covering<'a>(
        &'a self,
        issue: &'a IssueCode,
        person: Option<&'a Person>,
        household: &'a Household,
        tax: &'a Taxonomies,
        today: chrono::NaiveDate,
    ) -> impl Iterator<Item = &'a Agency> + 'a {
        let domain = tax.issue(issue).map(|c| c.domain);
        self.agencies.iter().filter(move |a| {
            a.serves_area(household)
                && (a.serves.any_issue
                    || a.serves.issues.contains(issue)
                    || domain.is_some_and(|d| a.serves.domains.contains(&d)))
                && person.is_none_or(|p| a.serves_person(p, today))
        })
    }
}

impl Agency {
    /// Whether the agency serves the household's area (an agency with no areas serves all).
    pub fn serves_area(&self, household: &Household) -> bool {
        self.areas.is_empty() || household.area.codes().any(|c| self.areas.contains(c))
    }

    /// Whether the person fits the agency's attribute limits (unknown age fits any age range).
    pub fn serves_person(&self, person: &Person, today: chrono::NaiveDate) -> bool {
        let s = &self.serves;
        let age_ok = match person.age_on(today) {
            Some(age) => s.min_age.is_none_or(|m| age >= m) && s.max_age.is_none_or(|m| age <= m),
            None => true,
        };
        age_ok
            && (!s.requires_care_level || person.care_level.is_some())
            && (!s.requires_disability || !person.disabilities.is_empty())
    }
}
