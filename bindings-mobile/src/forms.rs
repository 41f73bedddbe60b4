//! Forms on the device (様式): the four national sheets of 包括的相談支援 (受付・アセスメント・
//! プラン・評価) and a municipality's extensions, checked and submitted offline. A submitted form
//! yields the core's commands (its record last), executed on the journal as one unit.

use crate::date::IsoDate;
use crate::error::{Result, TsunaguError};
use crate::guard::{from_json, guarded};
use crate::journal::{CaseJournal, CommandReceipt};
use chrono::DateTime;
use std::sync::{Arc, Mutex};
use tsunagu::forms::{FormDefinition, FormSet, Submission};
use tsunagu::registry::Event;

/// The form definitions in force (様式の定義): the national sheets, extended by a municipality.
/// Thread-safe (a mutex inside).
#[derive(uniffi::Object)]
pub struct Forms {
    set: Mutex<FormSet>,
}

impl Forms {
    fn set(&self) -> std::sync::MutexGuard<'_, FormSet> {
        self.set.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[uniffi::export]
impl Forms {
    /// The national sheets (`core/data/forms/`).
    #[uniffi::constructor]
    pub fn builtin() -> Result<Arc<Forms>> {
        guarded(|| {
            Ok(Arc::new(Forms {
                set: Mutex::new(FormSet::builtin()),
            }))
        })
    }

    /// Extend with a municipality's form document (JSON: new forms, fields added to a national
    /// sheet); returns how many forms are in force. `invalid_form_definition` lists every
    /// problem (`problems`); a failed extension changes nothing.
    pub fn extend(&self, document_json: String) -> Result<u32> {
        guarded(|| {
            crate::guard::check_depth(&document_json)?;
            let mut set = self.set();
            let mut next = set.clone();
            next.extend_json(&document_json)?;
            *set = next;
            Ok(set.forms().len() as u32)
        })
    }

    /// Ids of the forms in force.
    pub fn form_ids(&self) -> Result<Vec<String>> {
        guarded(|| {
            Ok(self
                .set()
                .forms()
                .iter()
                .map(|f| f.id.to_string())
                .collect())
        })
    }

    /// The commands a filled form yields against the journal's state on `today`, as a JSON array
    /// (not executed): `unknown_form` (`$.form`), `invalid_submission` with every problem,
    /// `not_found` (`$.case`).
    pub fn submit(
        &self,
        journal: Arc<CaseJournal>,
        submission_json: String,
        today: IsoDate,
    ) -> Result<String> {
        guarded(|| {
            let today = today.get("$.today")?;
            let sub: Submission = from_json(&submission_json)?;
            let set = self.set();
            let commands = journal.with_registry(|r| set.submit(&sub, r, today))?;
            Ok(serde_json::to_string(&commands).unwrap_or_default())
        })
    }
}

/// Check a form definition (JSON) on its own: `invalid_form_definition` with every problem.
#[uniffi::export]
pub fn check_form_definition(form_json: String) -> Result<()> {
    guarded(|| {
        let form: FormDefinition = from_json(&form_json)?;
        FormSet::check_definition(&form)?;
        Ok(())
    })
}

#[uniffi::export]
impl CaseJournal {
    /// Submit a filled form and execute what it yields on `today` as one unit (all or nothing),
    /// recorded at `recorded_at_ms`: the receipts, the form record last. A rejected command is
    /// reported with its own code and path (the commands are the form's, not the app's).
    pub fn execute_form(
        &self,
        forms: Arc<Forms>,
        submission_json: String,
        today: IsoDate,
        recorded_at_ms: i64,
    ) -> Result<Vec<CommandReceipt>> {
        guarded(|| {
            let on = today.get("$.today")?;
            let at = DateTime::from_timestamp_millis(recorded_at_ms).ok_or_else(|| {
                TsunaguError::invalid(
                    "invalid_date",
                    format!("timestamp {recorded_at_ms} ms is out of range"),
                    Some("$.recorded_at_ms"),
                )
            })?;
            let sub: Submission = from_json(&submission_json)?;
            let commands = {
                let set = forms.set();
                self.with_registry(|r| set.submit(&sub, r, on))?
            };
            let events = commands
                .into_iter()
                .map(|c| (Event::new(on, c), at))
                .collect();
            self.append_receipts(events)
        })
    }
}
