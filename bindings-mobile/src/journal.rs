//! The case journal on the device (端末のケース記録): an SQLite file in the app's storage, the
//! registry state replayed from it, typed calls for the main flows (household, intake, visits and
//! contacts, monitoring due lists, disclosure previews), a batch append, export, and the merge of
//! several devices' journals with conflicts to resolve.
//!
//! A [`CaseJournal`] is a thin shell over the core's `CaseBook<SqliteStore>` (the registry kept in
//! a journal): the book executes, appends, imports with de-duplication and chain verification,
//! opens with the conflicts of a merged history and writes merges; this module converts
//! arguments, results and error paths. Besides the book it keeps only the list of conflicts not
//! yet resolved in this session.
//!
//! Thread safety: one [`CaseJournal`] holds a `Mutex` around the book; share the object (`Arc`)
//! between threads freely, calls are serialised.

use crate::date::IsoDate;
use crate::error::{Result, TsunaguError};
use crate::routing::Router;
use chrono::{DateTime, Utc};
use serde_json::json;
use std::sync::{Arc, Mutex, MutexGuard};
use tsunagu::case::Intake;
use tsunagu::household::Household;
use tsunagu::journal::{EventEnvelope, SqliteStore};
use tsunagu::plan::OverdueMonitoring;
use tsunagu::registry::CaseBook;
use tsunagu::registry::{
    Command, Event, LogContact, OpenCase, Receipt, RegisterAgency, RegisterHousehold, Registry,
    UpdateHousehold,
};
use tsunagu::routing::{Routing, Situation};
use tsunagu::sync;
use tsunagu::worker::Actor;

/// A home visit or liaison contact (訪問・連絡調整). Kept here rather than the core's
/// `referral::LiaisonContact`: the app passes the channel and CSW role as codes (the core's enums
/// `ContactChannel` and `CswRole` would change the call's shape), and the date as text, so that
/// an unknown code is `malformed_document` and an impossible Swift date `invalid_date`, each at
/// its path under `$.contact`.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Contact {
    /// Contact id.
    pub id: String,
    /// The case, if any.
    #[uniffi(default = None)]
    pub case: Option<String>,
    /// Date.
    pub on: IsoDate,
    /// The agency contacted / visiting.
    pub agency: String,
    /// Channel code (`home_visit`, `phone`, `meeting` …).
    pub channel: String,
    /// Purpose.
    pub purpose: String,
    /// CSW role code (`coordinate`, `accompany` …).
    #[uniffi(default = None)]
    pub csw_role: Option<String>,
}

/// A command to append: its business date, when it was recorded, and the command as JSON (the
/// registry's interchange format, `{"command": "…", …}`).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CommandEvent {
    /// Business date the command executes with.
    pub on: IsoDate,
    /// When it was recorded, milliseconds since the Unix epoch (UTC), from the app's clock.
    pub recorded_at_ms: i64,
    /// The command.
    pub command_json: String,
}

/// What an accepted command produced.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CommandReceipt {
    /// Journal seq of the event.
    pub seq: u64,
    /// Receipt kind (`recorded`, `case_transition`, `referral_transition`, `consent`, `disclosed`).
    pub kind: String,
    /// The whole receipt as JSON.
    pub detail_json: String,
}

/// A case, summarised (the core's `Case` keeps its fields private behind its state machine).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CaseSummary {
    /// Case id.
    pub id: String,
    /// Household id.
    pub household: String,
    /// The person at the centre.
    pub subject: String,
    /// State code (`intake`, `assessment`, `support` …).
    pub state: String,
    /// Responsible window.
    pub responsible_window: String,
}

/// A disclosure preview (開示の事前確認): what an audience may see, decided by the rules, without
/// recording anything.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct DisclosurePreview {
    /// Level code.
    pub level: String,
    /// Information categories allowed.
    pub categories: Vec<String>,
    /// The whole decision as JSON (grants and their legal bases).
    pub decision_json: String,
}

/// Result of a verification. The binding's own view of the core's `VerifyReport`, whose device
/// heads carry `chrono::DateTime` times uniffi does not carry.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct VerifyInfo {
    /// Events checked.
    pub events: u64,
    /// Hash of the last event.
    pub last_hash: String,
}

/// A conflict found by a merge or by replay (競合).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ConflictInfo {
    /// `rejected`, `concurrent_edit` or `divergent`.
    pub kind: String,
    /// Seq of the event in the merged journal.
    pub seq: u64,
    /// Device that recorded it.
    pub device: String,
    /// Its device sequence.
    pub device_seq: u64,
    /// Command name (`case`, `update_household`, `log_contact` …).
    pub command: String,
    /// For `rejected`: the error code.
    pub code: Option<String>,
    /// For `rejected`: the error path.
    pub path: Option<String>,
    /// For `concurrent_edit`: the record (`household:h-1`, `case:c-1` …).
    pub record: Option<String>,
    /// For `concurrent_edit`: the other device.
    pub other_device: Option<String>,
    /// The whole conflict as JSON.
    pub detail_json: String,
}

/// How a person resolves a conflict (the core's `sync::Choice`, with the replacing command as
/// JSON: commands do not cross as records).
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum Resolution {
    /// Keep what the merged journal gives; nothing appended.
    KeepMerged,
    /// Re-apply the other side (or retry the rejected command) as a new event.
    TakeOther,
    /// Record this corrected command (JSON) instead.
    Replace {
        /// The command.
        command_json: String,
    },
}

/// The result of a merge: the merged journal (a new file) and its conflicts.
#[derive(uniffi::Record)]
pub struct MergeOutcome {
    /// The merged journal, open on this device.
    pub journal: Arc<CaseJournal>,
    /// Conflicts to resolve, by seq.
    pub conflicts: Vec<ConflictInfo>,
}

pub(crate) struct Inner {
    book: CaseBook<SqliteStore>,
    /// Conflicts of the merge or replay that are not resolved yet in this session.
    conflicts: Vec<sync::Conflict>,
}

/// A journal on the device: the core's case book on an SQLite file. Thread-safe.
///
/// **Actors (実行者).** [`CaseJournal::as_actor`] gives a handle on the same journal whose every
/// command is executed by one worker of one agency: the core checks the actor
/// (`unknown_worker`, `worker_not_of_agency`, `worker_inactive`) and the journal records it on
/// each event it appends (`by`), so the exports carried to the office and merged say who wrote
/// each record. While no worker is registered (setup mode: the agency and its first workers)
/// commands without an actor are accepted; after that a journal without an actor refuses them
/// (`actor_required`, `Rejected`). Imports and merges keep each event's own actor; a conflict
/// resolved through an acting handle is recorded as that actor's.
#[derive(uniffi::Object)]
pub struct CaseJournal {
    inner: Arc<Mutex<Inner>>,
    /// Who acts through this handle (`None`: the journal itself, setup mode only).
    actor: Option<Actor>,
}

/// Who acts (実行者): a worker and the agency they act for (the core's `worker::Actor`).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Acting {
    /// Worker id.
    pub worker: String,
    /// Agency id.
    pub agency: String,
}

fn time(ms: i64, path: &str) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms).ok_or_else(|| {
        TsunaguError::invalid(
            "invalid_date",
            format!("timestamp {ms} ms is out of range"),
            Some(path),
        )
    })
}

fn command(json: &str) -> Result<Command> {
    crate::guard::from_json(json)
}

/// The view of a core conflict. Converted, not exported as is: a conflict carries the events'
/// commands (`registry::Command`, hundreds of nested types), which cross as JSON (`detail_json`).
fn conflict_info(c: &sync::Conflict) -> ConflictInfo {
    let (code, path, record, other_device) = match &c.kind {
        sync::ConflictKind::Rejected { code, path, .. } => {
            (Some(code.clone()), path.clone(), None, None)
        }
        sync::ConflictKind::ConcurrentEdit { record, other, .. } => (
            None,
            None,
            Some(record.to_string()),
            Some(other.device.to_string()),
        ),
        sync::ConflictKind::Divergent { .. } => (None, None, None, None),
    };
    ConflictInfo {
        kind: c.kind_code().into(),
        seq: c.seq,
        device: c.event.device.to_string(),
        device_seq: c.event.device_seq,
        command: c.payload.command.name().into(),
        code,
        path,
        record,
        other_device,
        detail_json: serde_json::to_string(c).unwrap_or_default(),
    }
}

impl CaseJournal {
    fn new(book: CaseBook<SqliteStore>, conflicts: Vec<sync::Conflict>) -> Arc<CaseJournal> {
        Arc::new(CaseJournal {
            inner: Arc::new(Mutex::new(Inner { book, conflicts })),
            actor: None,
        })
    }

    fn from_store(store: SqliteStore, device: String) -> Result<Arc<CaseJournal>> {
        let (book, conflicts) = CaseBook::open_with_conflicts(store, &device)?;
        Ok(CaseJournal::new(book, conflicts))
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Execute and append a batch of already-parsed events atomically, each stamped with this
    /// handle's actor (if any), returning each event's seq and the core's receipt.
    fn append_raw(
        &self,
        events: Vec<(Event, DateTime<Utc>)>,
    ) -> std::result::Result<Vec<(u64, Receipt)>, tsunagu::registry::BatchError> {
        let events = match &self.actor {
            // Stamp every event with this handle's actor (the core checks it per command).
            Some(actor) => events
                .into_iter()
                .map(|(e, at)| (Event::with_actor(e.on, e.command, Some(actor.clone())), at))
                .collect(),
            None => events,
        };
        self.lock().book.append_events(events)
    }

    /// Execute and append a batch of already-parsed events atomically, returning each event's
    /// seq and the core's receipt. Paths of a rejected command are under `$[i].command`.
    pub(crate) fn append_core(
        &self,
        events: Vec<(Event, DateTime<Utc>)>,
    ) -> Result<Vec<(u64, Receipt)>> {
        self.append_raw(events).map_err(TsunaguError::from)
    }

    /// Execute and append a batch atomically; a rejected command keeps its own path (for the
    /// commands a form yields, which the app did not write).
    pub(crate) fn append_receipts(
        &self,
        events: Vec<(Event, DateTime<Utc>)>,
    ) -> Result<Vec<CommandReceipt>> {
        let r = self
            .append_raw(events)
            .map_err(|e| TsunaguError::from(e.error))?;
        Ok(receipts(r))
    }

    /// Execute and append a batch of already-parsed events atomically.
    pub fn append_events(
        &self,
        events: Vec<(Event, DateTime<Utc>)>,
    ) -> Result<Vec<CommandReceipt>> {
        Ok(receipts(self.append_core(events)?))
    }

    /// Execute and append one command: its seq and the core's receipt; paths as in the command
    /// (`$.contact.on`), without the batch prefix.
    /// One typed record (participation, community, disaster): the event's date — the `today`
    /// its dates are checked against (`date_in_future`) — is the date in Japan of
    /// `recorded_at_ms`, the moment the app recorded it.
    pub(crate) fn one_core(&self, recorded_at_ms: i64, command: Command) -> Result<(u64, Receipt)> {
        let at = time(recorded_at_ms, "$.recorded_at_ms")?;
        let on = tsunagu::calendar::date_in_japan(at);
        let mut r = self
            .append_core(vec![(Event::new(on, command), at)])
            .map_err(strip_batch)?;
        Ok(r.remove(0))
    }

    /// One command whose event's date is the day in Japan of `recorded_at_ms` (as
    /// [`CaseJournal::one_core`]), returning the receipt of the generic calls.
    pub(crate) fn one_receipt(
        &self,
        recorded_at_ms: i64,
        command: Command,
    ) -> Result<CommandReceipt> {
        let at = time(recorded_at_ms, "$.recorded_at_ms")?;
        self.one(
            tsunagu::calendar::date_in_japan(at),
            recorded_at_ms,
            command,
        )
    }

    fn one(
        &self,
        on: chrono::NaiveDate,
        recorded_at_ms: i64,
        command: Command,
    ) -> Result<CommandReceipt> {
        let at = time(recorded_at_ms, "$.recorded_at_ms")?;
        let mut r = self
            .append_events(vec![(Event::new(on, command), at)])
            .map_err(strip_batch)?;
        Ok(r.remove(0))
    }

    /// The registry state (for Rust callers and the benchmark).
    pub fn with_registry<T>(&self, f: impl FnOnce(&Registry) -> T) -> T {
        f(self.lock().book.registry())
    }
}

/// The app's view of the core's receipts.
fn receipts(r: Vec<(u64, Receipt)>) -> Vec<CommandReceipt> {
    r.into_iter()
        .map(|(seq, r)| {
            let detail = serde_json::to_value(&r).unwrap_or_default();
            CommandReceipt {
                seq,
                kind: detail["receipt"].as_str().unwrap_or("recorded").to_string(),
                detail_json: detail.to_string(),
            }
        })
        .collect()
}

/// A single-event call reports paths without the batch prefix `$[0].command`.
fn strip_batch(e: TsunaguError) -> TsunaguError {
    e.rebased("$[0].command", "$")
}

#[uniffi::export]
impl CaseJournal {
    /// Open (or create) the journal file at `path` as device `device` (the installation's id).
    /// Replays it; events a merge left rejected are reported by [`CaseJournal::conflicts`].
    #[uniffi::constructor]
    pub fn open(path: String, device: String) -> Result<Arc<CaseJournal>> {
        crate::guard::guarded(|| CaseJournal::from_store(SqliteStore::open(&path)?, device))
    }

    /// A journal in memory (tests, previews).
    #[uniffi::constructor]
    pub fn in_memory(device: String) -> Result<Arc<CaseJournal>> {
        crate::guard::guarded(|| CaseJournal::from_store(SqliteStore::open_in_memory()?, device))
    }

    /// A handle on this same journal (same file, same state, same lock) whose commands are
    /// executed by `worker` acting for `agency`: every event it appends carries the actor. Cheap;
    /// the actor is checked by each command (`unknown_worker`, `worker_not_of_agency`,
    /// `worker_inactive`), so a wrong actor fails its first command and appends nothing.
    pub fn as_actor(&self, worker: String, agency: String) -> Result<Arc<CaseJournal>> {
        crate::guard::guarded(|| {
            Ok(Arc::new(CaseJournal {
                inner: Arc::clone(&self.inner),
                actor: Some(Actor::new(worker.as_str(), agency.as_str())),
            }))
        })
    }

    /// Who acts through this handle (`None` for the journal itself).
    pub fn actor(&self) -> Result<Option<Acting>> {
        crate::guard::guarded(|| {
            Ok(self.actor.as_ref().map(|a| Acting {
                worker: a.worker.to_string(),
                agency: a.agency.to_string(),
            }))
        })
    }

    /// This device's id.
    pub fn device(&self) -> Result<String> {
        crate::guard::guarded(|| Ok(self.lock().book.device().to_string()))
    }

    /// Number of events.
    pub fn len(&self) -> Result<u64> {
        crate::guard::guarded(|| Ok(self.lock().book.journal().len()))
    }

    /// True when empty.
    pub fn is_empty(&self) -> Result<bool> {
        crate::guard::guarded(|| Ok(self.lock().book.journal().is_empty()))
    }

    /// Check the whole hash chain.
    pub fn verify(&self) -> Result<VerifyInfo> {
        crate::guard::guarded(|| {
            let r = self.lock().book.verify()?;
            Ok(VerifyInfo {
                events: r.events,
                last_hash: r.last_hash,
            })
        })
    }

    /// Execute one command (JSON) and append it.
    pub fn execute(&self, event: CommandEvent) -> Result<CommandReceipt> {
        crate::guard::guarded(|| {
            let on = event.on.get("$.on")?;
            self.one(on, event.recorded_at_ms, command(&event.command_json)?)
        })
    }

    /// Execute and append a batch atomically (one boundary crossing): the first rejected command
    /// fails the whole batch with its path under `$[i]`, and nothing is appended.
    pub fn append_batch(&self, events: Vec<CommandEvent>) -> Result<Vec<CommandReceipt>> {
        crate::guard::guarded(|| {
            let mut parsed = Vec::with_capacity(events.len());
            for (i, e) in events.iter().enumerate() {
                let on = e.on.get(&format!("$[{i}].on"))?;
                let at = time(e.recorded_at_ms, &format!("$[{i}].recorded_at_ms"))?;
                let command = command(&e.command_json)
                    .map_err(|x| x.under(&format!("$[{i}].command_json")))?;
                parsed.push((Event::new(on, command), at));
            }
            self.append_events(parsed)
        })
    }

    /// Register an agency (JSON document of the directory format).
    pub fn register_agency(
        &self,
        on: IsoDate,
        recorded_at_ms: i64,
        agency_json: String,
    ) -> Result<CommandReceipt> {
        crate::guard::guarded(|| {
            let agency = crate::guard::from_json(&agency_json)?;
            self.one(
                on.get("$.on")?,
                recorded_at_ms,
                Command::RegisterAgency(RegisterAgency { agency }),
            )
        })
    }

    /// Register a household (世帯登録).
    pub fn register_household(
        &self,
        on: IsoDate,
        recorded_at_ms: i64,
        household: Household,
    ) -> Result<CommandReceipt> {
        crate::guard::guarded(|| {
            self.one(
                on.get("$.on")?,
                recorded_at_ms,
                Command::RegisterHousehold(RegisterHousehold { household }),
            )
        })
    }

    /// Replace a household's document.
    pub fn update_household(
        &self,
        on: IsoDate,
        recorded_at_ms: i64,
        household: Household,
    ) -> Result<CommandReceipt> {
        crate::guard::guarded(|| {
            self.one(
                on.get("$.on")?,
                recorded_at_ms,
                Command::UpdateHousehold(UpdateHousehold { household }),
            )
        })
    }

    /// Open a case at intake (受付).
    pub fn open_case(
        &self,
        recorded_at_ms: i64,
        case_id: String,
        household: String,
        subject: String,
        responsible_window: String,
        intake: Intake,
    ) -> Result<CommandReceipt> {
        crate::guard::guarded(|| {
            self.one(
                intake.on,
                recorded_at_ms,
                Command::OpenCase(OpenCase {
                    case: case_id.as_str().into(),
                    household: household.as_str().into(),
                    subject: subject.as_str().into(),
                    responsible_window: responsible_window.as_str().into(),
                    intake,
                }),
            )
        })
    }

    /// Record a home visit or liaison contact (訪問記録・連絡調整) — works offline like every call.
    pub fn record_contact(&self, recorded_at_ms: i64, contact: Contact) -> Result<CommandReceipt> {
        crate::guard::guarded(|| {
            let on = contact.on.get("$.contact.on")?;
            let mut v = json!({
                "id": contact.id, "on": contact.on.0, "agency": contact.agency,
                "channel": contact.channel, "purpose": contact.purpose,
            });
            if let Some(c) = &contact.case {
                v["case"] = json!(c);
            }
            if let Some(r) = &contact.csw_role {
                v["csw_role"] = json!(r);
            }
            let contact =
                crate::guard::from_json(&v.to_string()).map_err(|e| e.under("$.contact"))?;
            self.one(
                on,
                recorded_at_ms,
                Command::LogContact(LogContact { contact }),
            )
        })
    }

    /// A household by id.
    pub fn household(&self, id: String) -> Result<Option<Household>> {
        crate::guard::guarded(|| {
            Ok(self
                .lock()
                .book
                .registry()
                .household(&id.as_str().into())
                .cloned())
        })
    }

    /// Every case.
    pub fn cases(&self) -> Result<Vec<CaseSummary>> {
        crate::guard::guarded(|| {
            Ok(self
                .lock()
                .book
                .registry()
                .cases()
                .map(|c| CaseSummary {
                    id: c.id().to_string(),
                    household: c.household().to_string(),
                    subject: c.subject().to_string(),
                    state: c.state().kind().code().to_string(),
                    responsible_window: c.responsible_window().to_string(),
                })
                .collect())
        })
    }

    /// Number of liaison contacts and visits recorded.
    pub fn contact_count(&self) -> Result<u32> {
        crate::guard::guarded(|| Ok(self.lock().book.registry().contacts().len() as u32))
    }

    /// Ids of the liaison contacts, in recording order.
    pub fn contact_ids(&self) -> Result<Vec<String>> {
        crate::guard::guarded(|| {
            Ok(self
                .lock()
                .book
                .registry()
                .contacts()
                .iter()
                .map(|c| c.id.to_string())
                .collect())
        })
    }

    /// Plans whose monitoring is overdue on `today` (the due list), in one call.
    pub fn due_monitoring(&self, today: IsoDate) -> Result<Vec<OverdueMonitoring>> {
        crate::guard::guarded(|| {
            let today = today.get("$.today")?;
            Ok(self.lock().book.registry().overdue_monitoring(today))
        })
    }

    /// Route a registered household with explanations.
    pub fn route_household(
        &self,
        router: Arc<Router>,
        household: String,
        situation: Situation,
    ) -> Result<Routing> {
        crate::guard::guarded(|| {
            let inner = self.lock();
            let h = inner
                .book
                .registry()
                .household(&household.as_str().into())
                .ok_or_else(|| TsunaguError::Rejected {
                    code: "not_found".into(),
                    detail: format!("unknown household `{household}`"),
                    path: Some("$.household".into()),
                })?;
            Ok(router.core().evaluate(h, &situation))
        })
    }

    /// What an audience may see of a person, decided by the disclosure rules against the consents
    /// recorded here ([`tsunagu::registry::CaseBook::preview_disclosure`]: `not_found` at
    /// `$.case` for an unknown case); nothing is recorded (`request_json` is a disclosure request
    /// document).
    pub fn preview_disclosure(&self, request_json: String) -> Result<DisclosurePreview> {
        crate::guard::guarded(|| {
            let request = crate::guard::from_json(&request_json)?;
            let d = self.lock().book.preview_disclosure(&request)?.decision;
            let v = serde_json::to_value(&d).unwrap_or_default();
            Ok(DisclosurePreview {
                level: v["level"].as_str().unwrap_or_default().to_string(),
                categories: d
                    .categories()
                    .iter()
                    .map(|c| c.code().to_string())
                    .collect(),
                decision_json: v.to_string(),
            })
        })
    }

    /// Every event as a JSON array of envelopes (to carry to another device or the office).
    pub fn export_json(&self) -> Result<String> {
        crate::guard::guarded(|| {
            let events = self.lock().book.events()?;
            serde_json::to_string(&events).map_err(|e| TsunaguError::Journal {
                code: "storage".into(),
                detail: e.to_string(),
                path: None,
            })
        })
    }

    /// Import another journal's events this one lacks (device ids and sequences kept), in that
    /// journal's order, executing each: this is how a device takes the office's records before
    /// going out. Returns the number imported. The export's hash chain is verified first
    /// (`unverified_journal` at `$[i]`, the first event whose link fails); a rejected event
    /// fails the whole import (its path under `$[i].payload.command`); either way nothing is
    /// imported.
    pub fn import_json(&self, export_json: String) -> Result<u32> {
        crate::guard::guarded(|| {
            let events: Vec<EventEnvelope<Event>> = crate::guard::from_json(&export_json)?;
            let n = self.lock().book.import_events(&events).map_err(|e| {
                let index = e.rejected_index();
                let error = TsunaguError::from(tsunagu::Error::from(e));
                match index {
                    Some(i) => error.under(&format!("$[{i}].payload.command")),
                    // The core names the export as input 0 of a merge (`$[0][i]`): here it is `$[i]`.
                    None => error.rebased("$[0]", "$"),
                }
            })?;
            Ok(u32::try_from(n).unwrap_or(u32::MAX))
        })
    }

    /// Conflicts of this journal: those of the merge that produced it (until resolved in this
    /// session) and events its replay rejects.
    pub fn conflicts(&self) -> Result<Vec<ConflictInfo>> {
        crate::guard::guarded(|| Ok(self.lock().conflicts.iter().map(conflict_info).collect()))
    }

    /// Resolve conflict number `index` of [`CaseJournal::conflicts`]: append the event the choice
    /// implies (stamped with this device) and return its seq, or `None` when nothing is needed.
    /// The conflict leaves the list either way.
    pub fn resolve(
        &self,
        index: u32,
        resolution: Resolution,
        on: IsoDate,
        recorded_at_ms: i64,
    ) -> Result<Option<u64>> {
        crate::guard::guarded(|| {
            let on = on.get("$.on")?;
            let at = time(recorded_at_ms, "$.recorded_at_ms")?;
            let choice = match resolution {
                Resolution::KeepMerged => sync::Choice::KeepMerged,
                Resolution::TakeOther => sync::Choice::TakeOther,
                Resolution::Replace { command_json } => sync::Choice::Replace {
                    command: command(&command_json)?,
                },
            };
            let conflict = {
                let inner = self.lock();
                inner
                    .conflicts
                    .get(index as usize)
                    .cloned()
                    .ok_or_else(|| TsunaguError::Journal {
                        code: "invalid_resolution".into(),
                        detail: format!("no conflict number {index}"),
                        path: Some("$.index".into()),
                    })?
            };
            let device = self.lock().book.device().clone();
            let event = sync::resolve(&conflict, &choice, device, at, on)?;
            let seq = match event {
                Some(e) => Some(
                    self.append_events(vec![(e.payload, at)])
                        .map_err(strip_batch)?[0]
                        .seq,
                ),
                None => None,
            };
            self.lock().conflicts.retain(|c| c != &conflict);
            Ok(seq)
        })
    }
}

/// Merge journals exported by several devices ([`CaseJournal::export_json`]) into a new journal
/// file at `path`, open as `device`. The merge is deterministic (see the core's `sync` module):
/// any order of `exports`, and repeated merges, give the same journal.
#[uniffi::export]
pub fn merge_journals(exports: Vec<String>, path: String, device: String) -> Result<MergeOutcome> {
    crate::guard::guarded(|| {
        let mut journals = Vec::with_capacity(exports.len());
        for (i, x) in exports.iter().enumerate() {
            let events: Vec<EventEnvelope<Event>> =
                crate::guard::from_json(x).map_err(|e| e.under(&format!("$[{i}]")))?;
            journals.push(events);
        }
        let store = if path.is_empty() {
            SqliteStore::open_in_memory()?
        } else {
            SqliteStore::open(&path)?
        };
        let (book, conflicts) = CaseBook::merge_into(&journals, store, &device)?;
        let infos = conflicts.iter().map(conflict_info).collect();
        Ok(MergeOutcome {
            journal: CaseJournal::new(book, conflicts),
            conflicts: infos,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn office() -> Arc<CaseJournal> {
        let j = CaseJournal::in_memory("office".into()).unwrap();
        for (i, id) in ["council", "ward"].into_iter().enumerate() {
            let agency = json!({"id": id, "name": "窓口", "kind": "social_welfare_council"});
            j.register_agency(IsoDate("2024-04-01".into()), i as i64, agency.to_string())
                .unwrap();
        }
        j
    }

    #[test]
    fn preview_of_an_unknown_case_is_not_found_as_in_every_binding() {
        let request = json!({"case": "c-none", "person": "p1", "purpose": "support_planning",
            "on": "2024-04-02", "audience": {"type": "meeting", "meeting_type": "support_meeting",
            "participants_acknowledged": true}});
        let e = office()
            .preview_disclosure(request.to_string())
            .unwrap_err();
        assert_eq!((e.code(), e.path()), ("not_found", Some("$.case")));
    }

    #[test]
    fn import_verifies_the_chain_and_skips_what_it_holds() {
        let export = office().export_json().unwrap();
        let mut edited: Vec<serde_json::Value> = serde_json::from_str(&export).unwrap();
        edited[1]["recorded_at"] = json!("2030-01-01T00:00:00Z");
        let tablet = CaseJournal::in_memory("tablet".into()).unwrap();
        let e = tablet
            .import_json(serde_json::to_string(&edited).unwrap())
            .unwrap_err();
        assert_eq!((e.code(), e.path()), ("unverified_journal", Some("$[1]")));
        assert!(
            tablet.is_empty().unwrap(),
            "a broken export imports nothing"
        );
        assert_eq!(tablet.import_json(export.clone()).unwrap(), 2);
        assert_eq!(tablet.import_json(export).unwrap(), 0);
        assert_eq!(tablet.verify().unwrap().events, 2);
    }

    #[test]
    fn a_rejected_import_names_the_event() {
        let tablet = CaseJournal::in_memory("tablet".into()).unwrap();
        let agency = json!({"id": "ward", "name": "窓口", "kind": "social_welfare_council"});
        tablet
            .register_agency(IsoDate("2024-04-01".into()), 0, agency.to_string())
            .unwrap();
        let e = tablet
            .import_json(office().export_json().unwrap())
            .unwrap_err();
        assert!(
            e.path().unwrap_or("").starts_with("$[1].payload.command"),
            "{e:?}"
        );
        assert_eq!(tablet.len().unwrap(), 1);
    }
}
