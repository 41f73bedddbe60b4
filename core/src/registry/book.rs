//! The case book (ケース記録簿): a [`Registry`] kept in a durable [`Journal`].
//!
//! Every accepted command is appended to the journal as an [`Event`] before `execute` returns,
//! so nothing that was acknowledged is lost; opening a book replays its journal, so the state is
//! always the one the commands produced. A command the registry rejects appends nothing. A batch
//! is all-or-nothing: either every command is accepted and the batch is one journal transaction,
//! or nothing changes.

use super::{Command, Event, Receipt, Registry};
use crate::journal::{
    DeviceId, EventEnvelope, Journal, MemoryStore, NewEvent, Store, VerifyReport,
};
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
}

impl CaseBook<MemoryStore> {
    /// A new book in memory (tests, wasm).
    pub fn in_memory(device: &str) -> Result<Self, Error> {
        CaseBook::open(MemoryStore::new(), device)
    }
}

#[cfg(feature = "sqlite")]
impl CaseBook<crate::journal::SqliteStore> {
    /// Open (or create) a book in an SQLite journal file.
    pub fn open_file(path: impl AsRef<std::path::Path>, device: &str) -> Result<Self, Error> {
        CaseBook::open(crate::journal::SqliteStore::open(path)?, device)
    }
}

impl<S: Store> CaseBook<S> {
    /// Open a book on `store`: verify the chain and replay every event. `device` names this
    /// writer in the events it appends.
    pub fn open(store: S, device: &str) -> Result<Self, Error> {
        let device = DeviceId::new(device);
        let journal: Journal<Event, S> = Journal::open(store)?;
        journal.verify()?;
        let registry = replay(&journal)?;
        Ok(CaseBook {
            registry,
            journal,
            device,
        })
    }

    /// Execute one command on `today` and append it, recorded at `now`.
    pub fn execute(
        &mut self,
        command: Command,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Receipt, Error> {
        let receipt = self.registry.execute(&command, today)?;
        let event = NewEvent::new(self.device.clone(), now, Event { on: today, command });
        if let Err(e) = self.journal.append(vec![event]) {
            // The registry moved ahead of the journal: rebuild it from what is durable.
            self.registry = replay(&self.journal)?;
            return Err(e.into());
        }
        Ok(receipt)
    }

    /// Execute commands as one unit: all are accepted and appended in one transaction, or none.
    pub fn execute_batch(
        &mut self,
        commands: Vec<Command>,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Vec<Receipt>, Error> {
        let mut next = self.registry.clone();
        let mut receipts = Vec::with_capacity(commands.len());
        for command in &commands {
            receipts.push(next.execute(command, today)?);
        }
        let events = commands
            .into_iter()
            .map(|command| NewEvent::new(self.device.clone(), now, Event { on: today, command }))
            .collect();
        self.journal.append(events)?;
        self.registry = next;
        Ok(receipts)
    }

    /// The current state.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The journal.
    pub fn journal(&self) -> &Journal<Event, S> {
        &self.journal
    }

    /// Check the hash chain; names the first event whose chain breaks.
    pub fn verify(&self) -> Result<VerifyReport, Error> {
        Ok(self.journal.verify()?)
    }

    /// Every event, in journal order.
    pub fn events(&self) -> Result<Vec<EventEnvelope<Event>>, Error> {
        Ok(self.journal.iter().collect::<Result<Vec<_>, _>>()?)
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

fn replay<S: Store>(journal: &Journal<Event, S>) -> Result<Registry, Error> {
    journal.try_replay(Registry::new(), |mut reg, e: EventEnvelope<Event>| {
        reg.execute(&e.payload.command, e.payload.on)?;
        Ok::<_, Error>(reg)
    })
}
mod import;
