//! Journal stores: the [`Store`] trait the journal writes through, the stored form of an event,
//! and the in-memory store.

use super::canonical::{canonical_json, parse_hex32};
use super::{DeviceId, EventEnvelope, JournalError, KeyRow};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An event as a store keeps it: the envelope with the payload as its canonical JSON text (the
/// exact text that was hashed). Stores never interpret payloads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StoredEvent {
    /// Position in the journal, from 1.
    pub seq: u64,
    /// Device that recorded it.
    pub device: DeviceId,
    /// Position among that device's events.
    pub device_seq: u64,
    /// When it was recorded (UTC).
    pub recorded_at: DateTime<Utc>,
    /// Canonical JSON of the payload.
    pub payload_json: String,
    /// Hash of the previous event (the 32 bytes of the SHA-256 digest; zeros for seq 1). In
    /// JSON: 64 lowercase hex digits, as in the envelope.
    #[serde(with = "super::canonical::hex32")]
    #[schemars(with = "String")]
    pub prev_hash: [u8; 32],
    /// Hash of this event (32 bytes; 64 lowercase hex digits in JSON).
    #[serde(with = "super::canonical::hex32")]
    #[schemars(with = "String")]
    pub hash: [u8; 32],
}

/// A stored event lent by [`Store::scan`]: the same fields as [`StoredEvent`], borrowed from
/// the store (from an SQLite row, say) instead of copied out of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredEventRef<'a> {
    /// Position in the journal, from 1.
    pub seq: u64,
    /// Device that recorded it.
    pub device: &'a str,
    /// Position among that device's events.
    pub device_seq: u64,
    /// When it was recorded (UTC).
    pub recorded_at: DateTime<Utc>,
    /// Canonical JSON of the payload.
    pub payload_json: &'a str,
    /// Hash of the previous event.
    pub prev_hash: &'a [u8; 32],
    /// Hash of this event.
    pub hash: &'a [u8; 32],
}

impl StoredEvent {
    /// This event, borrowed.
    pub fn borrowed(&self) -> StoredEventRef<'_> {
        StoredEventRef {
            seq: self.seq,
            device: self.device.as_str(),
            device_seq: self.device_seq,
            recorded_at: self.recorded_at,
            payload_json: &self.payload_json,
            prev_hash: &self.prev_hash,
            hash: &self.hash,
        }
    }

    /// The stored form of an envelope (its payload as canonical JSON, its hashes as bytes), e.g.
    /// to rebuild a [`MemoryStore`] from exported envelopes. Not verified here.
    ///
    /// Errors: `corrupt_event` when the payload does not serialize to JSON or a hash is not 64
    /// lowercase hex digits.
    pub fn from_envelope<P: Serialize>(e: &EventEnvelope<P>) -> Result<Self, JournalError> {
        let corrupt = |field, reason: &str| JournalError::CorruptEvent {
            seq: e.seq,
            field,
            reason: reason.to_string(),
        };
        let hash = |field, text: &str| {
            parse_hex32(text).ok_or_else(|| corrupt(field, "not 64 lowercase hex digits"))
        };
        Ok(StoredEvent {
            seq: e.seq,
            device: e.device.clone(),
            device_seq: e.device_seq,
            recorded_at: e.recorded_at,
            payload_json: canonical_json(&e.payload)
                .map_err(|_| corrupt("payload", "payload does not serialize to JSON"))?,
            prev_hash: hash("prev_hash", &e.prev_hash)?,
            hash: hash("hash", &e.hash)?,
        })
    }
}

/// The last event of one device (端末ごとの最終イベント): what the next append of that device must
/// follow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeviceHead {
    /// The device.
    pub device: DeviceId,
    /// Its last `device_seq`.
    pub device_seq: u64,
    /// Its last `recorded_at`.
    pub recorded_at: DateTime<Utc>,
    /// Journal seq of that event.
    pub seq: u64,
}

/// Where a journal keeps its events. Implementations must make [`Store::append`] atomic (all
/// events or none, also across a crash) and durable once it returns `Ok`.
pub trait Store {
    /// Highest seq stored (0 when empty).
    fn last_seq(&self) -> Result<u64, JournalError>;

    /// Up to `limit` events with `seq >= from_seq`, in seq order.
    fn read(&self, from_seq: u64, limit: usize) -> Result<Vec<StoredEvent>, JournalError>;

    /// Lend every event with `seq >= from_seq`, in seq order, to `visit`, until it returns
    /// `Ok(false)` (stop) or an error (returned as is). What replay reads through: a store can
    /// lend its rows without copying them into [`StoredEvent`]s. The default reads pages with
    /// [`Store::read`].
    fn scan(
        &self,
        from_seq: u64,
        visit: &mut dyn FnMut(StoredEventRef<'_>) -> Result<bool, JournalError>,
    ) -> Result<(), JournalError> {
        let mut next = from_seq;
        loop {
            let page = self.read(next, super::PAGE)?;
            let Some(last) = page.last().map(|e| e.seq) else {
                return Ok(());
            };
            for e in &page {
                if !visit(e.borrowed())? {
                    return Ok(());
                }
            }
            match last.checked_add(1) {
                Some(n) => next = n,
                None => return Ok(()),
            }
        }
    }

    /// The last event of every device, sorted by device id.
    fn device_heads(&self) -> Result<Vec<DeviceHead>, JournalError>;

    /// Append `events` (seqs `expected_len + 1 ..`, each `prev_hash` the previous event's `hash`,
    /// as the journal builds them; a store may keep the link implicitly, as `SqliteStore` does)
    /// in one atomic, durable step. Fails with
    /// `journal_conflict` when the store no longer holds exactly `expected_len` events, and then
    /// writes nothing.
    fn append(&mut self, expected_len: u64, events: &[StoredEvent]) -> Result<(), JournalError>;

    /// Every row of the key table (鍵表, see [`super::seal`]), sorted by key id. The default: a
    /// store without a key table has no rows.
    fn key_rows(&self) -> Result<Vec<KeyRow>, JournalError> {
        Ok(Vec::new())
    }

    /// Add rows to the key table in one durable step; a row whose key id exists is left as it
    /// is (a key is never replaced, only destroyed). The default refuses: the store keeps no keys.
    fn put_keys(&mut self, rows: &[KeyRow]) -> Result<(), JournalError> {
        let _ = rows;
        Err(JournalError::storage("this store keeps no data keys"))
    }

    /// Destroy a data key: its wrapped bytes are overwritten and the row stays, marked destroyed
    /// (so a later event cannot make a new key for the erased id). Durable once it returns;
    /// idempotent; a key id without a row gets a destroyed row.
    fn destroy_key(&mut self, key_id: &str) -> Result<(), JournalError> {
        let _ = key_id;
        Err(JournalError::storage("this store keeps no data keys"))
    }
}

/// In-memory store (tests, wasm). Its events can be taken out with [`MemoryStore::events`] and put
/// back with [`MemoryStore::from_events`], e.g. to persist them in the browser; the journal
/// verifies them on replay, so a store rebuilt from edited events fails `verify`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemoryStore {
    events: Vec<StoredEvent>,
    heads: BTreeMap<DeviceId, DeviceHead>,
    /// The key table: key id → wrapped key (`None`: destroyed).
    keys: BTreeMap<String, Option<Vec<u8>>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// A store holding `events` (not checked here: open a journal on it and verify), kept in
    /// order of their `seq` as an SQLite table keyed by seq keeps its rows, so an edited seq moves
    /// its event and `verify` names where the chain breaks.
    pub fn from_events(mut events: Vec<StoredEvent>) -> Self {
        events.sort_by_key(|e| e.seq);
        let mut heads = BTreeMap::new();
        for e in &events {
            heads.insert(
                e.device.clone(),
                DeviceHead {
                    device: e.device.clone(),
                    device_seq: e.device_seq,
                    recorded_at: e.recorded_at,
                    seq: e.seq,
                },
            );
        }
        MemoryStore {
            events,
            heads,
            keys: BTreeMap::new(),
        }
    }

    /// The same store with these key-table rows (e.g. persisted beside the events).
    pub fn with_keys(mut self, rows: Vec<KeyRow>) -> Self {
        self.keys = rows.into_iter().map(|r| (r.key_id, r.wrapped)).collect();
        self
    }

    /// The stored events, in order.
    pub fn events(&self) -> &[StoredEvent] {
        &self.events
    }
}

impl Store for MemoryStore {
    fn last_seq(&self) -> Result<u64, JournalError> {
        Ok(self.events.last().map_or(0, |e| e.seq))
    }

    fn read(&self, from_seq: u64, limit: usize) -> Result<Vec<StoredEvent>, JournalError> {
        let start = self.events.partition_point(|e| e.seq < from_seq);
        Ok(self.events[start..].iter().take(limit).cloned().collect())
    }

    fn scan(
        &self,
        from_seq: u64,
        visit: &mut dyn FnMut(StoredEventRef<'_>) -> Result<bool, JournalError>,
    ) -> Result<(), JournalError> {
        let start = self.events.partition_point(|e| e.seq < from_seq);
        for e in &self.events[start..] {
            if !visit(e.borrowed())? {
                break;
            }
        }
        Ok(())
    }

    fn device_heads(&self) -> Result<Vec<DeviceHead>, JournalError> {
        Ok(self.heads.values().cloned().collect())
    }

    fn append(&mut self, expected_len: u64, events: &[StoredEvent]) -> Result<(), JournalError> {
        let found = self.last_seq()?;
        if found != expected_len {
            return Err(JournalError::Conflict {
                expected: expected_len,
                found,
            });
        }
        for (i, e) in events.iter().enumerate() {
            if e.seq != expected_len + 1 + i as u64 {
                return Err(JournalError::storage("batch seqs are not contiguous"));
            }
        }
        self.events.extend_from_slice(events);
        for e in events {
            self.heads.insert(
                e.device.clone(),
                DeviceHead {
                    device: e.device.clone(),
                    device_seq: e.device_seq,
                    recorded_at: e.recorded_at,
                    seq: e.seq,
                },
            );
        }
        Ok(())
    }

    fn key_rows(&self) -> Result<Vec<KeyRow>, JournalError> {
        Ok(self
            .keys
            .iter()
            .map(|(k, w)| KeyRow {
                key_id: k.clone(),
                wrapped: w.clone(),
            })
            .collect())
    }

    fn put_keys(&mut self, rows: &[KeyRow]) -> Result<(), JournalError> {
        for r in rows {
            self.keys
                .entry(r.key_id.clone())
                .or_insert_with(|| r.wrapped.clone());
        }
        Ok(())
    }

    fn destroy_key(&mut self, key_id: &str) -> Result<(), JournalError> {
        if let Some(Some(w)) = self.keys.get_mut(key_id) {
            w.fill(0);
        }
        self.keys.insert(key_id.to_string(), None);
        Ok(())
    }
}
