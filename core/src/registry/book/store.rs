//! [`BookStore`]: either journal store behind one type, for bindings that hold a [`CaseBook`]
//! without generics (Python opens a book in memory or on an SQLite file as the same class).
//!
//! An enum rather than `Box<dyn Store>`: replay costs the same (the store's `scan` already lends
//! rows to a `dyn FnMut` visitor, so the enum adds one branch per scan, not per row), the type
//! stays `Send` and `Debug` without extra bounds, there is no allocation, and a binding can ask
//! which store it holds (the path of a file, the events of a memory store).
//!
//! [`CaseBook`]: super::CaseBook

use crate::journal::{DeviceHead, JournalError, MemoryStore, Store, StoredEvent, StoredEventRef};

/// A journal store: in memory, or an SQLite file (feature `sqlite`).
#[derive(Debug)]
#[non_exhaustive]
pub enum BookStore {
    /// Events in memory.
    Memory(MemoryStore),
    /// An SQLite journal file.
    #[cfg(feature = "sqlite")]
    Sqlite(crate::journal::SqliteStore),
}

impl Default for BookStore {
    fn default() -> Self {
        BookStore::Memory(MemoryStore::new())
    }
}

impl From<MemoryStore> for BookStore {
    fn from(store: MemoryStore) -> Self {
        BookStore::Memory(store)
    }
}

#[cfg(feature = "sqlite")]
impl From<crate::journal::SqliteStore> for BookStore {
    fn from(store: crate::journal::SqliteStore) -> Self {
        BookStore::Sqlite(store)
    }
}

impl BookStore {
    /// The store as a trait object (one match, used by every method).
    fn inner(&self) -> &dyn Store {
        match self {
            BookStore::Memory(s) => s,
            #[cfg(feature = "sqlite")]
            BookStore::Sqlite(s) => s,
        }
    }

    fn inner_mut(&mut self) -> &mut dyn Store {
        match self {
            BookStore::Memory(s) => s,
            #[cfg(feature = "sqlite")]
            BookStore::Sqlite(s) => s,
        }
    }
}

impl Store for BookStore {
    fn last_seq(&self) -> Result<u64, JournalError> {
        self.inner().last_seq()
    }

    fn read(&self, from_seq: u64, limit: usize) -> Result<Vec<StoredEvent>, JournalError> {
        self.inner().read(from_seq, limit)
    }

    fn scan(
        &self,
        from_seq: u64,
        visit: &mut dyn FnMut(StoredEventRef<'_>) -> Result<bool, JournalError>,
    ) -> Result<(), JournalError> {
        self.inner().scan(from_seq, visit)
    }

    fn device_heads(&self) -> Result<Vec<DeviceHead>, JournalError> {
        self.inner().device_heads()
    }

    fn append(&mut self, expected_len: u64, events: &[StoredEvent]) -> Result<(), JournalError> {
        self.inner_mut().append(expected_len, events)
    }

    fn key_rows(&self) -> Result<Vec<crate::journal::KeyRow>, JournalError> {
        self.inner().key_rows()
    }

    fn put_keys(&mut self, rows: &[crate::journal::KeyRow]) -> Result<(), JournalError> {
        self.inner_mut().put_keys(rows)
    }

    fn destroy_key(&mut self, key_id: &str) -> Result<(), JournalError> {
        self.inner_mut().destroy_key(key_id)
    }
}
