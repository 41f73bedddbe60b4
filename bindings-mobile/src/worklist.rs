//! The worklist on the device (端末の業務一覧): the tasks of a worker, an agency or a case on a
//! date — plan actions, monitoring, re-plans, referral follow-ups, 定着支援, consent renewal,
//! watching-over visits … — derived read-only by the core from the journal on the device, so it
//! works offline and shows what was recorded on this device since the last merge.

use crate::date::IsoDate;
use crate::error::Result;
use crate::guard::{from_json, guarded};
use crate::journal::CaseJournal;
use tsunagu::worklist::WorklistQuery;

#[uniffi::export]
impl CaseJournal {
    /// The worklist of `query_json` (the core's `WorklistQuery`: `on`, optional `agency`, `case`,
    /// `worker`, `horizon_days`) as the core's JSON document: `{on, overdue, due_today,
    /// due_this_week}`, each entry `{days_overdue, task}`, most urgent first.
    pub fn worklist_json(&self, query_json: String) -> Result<String> {
        guarded(|| {
            let query: WorklistQuery = from_json(&query_json)?;
            Ok(worklist(self, &query))
        })
    }

    /// The worklist of one worker on `on` (担当者の業務一覧): the tasks naming the worker and
    /// those of the cases whose team (主担当・副担当) they are on, as [`CaseJournal::worklist_json`].
    pub fn worker_worklist_json(&self, worker: String, on: IsoDate) -> Result<String> {
        guarded(|| {
            let on = on.get("$.on")?;
            let query: WorklistQuery =
                from_json(&serde_json::json!({"on": on, "worker": worker}).to_string())?;
            Ok(worklist(self, &query))
        })
    }
}

fn worklist(journal: &CaseJournal, query: &WorklistQuery) -> String {
    journal.with_registry(|r| serde_json::to_string(&r.worklist(query)).unwrap_or_default())
}
