//! Where the book keeps its view log (閲覧ログの保存): every entry the access wiring appends is
//! stored append-only with its own SHA-256 hash chain, apart from the event journal.
//!
//! **Why not journal events.** A read is not a change: as events, reads would grow the chain
//! every command replays, sync them as if they were edits, and count in statistics folds. The
//! log is kept beside the journal instead, in the same SQLite file for a book on a file (table
//! `view_log`, its own chain: `hash = SHA-256(prev_hash ‖ entry JSON)`, the first `prev_hash`
//! 32 zero bytes) and in memory for a book in memory (no chain there: hashes held in the same
//! process memory as the entries would prove nothing; a memory book's log lives as long as the
//! book). Opening a book on a file reads the table back, verifying its chain, and
//! rebuilds the indexed [`ViewLog`].
//!
//! **Decisions.** (1) The table is created by the book, not by the journal's schema, so journal
//! files without it open unchanged (it appears on the first read); a journal opened read-only by
//! `analysis` is never given one. (2) An entry that cannot be stored fails the read (`storage`):
//! a read that is not logged is not shown. (4) Commits wait for no fsync (WAL, synchronous
//! NORMAL): an application crash loses nothing, a power cut may lose the last reads. (3) The stored JSON is [`ViewRecord`]'s serde form
//! with `seq` = the row's position, so the hash covers the position too.

use crate::access::{ViewLog, ViewRecord};
use crate::journal::{ChainBreak, JournalError};
use sha2::{Digest, Sha256};

/// The hash of an entry after `prev`.
fn link(prev: &[u8; 32], json: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(json);
    h.finalize().into()
}

/// The store of the view log: in memory, or the `view_log` table of an SQLite journal file.
#[derive(Debug, Default)]
pub(super) enum ViewStore {
    /// Entries live in the book only (no chain: see the module docs).
    #[default]
    Memory,
    /// The `view_log` table (seq, json, prev_hash, hash) of the book's file.
    #[cfg(feature = "sqlite")]
    Sqlite(rusqlite::Connection),
}

/// The view log with its store and chain head.
#[derive(Debug, Default)]
pub(super) struct KeptLog {
    /// The indexed log the queries read.
    pub(super) log: ViewLog,
    /// Each entry's hash, in order (the chain).
    hashes: Vec<[u8; 32]>,
    store: ViewStore,
}

fn storage(e: impl std::fmt::Display) -> JournalError {
    JournalError::storage(e.to_string())
}

impl KeptLog {
    /// A log kept in the `view_log` table of the SQLite file at `path` (created when absent),
    /// read back and verified.
    #[cfg(feature = "sqlite")]
    pub(super) fn open_sqlite(path: &std::path::Path) -> Result<KeptLog, JournalError> {
        let conn = rusqlite::Connection::open(path).map_err(storage)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(storage)?;
        // The journal's file is in WAL mode; a view-log commit survives a crash of the
        // application but waits for no fsync (synchronous=NORMAL): a read is not a change, and
        // an fsync per read would make the log too dear to leave on.
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(storage)?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS view_log (
                seq INTEGER PRIMARY KEY,
                json TEXT NOT NULL,
                prev_hash BLOB NOT NULL,
                hash BLOB NOT NULL
            );",
        )
        .map_err(storage)?;
        let mut kept = KeptLog::default();
        {
            let mut stmt = conn
                .prepare("SELECT seq, json, prev_hash, hash FROM view_log ORDER BY seq")
                .map_err(storage)?;
            let mut rows = stmt.query([]).map_err(storage)?;
            while let Some(row) = rows.next().map_err(storage)? {
                let seq: i64 = row.get(0).map_err(storage)?;
                let json: String = row.get(1).map_err(storage)?;
                let prev: Vec<u8> = row.get(2).map_err(storage)?;
                let hash: Vec<u8> = row.get(3).map_err(storage)?;
                let expected_prev = kept.head();
                let broken = |reason| JournalError::ChainBroken {
                    seq: seq as u64,
                    reason,
                };
                if seq as usize != kept.hashes.len() + 1 || prev.as_slice() != expected_prev {
                    return Err(broken(ChainBreak::PrevHashMismatch));
                }
                if hash.as_slice() != link(&expected_prev, json.as_bytes()) {
                    return Err(broken(ChainBreak::HashMismatch));
                }
                let record: ViewRecord =
                    serde_json::from_str(&json).map_err(|_| broken(ChainBreak::HashMismatch))?;
                kept.log.append_record(&record);
                kept.hashes.push(link(&expected_prev, json.as_bytes()));
            }
        }
        kept.store = ViewStore::Sqlite(conn);
        Ok(kept)
    }

    /// The chain head (32 zero bytes before the first entry).
    fn head(&self) -> [u8; 32] {
        self.hashes.last().copied().unwrap_or([0; 32])
    }

    /// Number of entries.
    pub(super) fn len(&self) -> usize {
        self.log.len()
    }

    /// Store the entries appended to `log` since `from` (the length before a read): each is
    /// chained and, on a file, written in one transaction. On a storage failure the entries are
    /// taken back out of the in-memory log (rebuilt from what is stored) and the error returned.
    pub(super) fn persist_from(&mut self, from: usize) -> Result<(), JournalError> {
        if matches!(self.store, ViewStore::Memory) {
            // In memory the entries and any hashes of them would sit in the same process
            // memory: a chain proves nothing there, so none is computed (the cost of a logged
            // read stays the append). A file's rows are chained.
            return Ok(());
        }
        let records: Vec<ViewRecord> = (from..self.log.len())
            .filter_map(|i| self.log.get(i))
            .collect();
        let mut head = self.head();
        let mut rows = Vec::with_capacity(records.len());
        for r in &records {
            let json = serde_json::to_string(r).map_err(storage)?;
            let hash = link(&head, json.as_bytes());
            rows.push((r.seq as i64 + 1, json, head, hash));
            head = hash;
        }
        let stored = match &mut self.store {
            ViewStore::Memory => Ok(()),
            #[cfg(feature = "sqlite")]
            ViewStore::Sqlite(conn) => (|| {
                let tx = conn.transaction()?;
                {
                    let mut stmt = tx.prepare_cached(
                        "INSERT INTO view_log (seq, json, prev_hash, hash) VALUES (?1, ?2, ?3, ?4)",
                    )?;
                    for (seq, json, prev, hash) in &rows {
                        stmt.execute(rusqlite::params![seq, json, &prev[..], &hash[..]])?;
                    }
                }
                tx.commit()
            })()
            .map_err(storage),
        };
        match stored {
            Ok(()) => {
                self.hashes.extend(rows.into_iter().map(|(_, _, _, h)| h));
                Ok(())
            }
            Err(e) => {
                let mut log = ViewLog::new();
                for r in self.log.iter().take(from) {
                    log.append_record(&r);
                }
                self.log = log;
                Err(e)
            }
        }
    }

    /// Check the chain over the entries as the log holds them: `chain_broken` naming the first
    /// entry (1-based) whose hash does not follow.
    pub(super) fn verify(&self) -> Result<usize, JournalError> {
        if matches!(self.store, ViewStore::Memory) {
            return Ok(self.log.len());
        }
        let mut head = [0u8; 32];
        for (i, r) in self.log.iter().enumerate() {
            let json = serde_json::to_string(&r).map_err(storage)?;
            let h = link(&head, json.as_bytes());
            if self.hashes.get(i) != Some(&h) {
                return Err(JournalError::ChainBroken {
                    seq: i as u64 + 1,
                    reason: ChainBreak::HashMismatch,
                });
            }
            head = h;
        }
        Ok(self.log.len())
    }
}
