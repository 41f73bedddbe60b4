//! SQLite journal store (feature `sqlite`): one file, WAL mode, one transaction per append batch,
//! schema versioned by `PRAGMA user_version` with a list of migrations.
//!
//! # Durability
//!
//! The connection runs `journal_mode=WAL` with `synchronous=FULL`: every commit syncs the WAL file
//! before `append` returns, so a committed batch survives both a killed process and a power cut
//! (with WAL, `NORMAL` only survives the former: the last commits may roll back after a power
//! loss). This assumes the disk honours `fsync`; on macOS SQLite would also need `fullfsync`,
//! which this store does not set. The crash test (`core/tests/journal_crash.rs`) checks the
//! process-kill half.
//!
//! # Identity and versions
//!
//! A journal file carries `PRAGMA application_id` = [`APPLICATION_ID`] and `PRAGMA user_version`
//! = its schema version. Opening checks both before writing anything: a file that is not SQLite,
//! or another application's database, fails with `not_a_journal`; a journal of a newer schema
//! fails with `schema_too_new` — neither is ever modified. An empty file (or a new path) becomes
//! a journal; an older journal is migrated forward in one transaction. Migrations 2 and 3
//! copy the events into a new table (about 7 s for a million events on the project machine);
//! the old table's pages stay in the file as free pages, which later appends reuse (`VACUUM`
//! gives them back to the file system).
//!
//! # Rows (schema 3)
//!
//! An event row holds `seq`, `device_id`, `device_seq`, `recorded_at`, the canonical payload text
//! and the 32-byte `hash`. `device_id` is the device's integer id in the append-only
//! `device_ids` table (id, device text; ids from 1 in the order devices first appear), read back
//! as the device text: a row is a few bytes shorter, and a read looks the text up in memory
//! instead of taking it from every row. An id that is not in the table is `corrupt_event`
//! (field `device`); a device text edited in the table fails the hash of its events. The event's `prev_hash` is not stored: it is the previous row's `hash`
//! (zeros for seq 1), which is what the journal appends, so a read fills it in from there (and the
//! hash pre-image, which contains it, is unchanged: files of schema 1 verify after migration).
//! `recorded_at` is integer nanoseconds since 1970 where that fits in 64 bits (1677–2262, no leap
//! second), else the canonical RFC 3339 text, which is also what rows migrated from schema 1 keep.
//!
//! Events are also protected inside the file: triggers abort any `UPDATE` or `DELETE` on them (an
//! accidental edit with an SQL tool fails; a deliberate one that drops the triggers is caught by
//! the hash chain).

use super::canonical::{format_time, parse_time as parse_canonical_time};
use super::{DeviceHead, DeviceId, JournalError, Store, StoredEvent, StoredEventRef};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, ErrorCode, OptionalExtension, TransactionBehavior};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

/// `PRAGMA application_id` of a journal file: ASCII `TSJN`.
pub const APPLICATION_ID: i32 = 0x5453_4a4e;

/// One step of the schema: applied to a journal whose `user_version` is `version - 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migration {
    /// Version after this step.
    pub version: u32,
    /// What it changes.
    pub description: &'static str,
    /// The SQL, run in the migration's transaction.
    pub sql: &'static str,
}

/// Every migration, in order; `MIGRATIONS[i].version == i + 1`. Never edit a released step: add
/// a new one.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        description: "events table (append-only by trigger) and the device index",
        sql: "
        CREATE TABLE events (
            seq         INTEGER PRIMARY KEY CHECK (seq >= 1),
            device      TEXT    NOT NULL,
            device_seq  INTEGER NOT NULL CHECK (device_seq >= 1),
            recorded_at TEXT    NOT NULL,
            payload     TEXT    NOT NULL,
            prev_hash   BLOB    NOT NULL CHECK (length(prev_hash) = 32),
            hash        BLOB    NOT NULL CHECK (length(hash) = 32)
        ) STRICT;
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'journal events are append-only'); END;
        CREATE TRIGGER events_no_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'journal events are append-only'); END;
        CREATE TABLE devices (
            device      TEXT    PRIMARY KEY,
            device_seq  INTEGER NOT NULL,
            recorded_at TEXT    NOT NULL,
            seq         INTEGER NOT NULL
        ) STRICT, WITHOUT ROWID;
    ",
    },
    Migration {
        version: 2,
        description: "events without the stored prev_hash (it is the previous row's hash); \
                  recorded_at as integer nanoseconds since 1970 where it fits",
        // Rows copied from version 1 keep their text times (the column takes both); the hashes
        // are untouched, so every migrated event verifies as before.
        sql: "
        CREATE TABLE events_v2 (
            seq         INTEGER PRIMARY KEY CHECK (seq >= 1),
            device      TEXT    NOT NULL,
            device_seq  INTEGER NOT NULL CHECK (device_seq >= 1),
            recorded_at ANY     NOT NULL CHECK (typeof(recorded_at) IN ('integer', 'text')),
            payload     TEXT    NOT NULL,
            hash        BLOB    NOT NULL CHECK (length(hash) = 32)
        ) STRICT;
        INSERT INTO events_v2 (seq, device, device_seq, recorded_at, payload, hash)
            SELECT seq, device, device_seq, recorded_at, payload, hash FROM events ORDER BY seq;
        DROP TABLE events;
        ALTER TABLE events_v2 RENAME TO events;
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'journal events are append-only'); END;
        CREATE TRIGGER events_no_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'journal events are append-only'); END;
    ",
    },
    Migration {
        version: 3,
        description: "device table: each event row stores its device's integer id \
                  (device_ids, append-only) instead of the device text",
        // Ids in the order the devices first appear. `device_id` is no declared foreign key
        // (that would cost every insert a lookup): append writes a new device's id in the
        // batch's transaction, and a read fails with `corrupt_event` on an unknown id. The hashes are untouched (the pre-image
        // still holds the device text, read back through the id), so every migrated event
        // verifies as before.
        sql: "
        CREATE TABLE device_ids (
            id          INTEGER PRIMARY KEY CHECK (id >= 1),
            device      TEXT    NOT NULL UNIQUE
        ) STRICT;
        CREATE TRIGGER device_ids_no_update BEFORE UPDATE ON device_ids
            BEGIN SELECT RAISE(ABORT, 'journal device ids are append-only'); END;
        CREATE TRIGGER device_ids_no_delete BEFORE DELETE ON device_ids
            BEGIN SELECT RAISE(ABORT, 'journal device ids are append-only'); END;
        INSERT INTO device_ids (device)
            SELECT device FROM events GROUP BY device ORDER BY min(seq);
        CREATE TABLE events_v3 (
            seq         INTEGER PRIMARY KEY CHECK (seq >= 1),
            device_id   INTEGER NOT NULL,
            device_seq  INTEGER NOT NULL CHECK (device_seq >= 1),
            recorded_at ANY     NOT NULL CHECK (typeof(recorded_at) IN ('integer', 'text')),
            payload     TEXT    NOT NULL,
            hash        BLOB    NOT NULL CHECK (length(hash) = 32)
        ) STRICT;
        INSERT INTO events_v3 (seq, device_id, device_seq, recorded_at, payload, hash)
            SELECT e.seq, d.id, e.device_seq, e.recorded_at, e.payload, e.hash
            FROM events AS e JOIN device_ids AS d ON d.device = e.device ORDER BY e.seq;
        DROP TABLE events;
        ALTER TABLE events_v3 RENAME TO events;
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'journal events are append-only'); END;
        CREATE TRIGGER events_no_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'journal events are append-only'); END;
    ",
    },
];

/// Failure points inside a store write (故障注入), for the crash test: with feature `testing` a
/// process may install one hook ([`set_fault_hook`]) that is called at each point, and typically
/// kills the process there, so a test can show that its kills land inside a transaction. Without
/// the feature the points compile to nothing.
#[cfg(feature = "testing")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultPoint {
    /// An append batch is written in its transaction, not yet committed.
    BeforeCommit,
    /// An append batch is committed; `append` has not returned (not acknowledged).
    AfterCommit,
    /// A migration step ran in the migration's transaction, not yet committed.
    MidMigration,
}

#[cfg(feature = "testing")]
static FAULT_HOOK: std::sync::OnceLock<fn(FaultPoint)> = std::sync::OnceLock::new();

/// Install the process's fault hook (feature `testing`); `false` when one was already set.
#[cfg(feature = "testing")]
pub fn set_fault_hook(hook: fn(FaultPoint)) -> bool {
    FAULT_HOOK.set(hook).is_ok()
}

/// Call the fault hook at `point`, if one is installed (feature `testing`; nothing otherwise).
macro_rules! fault_point {
    ($point:ident) => {
        #[cfg(feature = "testing")]
        if let Some(hook) = FAULT_HOOK.get() {
            hook(FaultPoint::$point);
        }
    };
}

/// Schema version this build writes (the last migration's).
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Journal store in an SQLite file (see the module docs for durability and versioning).
#[derive(Debug)]
pub struct SqliteStore {
    pub(in crate::journal) conn: Connection,
}

fn storage(e: rusqlite::Error) -> JournalError {
    JournalError::storage(e.to_string())
}

fn to_i64(n: u64) -> Result<i64, JournalError> {
    i64::try_from(n).map_err(|_| JournalError::storage("seq exceeds SQLite's integer range"))
}

impl SqliteStore {
    /// Open (or create) the journal file at `path`.
    ///
    /// Errors: `not_a_journal`, `schema_too_new`, `storage`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, JournalError> {
        let conn = Connection::open(path).map_err(storage)?;
        Self::init(conn, true)
    }

    /// A journal in a private in-memory SQLite database (tests).
    pub fn open_in_memory() -> Result<Self, JournalError> {
        let conn = Connection::open_in_memory().map_err(storage)?;
        Self::init(conn, false)
    }

    /// Schema version of the open file.
    pub fn schema_version(&self) -> Result<u32, JournalError> {
        self.conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(storage)
    }

    fn init(mut conn: Connection, file: bool) -> Result<Self, JournalError> {
        conn.busy_timeout(Duration::from_secs(5)).map_err(storage)?;
        // Identify the file with reads only: nothing is written to a file that is not ours.
        let identify = |conn: &Connection| -> rusqlite::Result<(i32, u32, i64)> {
            let app: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
            let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
            let objects: i64 =
                conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
            Ok((app, version, objects))
        };
        let (app, version, objects) = identify(&conn).map_err(|e| {
            if e.sqlite_error_code() == Some(ErrorCode::NotADatabase) {
                JournalError::NotAJournal {
                    reason: "the file is not an SQLite database".to_string(),
                }
            } else {
                storage(e)
            }
        })?;
        let fresh = version == 0 && objects == 0 && (app == 0 || app == APPLICATION_ID);
        if !fresh && app != APPLICATION_ID {
            return Err(JournalError::NotAJournal {
                reason: format!("SQLite database with application_id {app:#x}, not a journal"),
            });
        }
        if !fresh && version == 0 {
            return Err(JournalError::NotAJournal {
                reason: "journal application id but no schema version".to_string(),
            });
        }
        if version > SCHEMA_VERSION {
            return Err(JournalError::SchemaTooNew {
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        if file {
            let mode: String = conn
                .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
                .map_err(storage)?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(JournalError::storage(format!(
                    "could not enable WAL mode (got {mode})"
                )));
            }
        }
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(storage)?;
        migrate(&mut conn, version)?;
        Ok(SqliteStore { conn })
    }
}

/// Apply every migration after `from`, and stamp the identity, in one transaction.
pub(in crate::journal) fn migrate(conn: &mut Connection, from: u32) -> Result<(), JournalError> {
    if from >= SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(storage)?;
    // Re-read inside the write lock: another process may have migrated meanwhile.
    let current: u32 = tx
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(storage)?;
    for m in MIGRATIONS.iter().filter(|m| m.version > current) {
        tx.execute_batch(m.sql).map_err(storage)?;
        tx.pragma_update(None, "user_version", m.version)
            .map_err(storage)?;
        fault_point!(MidMigration);
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)
        .map_err(storage)?;
    tx.commit().map_err(storage)
}

fn parse_time(seq: u64, text: &str) -> Result<DateTime<Utc>, JournalError> {
    parse_canonical_time(text).ok_or_else(|| JournalError::CorruptEvent {
        seq,
        field: "recorded_at",
        reason: "not an RFC 3339 time".to_string(),
    })
}

/// A 32-byte hash column.
fn hash_column(
    seq: u64,
    field: &'static str,
    value: rusqlite::types::ValueRef<'_>,
) -> Result<[u8; 32], JournalError> {
    match value {
        rusqlite::types::ValueRef::Blob(b) => b.try_into().ok(),
        _ => None,
    }
    .ok_or_else(|| JournalError::CorruptEvent {
        seq,
        field,
        reason: "not a 32-byte hash".to_string(),
    })
}

/// A stored `recorded_at`: integer nanoseconds since 1970-01-01T00:00:00Z (schema 2), or the
/// canonical RFC 3339 text (schema 1 rows, and times outside what 64-bit nanoseconds reach).
fn time_column(
    seq: u64,
    value: rusqlite::types::ValueRef<'_>,
) -> Result<DateTime<Utc>, JournalError> {
    match value {
        rusqlite::types::ValueRef::Integer(n) => Ok(DateTime::from_timestamp_nanos(n)),
        rusqlite::types::ValueRef::Text(t) => parse_time(seq, std::str::from_utf8(t).unwrap_or("")),
        _ => Err(JournalError::CorruptEvent {
            seq,
            field: "recorded_at",
            reason: "neither integer nanoseconds nor RFC 3339 text".to_string(),
        }),
    }
}

/// `recorded_at` as written: integer nanoseconds when they fit (and it is no leap second),
/// else the canonical text.
fn time_value(t: &DateTime<Utc>) -> rusqlite::types::Value {
    use chrono::Timelike;
    match t.timestamp_nanos_opt() {
        Some(n) if t.nanosecond() < 1_000_000_000 => rusqlite::types::Value::Integer(n),
        _ => rusqlite::types::Value::Text(format_time(t)),
    }
}

/// The device table (`device_ids`) in memory: id → device text. Ids are normally 1, 2, 3 …
/// (then looked up by position), but any ids work.
#[derive(Debug, Default)]
struct DeviceNames {
    /// `(id, device)` sorted by id.
    names: Vec<(i64, String)>,
}

impl DeviceNames {
    fn load(conn: &Connection) -> Result<Self, JournalError> {
        let mut stmt = conn
            .prepare_cached("SELECT id, device FROM device_ids ORDER BY id")
            .map_err(storage)?;
        let names = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(storage)?
            .collect::<Result<_, _>>()
            .map_err(storage)?;
        Ok(DeviceNames { names })
    }

    fn get(&self, id: i64) -> Option<&str> {
        let dense = usize::try_from(id - 1)
            .ok()
            .and_then(|i| self.names.get(i))
            .filter(|(at, _)| *at == id);
        match dense {
            Some((_, name)) => Some(name),
            None => self
                .names
                .binary_search_by_key(&id, |(at, _)| *at)
                .ok()
                .map(|i| self.names[i].1.as_str()),
        }
    }

    /// The device text of `id`, reloading the table once when `id` is not in it (another
    /// writer may have added a device since it was loaded); `corrupt_event` when it still is
    /// not.
    fn resolve(&mut self, conn: &Connection, seq: u64, id: i64) -> Result<&str, JournalError> {
        if self.get(id).is_none() {
            *self = DeviceNames::load(conn)?;
        }
        self.get(id).ok_or_else(|| JournalError::CorruptEvent {
            seq,
            field: "device",
            reason: format!("device id {id} is not in the device table"),
        })
    }
}

fn to_u64(seq: u64, field: &'static str, n: i64) -> Result<u64, JournalError> {
    u64::try_from(n).map_err(|_| JournalError::CorruptEvent {
        seq,
        field,
        reason: "negative number".to_string(),
    })
}

impl Store for SqliteStore {
    fn last_seq(&self) -> Result<u64, JournalError> {
        let n: i64 = self
            .conn
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM events", [], |r| r.get(0))
            .map_err(storage)?;
        to_u64(0, "seq", n)
    }

    fn read(&self, from_seq: u64, limit: usize) -> Result<Vec<StoredEvent>, JournalError> {
        // One row before `from_seq` too: its hash is the first event's `prev_hash`.
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT seq, device_id, device_seq, recorded_at, payload, hash
                 FROM events WHERE seq >= ?1 ORDER BY seq LIMIT ?2",
            )
            .map_err(storage)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX - 1);
        let from = to_i64(from_seq)?;
        let mut rows = stmt
            .query(params![from.saturating_sub(1), limit.saturating_add(1)])
            .map_err(storage)?;
        let mut out = Vec::with_capacity(usize::try_from(limit).unwrap_or(0).min(4096));
        let mut prev_hash = [0u8; 32];
        let mut names = DeviceNames::load(&self.conn)?;
        while let Some(row) = rows.next().map_err(storage)? {
            let raw_seq: i64 = row.get(0).map_err(storage)?;
            let seq = to_u64(0, "seq", raw_seq)?;
            let hash = hash_column(seq, "hash", row.get_ref(5).map_err(storage)?)?;
            if raw_seq < from {
                prev_hash = hash;
                continue;
            }
            if out.len() as i64 >= limit {
                break;
            }
            let device_seq: i64 = row.get(2).map_err(storage)?;
            let payload = row
                .get_ref(4)
                .and_then(|v| Ok(v.as_str()?))
                .map_err(storage)?;
            let device_id: i64 = row.get(1).map_err(storage)?;
            out.push(StoredEvent {
                seq,
                device: DeviceId(names.resolve(&self.conn, seq, device_id)?.to_owned()),
                device_seq: to_u64(seq, "device_seq", device_seq)?,
                recorded_at: time_column(seq, row.get_ref(3).map_err(storage)?)?,
                payload_json: payload.to_owned(),
                prev_hash: std::mem::replace(&mut prev_hash, hash),
                hash,
            });
        }
        Ok(out)
    }

    fn scan(
        &self,
        from_seq: u64,
        visit: &mut dyn FnMut(StoredEventRef<'_>) -> Result<bool, JournalError>,
    ) -> Result<(), JournalError> {
        // One statement over the whole range (the rows are lent straight from SQLite's row
        // buffer), starting one row early: its hash is the first event's `prev_hash`.
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT seq, device_id, device_seq, recorded_at, payload, hash
                 FROM events WHERE seq >= ?1 ORDER BY seq",
            )
            .map_err(storage)?;
        let from = to_i64(from_seq)?;
        let mut rows = stmt
            .query(params![from.saturating_sub(1)])
            .map_err(storage)?;
        let mut prev_hash = [0u8; 32];
        let mut names = DeviceNames::load(&self.conn)?;
        while let Some(row) = rows.next().map_err(storage)? {
            let raw_seq: i64 = row.get(0).map_err(storage)?;
            let seq = to_u64(0, "seq", raw_seq)?;
            let hash = hash_column(seq, "hash", row.get_ref(5).map_err(storage)?)?;
            if raw_seq < from {
                prev_hash = hash;
                continue;
            }
            let device_id: i64 = row.get(1).map_err(storage)?;
            let device_seq: i64 = row.get(2).map_err(storage)?;
            let event = StoredEventRef {
                seq,
                device: names.resolve(&self.conn, seq, device_id)?,
                device_seq: to_u64(seq, "device_seq", device_seq)?,
                recorded_at: time_column(seq, row.get_ref(3).map_err(storage)?)?,
                payload_json: row
                    .get_ref(4)
                    .and_then(|v| Ok(v.as_str()?))
                    .map_err(storage)?,
                prev_hash: &prev_hash,
                hash: &hash,
            };
            if !visit(event)? {
                break;
            }
            prev_hash = hash;
        }
        Ok(())
    }

    fn device_heads(&self) -> Result<Vec<DeviceHead>, JournalError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT device, device_seq, recorded_at, seq FROM devices ORDER BY device",
            )
            .map_err(storage)?;
        let mut rows = stmt.query([]).map_err(storage)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(storage)? {
            let seq = to_u64(0, "seq", row.get(3).map_err(storage)?)?;
            let recorded_at: String = row.get(2).map_err(storage)?;
            out.push(DeviceHead {
                device: DeviceId(row.get(0).map_err(storage)?),
                device_seq: to_u64(seq, "device_seq", row.get(1).map_err(storage)?)?,
                recorded_at: parse_time(seq, &recorded_at)?,
                seq,
            });
        }
        Ok(out)
    }

    fn append(&mut self, expected_len: u64, events: &[StoredEvent]) -> Result<(), JournalError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(storage)?;
        let found: i64 = tx
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM events", [], |r| r.get(0))
            .map_err(storage)?;
        if found != to_i64(expected_len)? {
            return Err(JournalError::Conflict {
                expected: expected_len,
                found: u64::try_from(found).unwrap_or(0),
            });
        }
        {
            // Each device of the batch gets its id (a new device a new one, in this
            // transaction: a batch that fails adds no device either).
            let mut ids: BTreeMap<&DeviceId, i64> = BTreeMap::new();
            {
                let mut select = tx
                    .prepare_cached("SELECT id FROM device_ids WHERE device = ?1")
                    .map_err(storage)?;
                let mut add = tx
                    .prepare_cached("INSERT INTO device_ids (device) VALUES (?1) RETURNING id")
                    .map_err(storage)?;
                for e in events {
                    if ids.contains_key(&e.device) {
                        continue;
                    }
                    let known: Option<i64> = select
                        .query_row([e.device.as_str()], |r| r.get(0))
                        .optional()
                        .map_err(storage)?;
                    let id = match known {
                        Some(id) => id,
                        None => add
                            .query_row([e.device.as_str()], |r| r.get(0))
                            .map_err(storage)?,
                    };
                    ids.insert(&e.device, id);
                }
            }
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO events (seq, device_id, device_seq, recorded_at, payload, hash)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(storage)?;
            let mut last: BTreeMap<&DeviceId, &StoredEvent> = BTreeMap::new();
            // The previous event's device and id: a batch is mostly one device's.
            let mut current: Option<(&DeviceId, i64)> = None;
            for e in events {
                let device_id = match current {
                    Some((device, id)) if *device == e.device => id,
                    _ => {
                        let id = ids[&e.device];
                        current = Some((&e.device, id));
                        id
                    }
                };
                insert
                    .execute(params![
                        to_i64(e.seq)?,
                        device_id,
                        to_i64(e.device_seq)?,
                        time_value(&e.recorded_at),
                        e.payload_json,
                        &e.hash[..]
                    ])
                    .map_err(storage)?;
                last.insert(&e.device, e);
            }
            let mut upsert = tx
                .prepare_cached(
                    "INSERT INTO devices (device, device_seq, recorded_at, seq) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (device) DO UPDATE SET device_seq = excluded.device_seq,
                         recorded_at = excluded.recorded_at, seq = excluded.seq",
                )
                .map_err(storage)?;
            for (device, e) in last {
                upsert
                    .execute(params![
                        device.as_str(),
                        to_i64(e.device_seq)?,
                        format_time(&e.recorded_at),
                        to_i64(e.seq)?
                    ])
                    .map_err(storage)?;
            }
        }
        fault_point!(BeforeCommit);
        tx.commit().map_err(storage)?;
        fault_point!(AfterCommit);
        Ok(())
    }

    fn key_rows(&self) -> Result<Vec<super::KeyRow>, JournalError> {
        if !self.has_table("data_keys")? {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare("SELECT key_id, wrapped FROM data_keys ORDER BY key_id")
            .map_err(storage)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(super::KeyRow {
                    key_id: r.get(0)?,
                    wrapped: r.get(1)?,
                })
            })
            .map_err(storage)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(storage)
    }

    fn put_keys(&mut self, rows: &[super::KeyRow]) -> Result<(), JournalError> {
        let tx = self.conn.transaction().map_err(storage)?;
        tx.execute_batch(KEY_TABLE).map_err(storage)?;
        {
            let mut insert = tx
                .prepare_cached("INSERT OR IGNORE INTO data_keys (key_id, wrapped) VALUES (?1, ?2)")
                .map_err(storage)?;
            for r in rows {
                insert
                    .execute(params![r.key_id, r.wrapped])
                    .map_err(storage)?;
            }
        }
        tx.commit().map_err(storage)
    }

    fn destroy_key(&mut self, key_id: &str) -> Result<(), JournalError> {
        let tx = self.conn.transaction().map_err(storage)?;
        tx.execute_batch(KEY_TABLE).map_err(storage)?;
        // With secure_delete the overwritten bytes are zeroed in the page, not left free.
        tx.execute(
            "INSERT INTO data_keys (key_id, wrapped) VALUES (?1, NULL)
             ON CONFLICT (key_id) DO UPDATE SET wrapped = NULL",
            [key_id],
        )
        .map_err(storage)?;
        tx.commit().map_err(storage)?;
        // Move the WAL's copy of the old page into the file and truncate the WAL, so the
        // wrapped key's bytes are in neither (best effort: a reader may hold the WAL open).
        let _ = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        Ok(())
    }
}

// ------------------------------------------------------------------------------ key table

/// The key table of sealed payloads (see `journal::seal`): one row per data key, its wrapped
/// bytes or `NULL` once destroyed. Created on first use outside the numbered migrations, like
/// the blob table: a journal without it is complete (every event in clear), and its schema
/// version does not change, so older builds still open a journal with no sealed events. Rows
/// are never deleted (a trigger refuses it): a destroyed key stays as a `NULL` row, so its id
/// can never be given a new key.
const KEY_TABLE: &str = "
    PRAGMA secure_delete = ON;
    CREATE TABLE IF NOT EXISTS data_keys (
        key_id      TEXT    PRIMARY KEY,
        wrapped     BLOB
    ) STRICT, WITHOUT ROWID;
    CREATE TRIGGER IF NOT EXISTS data_keys_no_delete BEFORE DELETE ON data_keys
        BEGIN SELECT RAISE(ABORT, 'data keys are destroyed, never deleted'); END;
    CREATE TRIGGER IF NOT EXISTS data_keys_no_revive BEFORE UPDATE ON data_keys
        WHEN OLD.wrapped IS NULL AND NEW.wrapped IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a destroyed data key stays destroyed'); END;
";

impl SqliteStore {
    /// True when the file has table `name`.
    fn has_table(&self, name: &str) -> Result<bool, JournalError> {
        let n: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                [name],
                |r| r.get(0),
            )
            .map_err(storage)?;
        Ok(n > 0)
    }
}

// ------------------------------------------------------------------------------ blob table

/// The optional blob table (small attached files, keyed by their SHA-256). Created on the first
/// [`SqliteStore::put_blob`], outside the numbered migrations: it is no part of the journal's
/// schema (a journal without it is complete, and its schema version does not change), only a
/// place where a host without a document store may keep small files next to the journal. Rows
/// are never updated (a trigger refuses it), so a blob's bytes are those hashed; they may be
/// deleted when a retention period ends.
const BLOB_TABLE: &str = "
    CREATE TABLE IF NOT EXISTS blobs (
        hash        BLOB    PRIMARY KEY CHECK (length(hash) = 32),
        size        INTEGER NOT NULL CHECK (size >= 0),
        bytes       BLOB    NOT NULL
    ) STRICT, WITHOUT ROWID;
    CREATE TRIGGER IF NOT EXISTS blobs_no_update BEFORE UPDATE ON blobs
        BEGIN SELECT RAISE(ABORT, 'blobs are never updated'); END;
";

impl SqliteStore {
    /// Keep a small file in the blob table (created on first use) and return its SHA-256, the
    /// `sha256` of the attachment that refers to it (its `location` may be `blob:` + the hash).
    /// Storing the same bytes twice keeps one row.
    ///
    /// Errors: `blob_too_large` when the file is larger than `max_bytes` (the record kinds'
    /// `max_blob_bytes`, [`crate::record::RecordKinds::limits`]); `storage`.
    pub fn put_blob(
        &mut self,
        bytes: &[u8],
        max_bytes: u64,
    ) -> Result<crate::record::ContentHash, crate::Error> {
        let hash = crate::record::check_blob(bytes, max_bytes)?;
        let raw = hash.to_bytes("$")?;
        let tx = self.conn.transaction().map_err(storage)?;
        tx.execute_batch(BLOB_TABLE).map_err(storage)?;
        tx.execute(
            "INSERT OR IGNORE INTO blobs (hash, size, bytes) VALUES (?1, ?2, ?3)",
            params![&raw[..], to_i64(bytes.len() as u64)?, bytes],
        )
        .map_err(storage)?;
        tx.commit().map_err(storage)?;
        Ok(hash)
    }

    /// The bytes of the blob with SHA-256 `hash`, checked against it: `None` when there is no
    /// such blob (or no blob table). Errors: `invalid_content_hash` (at `$`) for a malformed
    /// hash, `attachment_changed` when the stored bytes no longer hash to `hash`, `storage`.
    pub fn blob(&self, hash: &crate::record::ContentHash) -> Result<Option<Vec<u8>>, crate::Error> {
        let raw = hash.to_bytes("$")?;
        let exists: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'blobs'",
                [],
                |r| r.get(0),
            )
            .map_err(storage)?;
        if exists == 0 {
            return Ok(None);
        }
        let bytes: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT bytes FROM blobs WHERE hash = ?1",
                params![&raw[..]],
                |r| r.get(0),
            )
            .optional()
            .map_err(storage)?;
        if let Some(b) = &bytes {
            if crate::record::ContentHash::of(b) != *hash {
                return Err(crate::record::RecordError::AttachmentChanged {
                    attachment: hash.to_string(),
                    what: "hash",
                }
                .into());
            }
        }
        Ok(bytes)
    }
}

#[cfg(test)]
mod blob_tests {
    use super::*;

    #[test]
    fn blobs_round_trip_are_limited_and_a_changed_blob_fails_its_hash() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let missing = crate::record::ContentHash::of(b"nothing");
        assert_eq!(store.blob(&missing).unwrap(), None);
        let hash = store.put_blob(b"consent form", 1024).unwrap();
        assert_eq!(hash, crate::record::ContentHash::of(b"consent form"));
        assert_eq!(store.put_blob(b"consent form", 1024).unwrap(), hash);
        assert_eq!(
            store.blob(&hash).unwrap().as_deref(),
            Some(&b"consent form"[..])
        );
        assert_eq!(store.blob(&missing).unwrap(), None);
        // The schema version is unchanged: the blob table is no part of the journal.
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);

        let e = store.put_blob(&[0u8; 11], 10).unwrap_err();
        assert_eq!((e.code(), e.kind().as_str()), ("blob_too_large", "rule"));

        // Rows cannot be updated; bytes changed behind the trigger's back fail the hash.
        let raw = hash.to_bytes("$").unwrap();
        assert!(store
            .conn
            .execute(
                "UPDATE blobs SET bytes = x'00' WHERE hash = ?1",
                params![&raw[..]]
            )
            .is_err());
        store
            .conn
            .execute_batch("DROP TRIGGER blobs_no_update")
            .unwrap();
        store
            .conn
            .execute(
                "UPDATE blobs SET bytes = x'00' WHERE hash = ?1",
                params![&raw[..]],
            )
            .unwrap();
        let e = store.blob(&hash).unwrap_err();
        assert_eq!(
            (e.code(), e.kind().as_str()),
            ("attachment_changed", "storage")
        );
        let e = store
            .blob(&crate::record::ContentHash("xyz".into()))
            .unwrap_err();
        assert_eq!(e.code(), "invalid_content_hash");
    }
}
