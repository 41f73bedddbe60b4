//! Vocabularies (語彙): the built-in taxonomies extended by a municipality's documents, and the
//! agency directory checked against them — to validate configuration on the device before it is
//! recorded in a journal.

use crate::error::Result;
use std::sync::{Arc, Mutex};
use tsunagu::agency::Directory;
use tsunagu::taxonomy::{Taxonomies, TaxonomyDocument};

/// Sizes of the vocabularies in force.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct VocabularyCounts {
    /// Issue codes.
    pub issues: u32,
    /// Agency kinds.
    pub agency_kinds: u32,
}

struct State {
    tax: Taxonomies,
    directory: Directory,
}

/// Taxonomies and an agency directory; thread-safe (a mutex inside).
#[derive(uniffi::Object)]
pub struct Vocabulary {
    state: Mutex<State>,
}

#[uniffi::export]
impl Vocabulary {
    /// The built-in taxonomies and an empty directory.
    #[uniffi::constructor]
    pub fn builtin() -> Result<Arc<Vocabulary>> {
        crate::guard::guarded(|| {
            Ok(Arc::new(Vocabulary {
                state: Mutex::new(State {
                    tax: Taxonomies::builtin(),
                    directory: Directory::default(),
                }),
            }))
        })
    }

    /// Extend with a taxonomy document (JSON). A failed extension changes nothing.
    pub fn extend(&self, document_json: String) -> Result<VocabularyCounts> {
        crate::guard::guarded(|| {
            let doc: TaxonomyDocument = crate::guard::from_json(&document_json)?;
            let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
            s.tax = s.tax.extended(doc)?;
            Ok(counts(&s.tax))
        })
    }

    /// Sizes now.
    pub fn counts(&self) -> Result<VocabularyCounts> {
        crate::guard::guarded(|| {
            Ok(counts(
                &self.state.lock().unwrap_or_else(|p| p.into_inner()).tax,
            ))
        })
    }

    /// Replace the directory with these agencies (a JSON array); returns how many.
    pub fn load_directory(&self, agencies_json: String) -> Result<u32> {
        crate::guard::guarded(|| {
            let agencies = crate::guard::from_json(&agencies_json)?;
            let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
            s.directory = Directory::new(agencies, &s.tax)?;
            Ok(s.directory.agencies().len() as u32)
        })
    }
}

#[uniffi::export]
impl Vocabulary {
    /// Validate a household against these taxonomies on `today` (every problem is reported by
    /// the first error's code and path).
    pub fn validate_household(
        &self,
        household: tsunagu::household::Household,
        today: crate::date::IsoDate,
    ) -> Result<()> {
        crate::guard::guarded(|| {
            let today = today.get("$.today")?;
            household.validate(
                &self.state.lock().unwrap_or_else(|p| p.into_inner()).tax,
                today,
            )?;
            Ok(())
        })
    }

    /// Composite patterns (複合課題: 8050, double care, young carer …) of a household on `today`,
    /// as JSON findings with their evidence (`settings_json`: pattern settings, or `None`).
    pub fn detect_patterns_json(
        &self,
        household: tsunagu::household::Household,
        today: crate::date::IsoDate,
        settings_json: Option<String>,
    ) -> Result<String> {
        crate::guard::guarded(|| {
            let today = today.get("$.today")?;
            let s = self.state.lock().unwrap_or_else(|p| p.into_inner());
            household.validate(&s.tax, today)?;
            let settings: tsunagu::patterns::PatternSettings = match settings_json {
                Some(j) => crate::guard::from_json(&j)?,
                None => Default::default(),
            };
            let found = tsunagu::patterns::detect_patterns(
                &household,
                &s.tax,
                &s.directory,
                &settings,
                today,
            );
            Ok(serde_json::to_string(&found).unwrap_or_default())
        })
    }
}

fn counts(t: &Taxonomies) -> VocabularyCounts {
    VocabularyCounts {
        issues: t.issues().len() as u32,
        agency_kinds: t.agency_kinds().len() as u32,
    }
}
