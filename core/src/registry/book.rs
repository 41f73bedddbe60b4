//! The case book (ケース記録簿): a [`Registry`] kept in a durable [`Journal`] — the one object
//! every binding wraps.
//!
//! Every accepted command is appended to the journal as an [`Event`] before `execute` returns,
//! so nothing that was acknowledged is lost; opening a book replays its journal, so the state is
//! always the one the commands produced. A command the registry rejects appends nothing. A batch
//! is all-or-nothing: either every command is accepted and the batch is one journal transaction,
//! or nothing changes.
//!
//! Besides commands, the book answers what the bindings used to compute for themselves: the
//! disclosure preview ([`CaseBook::preview_disclosure`]), batches of dated events whose errors
//! name the event ([`CaseBook::execute_events`], [`BatchError`]), the events in journal order
//! ([`CaseBook::payloads`], [`CaseBook::fold_events`]) and the time to record at when the
//! caller's clock may step back ([`CaseBook::recording_time`]). [`BookStore`] lets a binding
//! hold a book on either store without generics.
//!
//! **Actors.** [`CaseBook::execute`], [`CaseBook::execute_batch`] and
//! [`CaseBook::execute_events`] keep their meaning: no actor for the commands (accepted in setup
//! mode only), and for dated events each event's own `by` (an imported journal keeps who did
//! what). The `*_as` methods take the actor, and [`CaseBook::as_actor`] returns an
//! [`ActingBook`] handle holding it; either way every appended event carries the actor.

mod acting;
mod import;
mod permit;
mod preview;
mod reading;
mod store;
mod view_store;

pub use acting::ActingBook;
pub use preview::DisclosurePreview;
pub use store::BookStore;

use super::{Command, Event, Receipt, Registry};
use crate::journal::{
    DeviceId, EventEnvelope, Journal, MemoryStore, NewEvent, SealAs, Store, VerifyReport,
};
use crate::worker::Actor;
use crate::Error;
use chrono::{DateTime, NaiveDate, Utc};

/// A registry backed by a journal on store `S`.
///
/// ```
/// use tsunagu::registry::{CaseBook, Command};
/// let mut book = CaseBook::in_memory("tablet-1").unwrap();
/// let cmd: Command = serde_json::from_str(r#"{"command":"register_agency","agency":
///     {"id":"council","name":"社会福祉協議会","kind":"social_welfare_council"}}"#).unwrap();
/// let now = "2024-04-01T09:00:00Z".parse().unwrap();
/// book.execute(cmd, "2024-04-01".parse().unwrap(), now).unwrap();
/// assert_eq!(book.journal().len(), 1);
/// ```
#[derive(Debug)]
pub struct CaseBook<S: Store = MemoryStore> {
    registry: Registry,
    journal: Journal<Event, S>,
    device: DeviceId,
    /// The access policy reads and commands are judged by (`reading.rs`).
    policy: std::borrow::Cow<'static, crate::access::Policy>,
    /// The view log and where it is kept (`view_store.rs`).
    views: view_store::KeptLog,
}

/// A rejected batch ([`CaseBook::execute_events`]): the error, and the index of the event whose
/// command the registry rejected (`None` when the journal refused the whole batch). Nothing was
/// appended.
///
/// Its [`path`](BatchError::path) is the error's path re-rooted under the event
/// (`$[3].command.household.id`): the one place where batch paths are re-rooted.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchError {
    /// Position of the rejected event in the batch, when one event was rejected.
    pub index: Option<usize>,
    /// What the core said.
    pub error: Error,
}

impl BatchError {
    /// The error's stable code.
    pub fn code(&self) -> &'static str {
        self.error.code()
    }

    /// The JSON path in the batch: `$[i].command` + the command's own path (`$[2].command.case`),
    /// or the error's path when no single event was rejected.
    pub fn path(&self) -> Option<String> {
        match self.index {
            Some(i) => Some(path_under(
                &format!("$[{i}].command"),
                self.error.path().as_deref(),
            )),
            None => self.error.path(),
        }
    }
}

impl std::fmt::Display for BatchError {
    /// The core error's message (the index is in the path).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for BatchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl From<BatchError> for Error {
    /// The core error as is (its path relative to the command).
    fn from(e: BatchError) -> Self {
        e.error
    }
}

/// A path re-rooted under `prefix`: `path_under("$[3]", Some("$.household.id"))` is
/// `$[3].household.id`; without a path, `prefix` itself.
pub fn path_under(prefix: &str, path: Option<&str>) -> String {
    match path {
        Some(p) => format!("{prefix}{}", p.strip_prefix('$').unwrap_or(p)),
        None => prefix.to_string(),
    }
}

impl CaseBook<MemoryStore> {
    /// A new book in memory (tests, wasm).
    pub fn in_memory(device: &str) -> Result<Self, Error> {
        CaseBook::open(MemoryStore::new(), device)
    }

    /// A new book in memory holding `events` (in order, each on its own date), all recorded by
    /// `device` at `now` as one batch: what a binding's `replay(events)` is.
    ///
    /// Errors: those of [`CaseBook::execute_events`].
    pub fn from_events(
        device: &str,
        events: Vec<Event>,
        now: DateTime<Utc>,
    ) -> Result<Self, BatchError> {
        let mut book =
            CaseBook::in_memory(device).map_err(|error| BatchError { index: None, error })?;
        book.execute_events(events, now)?;
        Ok(book)
    }
}

#[cfg(feature = "sqlite")]
impl CaseBook<crate::journal::SqliteStore> {
    /// Open (or create) a book in an SQLite journal file.
    pub fn open_file(path: impl AsRef<std::path::Path>, device: &str) -> Result<Self, Error> {
        let path = path.as_ref();
        let mut book = CaseBook::open(crate::journal::SqliteStore::open(path)?, device)?;
        book.views = view_store::KeptLog::open_sqlite(path)?;
        Ok(book)
    }
}

impl<S: Store> CaseBook<S> {
    /// Open a book on `store`: verify the chain and replay every event. `device` names this
    /// writer in the events it appends.
    pub fn open(store: S, device: &str) -> Result<Self, Error> {
        let device = DeviceId::new(device);
        let journal: Journal<Event, S> = Journal::open(store)?;
        Self::from_journal(journal, device)
    }

    /// Open a book on `store` with the host's master key (see [`crate::journal::seal`]): events
    /// naming a household are sealed under its data key, sealed events open on replay, and an
    /// erasure destroys the key ([`super::EraseHousehold`]). Plaintext journals open unchanged
    /// (their old events stay in clear; new ones are sealed).
    ///
    /// Errors: `wrong_master_key`, `tampered_ciphertext`, `missing_key`, and those of
    /// [`CaseBook::open`].
    #[cfg(feature = "seal")]
    pub fn open_sealed(
        store: S,
        device: &str,
        master: crate::journal::MasterKey,
    ) -> Result<Self, Error> {
        let device = DeviceId::new(device);
        let journal: Journal<Event, S> = Journal::open_sealed(store, master)?;
        let mut book = Self::from_journal(journal, device)?;
        book.erase_keys()?;
        Ok(book)
    }

    fn from_journal(journal: Journal<Event, S>, device: DeviceId) -> Result<Self, Error> {
        journal.verify()?;
        let registry = replay(&journal)?;
        Ok(CaseBook {
            registry,
            journal,
            device,
            policy: std::borrow::Cow::Borrowed(crate::access::Policy::builtin()),
            views: view_store::KeptLog::default(),
        })
    }

    /// Execute one command on `today` and append it, recorded at `now`, without an actor
    /// (accepted in setup mode only, see [`Registry::execute_as`]).
    pub fn execute(
        &mut self,
        command: Command,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Receipt, Error> {
        self.execute_as(command, today, now, None)
    }

    /// Execute one command on `today` by `actor` and append it, recorded at `now`; the event
    /// carries the actor (`by`). [`CaseBook::as_actor`] is the same with the actor held.
    pub fn execute_as(
        &mut self,
        command: Command,
        today: NaiveDate,
        now: DateTime<Utc>,
        actor: Option<&Actor>,
    ) -> Result<Receipt, Error> {
        if let Some(a) = actor {
            permit::permit(&self.policy, &self.registry, &command, a)?;
        }
        let receipt = self.registry.execute_as(&command, today, actor)?;
        let event = NewEvent::new(
            self.device.clone(),
            now,
            Event::with_actor(today, command, actor.cloned()),
        );
        let sealed = self.sealed(vec![event]);
        if let Err(e) = self.journal.append_sealed(sealed) {
            // The registry moved ahead of the journal: rebuild it from what is durable.
            self.catch_up()?;
            return Err(e.into());
        }
        self.erase_keys()?;
        Ok(receipt)
    }

    /// Execute commands as one unit on `today`: all are accepted and appended in one
    /// transaction, or none. Errors carry the command's own path (see
    /// [`CaseBook::execute_events`] for paths under the batch index).
    pub fn execute_batch(
        &mut self,
        commands: Vec<Command>,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Vec<Receipt>, Error> {
        self.execute_batch_as(commands, today, now, None)
    }

    /// [`CaseBook::execute_batch`] by `actor`: every event carries the actor.
    pub fn execute_batch_as(
        &mut self,
        commands: Vec<Command>,
        today: NaiveDate,
        now: DateTime<Utc>,
        actor: Option<&Actor>,
    ) -> Result<Vec<Receipt>, Error> {
        let events = commands
            .into_iter()
            .map(|command| (Event::with_actor(today, command, actor.cloned()), now))
            .collect();
        Ok(receipts_only(self.append_judged(events, true)?))
    }

    /// [`CaseBook::execute_events`] by `actor`: each event is stamped `by` the actor (an actor
    /// an event already carries is replaced: the caller of this method is who acts).
    pub fn execute_events_as(
        &mut self,
        events: Vec<Event>,
        now: DateTime<Utc>,
        actor: Option<&Actor>,
    ) -> Result<Vec<Receipt>, BatchError> {
        let stamped = events
            .into_iter()
            .map(|e| (Event::with_actor(e.on, e.command, actor.cloned()), now))
            .collect();
        self.append_judged(stamped, true).map(receipts_only)
    }

    /// A handle that executes as `actor`: its `execute`, `execute_batch` and `execute_events`
    /// stamp `by` on every event they append (see [`ActingBook`]).
    pub fn as_actor(&mut self, actor: Actor) -> ActingBook<'_, S> {
        ActingBook { book: self, actor }
    }

    /// Execute dated events (`{on, command, by?}`, each on its own date, each by its own actor
    /// when it has one: imported events keep their `by`) as one unit, all recorded at `now`:
    /// every command is accepted and the events are appended in one transaction, or nothing
    /// changes. A rejected command is a [`BatchError`] naming its index.
    pub fn execute_events(
        &mut self,
        events: Vec<Event>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Receipt>, BatchError> {
        self.append_events(events.into_iter().map(|e| (e, now)).collect())
            .map(receipts_only)
    }

    /// Execute dated events, each recorded at its own time, as one unit (as
    /// [`CaseBook::execute_events`]); returns each event's seq in the journal with its receipt.
    pub fn append_events(
        &mut self,
        events: Vec<(Event, DateTime<Utc>)>,
    ) -> Result<Vec<(u64, Receipt)>, BatchError> {
        self.append_judged(events, false)
    }

    /// [`CaseBook::append_events`], judging each event's command against the policy's command
    /// rules first when `judge` (new commands by an actor; not imported or replayed events).
    fn append_judged(
        &mut self,
        events: Vec<(Event, DateTime<Utc>)>,
        judge: bool,
    ) -> Result<Vec<(u64, Receipt)>, BatchError> {
        let mut next = self.registry.clone();
        let mut receipts = Vec::with_capacity(events.len());
        for (index, (event, _)) in events.iter().enumerate() {
            if let (true, Some(by)) = (judge, event.by.as_ref()) {
                permit::permit(&self.policy, &next, &event.command, by).map_err(|error| {
                    BatchError {
                        index: Some(index),
                        error,
                    }
                })?;
            }
            let receipt = next.execute_event(event).map_err(|error| BatchError {
                index: Some(index),
                error,
            })?;
            receipts.push(receipt);
        }
        let batch = events
            .into_iter()
            .map(|(event, at)| NewEvent::new(self.device.clone(), at, event))
            .collect();
        let batch = sealed_with(&next, self.journal.keyring().is_some(), batch);
        let seqs = match self.journal.append_sealed(batch) {
            Ok(seqs) => seqs,
            Err(e) => {
                // Nothing of the batch was stored; take up what is durable (another writer's
                // events after a `journal_conflict`) so the next command goes on from there.
                self.catch_up()
                    .map_err(|error| BatchError { index: None, error })?;
                return Err(BatchError {
                    index: None,
                    error: e.into(),
                });
            }
        };
        self.registry = next;
        self.erase_keys()
            .map_err(|error| BatchError { index: None, error })?;
        Ok(seqs.into_iter().zip(receipts).collect())
    }

    /// The events with their seal plans (in clear when the book has no master key).
    fn sealed(
        &self,
        events: Vec<NewEvent<Event>>,
    ) -> Vec<(NewEvent<Event>, Option<SealAs<Event>>)> {
        sealed_with(&self.registry, self.journal.keyring().is_some(), events)
    }

    /// Complete every erasure: destroy the data key of each erased household whose key is still
    /// live (the erasure event is appended first, so a crash between the two is completed on
    /// the next open), then rebuild the registry without the erased households.
    fn erase_keys(&mut self) -> Result<(), Error> {
        let Some(ring) = self.journal.keyring() else {
            return Ok(());
        };
        let pending: Vec<String> = self
            .registry
            .erasures()
            .records
            .keys()
            .map(super::household_key)
            .filter(|k| !ring.is_destroyed(k))
            .collect();
        if pending.is_empty() {
            return Ok(());
        }
        for key in &pending {
            self.journal.destroy_key(key)?;
        }
        self.registry = replay(&self.journal)?;
        Ok(())
    }

    /// Take up the store as it is: its position (another writer may have appended: the
    /// `journal_conflict` case) and the state its events produce, replayed and verified. After a
    /// refused append the book is again the single writer of what it holds, so the next command
    /// succeeds without reopening the book.
    fn catch_up(&mut self) -> Result<(), Error> {
        self.journal.refresh()?;
        self.registry = replay(&self.journal)?;
        Ok(())
    }

    /// The time to record the next event at, given the caller's clock `now`: `now`, or this
    /// device's last recorded time when the clock stepped back (the journal refuses events that
    /// go back in a device's order, and a wall clock may be adjusted between two commands).
    pub fn recording_time(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self.journal.device_head(&self.device) {
            Some(head) if head.recorded_at > now => head.recorded_at,
            _ => now,
        }
    }

    /// The current state.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The journal.
    pub fn journal(&self) -> &Journal<Event, S> {
        &self.journal
    }

    /// The device this book records as.
    pub fn device(&self) -> &DeviceId {
        &self.device
    }

    /// Number of events in the journal.
    pub fn len(&self) -> u64 {
        self.journal.len()
    }

    /// True when nothing was recorded yet.
    pub fn is_empty(&self) -> bool {
        self.journal.is_empty()
    }

    /// Check the hash chain; names the first event whose chain breaks.
    pub fn verify(&self) -> Result<VerifyReport, Error> {
        Ok(self.journal.verify()?)
    }

    /// Every event, in journal order.
    pub fn events(&self) -> Result<Vec<EventEnvelope<Event>>, Error> {
        Ok(self.journal.iter().collect::<Result<Vec<_>, _>>()?)
    }

    /// Every event's payload (`{on, command}`), in journal order (verified as read).
    pub fn payloads(&self) -> Result<Vec<Event>, Error> {
        self.fold_events(Vec::with_capacity(self.len() as usize), |mut v, _, e| {
            v.push(e);
            v
        })
    }

    /// Fold every event's payload, in journal order, with its position (`seq - 1`, the
    /// position the statistics folds take), verified as read.
    pub fn fold_events<A>(
        &self,
        init: A,
        mut fold: impl FnMut(A, u64, Event) -> A,
    ) -> Result<A, Error> {
        Ok(self
            .journal
            .replay(init, |acc, e| fold(acc, e.seq - 1, e.payload))?)
    }

    /// Rebuild the state from the journal alone (what opening the book does).
    pub fn replayed(&self) -> Result<Registry, Error> {
        replay(&self.journal)
    }

    /// Give back the store.
    pub fn into_store(self) -> S {
        self.journal.into_store()
    }
}

/// The receipts of a batch, without the seqs.
fn receipts_only(appended: Vec<(u64, Receipt)>) -> Vec<Receipt> {
    appended.into_iter().map(|(_, r)| r).collect()
}

/// `events` with their seal plans against `reg`, when `seal` (the book has a master key).
fn sealed_with(
    reg: &Registry,
    seal: bool,
    events: Vec<NewEvent<Event>>,
) -> Vec<(NewEvent<Event>, Option<SealAs<Event>>)> {
    events
        .into_iter()
        .map(|e| {
            let plan = if seal {
                super::seal_plan(reg, &e.payload)
            } else {
                None
            };
            (e, plan)
        })
        .collect()
}

fn replay<S: Store>(journal: &Journal<Event, S>) -> Result<Registry, Error> {
    journal.try_replay_sealed(
        Registry::new(),
        |mut reg, e: EventEnvelope<Event>, sealing| {
            // A tombstone (its household's key destroyed) changes no state: the household was
            // erased (registry/erasure.rs). Its projection is still folded by statistics.
            if let crate::journal::Sealing::Tombstone(key) = sealing {
                reg.note_tombstone(key);
                return Ok(reg);
            }
            reg.execute_event(&e.payload)?;
            Ok::<_, Error>(reg)
        },
    )
}

#[cfg(test)]
mod tests;
