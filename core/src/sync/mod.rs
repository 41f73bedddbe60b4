//! Sync (同期): deterministic merge of the journals of several devices, with conflicts surfaced
//! for a person to resolve.
//!
//! Outreach workers (CSW, 丸ごと相談員, 民生委員) record visits, contacts and monitoring on a
//! tablet without a connection; each device keeps its own [`Journal`] whose envelopes carry the
//! recording device and its own sequence number. This module owns merging such journals
//! ([`merge`]) into one journal whose hash chain is rebuilt in the merged order, the lenient
//! replay of a merged history ([`replay`]), the [`Conflict`]s found on the way and their
//! resolution ([`resolve`]). It does not own the envelope or its hash (see `journal`) nor the
//! meaning of commands (see `registry`).
//!
//! # Decisions
//!
//! - **Identity.** An event is identified by `(device, device_seq)`; that pair survives every
//!   import, so the same event held by several journals is merged once. Two *different* events
//!   under one identity (a device restored from a backup and reusing numbers) are a
//!   [`ConflictKind::Divergent`] conflict: the version with the smaller content hash is kept in
//!   the merged journal, the other is carried whole inside the conflict.
//! - **Order: causal, tie-broken by time.** Every input journal's own order is a record of what
//!   its device had seen when it recorded (an event imported before a local one was known to
//!   it), so the merged order is a topological order of the union of *consecutive pairs of every
//!   input journal* plus each device's `device_seq` order. Among the events whose predecessors
//!   are all placed, the smallest key `(recorded_at, device, device_seq, content hash)` goes first.
//!   Two journals that imported concurrent events in opposite orders make a cycle; it is broken
//!   by placing the smallest key among all remaining events (which never breaks a device's own
//!   order, since within a device the key grows with `device_seq`). The result is a function of
//!   the *set* of events and of edges, so it does not depend on the order of the inputs nor on
//!   duplicates; and adding the merged journal itself as an input adds only edges the result
//!   already satisfies, so re-merging gives the same journal (both property-tested).
//! - **Conflicts are never dropped.** Three kinds:
//!   [`ConflictKind::Rejected`] — re-executing the merged order through the [`Registry`] rejects
//!   an event (two devices closed the same case, a visit logged against a case another device
//!   ended …): the event stays in the hash-chained journal (it is evidence of what a worker
//!   recorded) and the lenient replay skips it, so the state is the state of the accepted
//!   events; [`ConflictKind::ConcurrentEdit`] — two devices changed the *same record* (a
//!   household document, a case's lifecycle, a plan, a referral) without either having seen the
//!   other's change: some input journal holds the first but not the second and another holds the
//!   second but not the first. Both were accepted, the later one in merged order is in force,
//!   and a person must confirm or reverse that; [`ConflictKind::Divergent`] as above.
//!   Additive records (liaison contacts, meetings, consents, disclosures) never make an edit
//!   conflict: two visits recorded on two tablets are simply two visits.
//! - **Resolution is a new event**, never an edit of history: [`resolve`] turns a conflict and a
//!   [`Choice`] into the [`NewEvent`] to append after the merge (re-apply the losing edit, retry a
//!   rejected command on a new date, apply a corrected command), or `None` when the choice
//!   keeps what the merged order already gives. The resolving event is itself journaled,
//!   device-stamped and hash-chained like any other.
//! - **Actors travel with their events.** An event's actor (`Event::by`) is part of its payload,
//!   so it is part of its content hash and identity check, kept by every merge, and the lenient
//!   [`replay`] executes each event as its own actor. A resolving event is stamped with the
//!   worker who resolved the conflict ([`resolve_as`]), not the worker of the edit taken over.
//!   Setup mode is a property of the merged history: an event without an actor that the merged
//!   order places after the first worker's registration is `rejected` (`actor_required`), so a
//!   book is set up on one device before its journal is handed to tablets.
//! - Concurrency is judged from the inputs given: a merge of the merged journal alone has no
//!   diverging inputs and so reports no concurrent edits again (they were reported when the
//!   diverging journals met). Rejections are intrinsic to the history and are reported by every
//!   [`replay`].

use crate::coded::Coded;
use crate::journal::{
    canonical_json, DeviceId, EventEnvelope, Journal, JournalError, MemoryStore, NewEvent,
    GENESIS_HASH,
};
use crate::registry::{Command, Event, Registry};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

mod keys;
#[cfg(test)]
mod tests;

/// Identity of an event across journals: the recording device and its sequence number.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct EventId {
    /// Recording device.
    pub device: DeviceId,
    /// The device's sequence number.
    pub device_seq: u64,
}

impl std::fmt::Display for EventId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}#{}", self.device, self.device_seq)
    }
}

/// A record that two devices may edit concurrently (編集対象).
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum RecordKey {
    /// A household document (register / update).
    Household(String),
    /// A case's lifecycle (case commands).
    Case(String),
    /// A support plan (create, replan, consent, monitoring).
    Plan(String),
    /// A referral's lifecycle.
    Referral(String),
    /// A social resource's directory entry (register / update).
    Resource(String),
    /// A match record's status (propose, tried, continuing, stopped). Follow-up visits are
    /// additive: two visits recorded on two tablets are two visits.
    Match(String),
    /// A community activity (register / end). Sessions are additive.
    Activity(String),
    /// An affected-household record's state: opening, housing stage, risk rank, the end of the
    /// disaster phase. Visits, issues and dispatches are additive.
    DisasterRecord(String),
    /// A worker's roster entry (register, roles, leaving).
    Worker(String),
    /// A case's team (assignment, hand-over).
    CaseTeam(String),
    /// A person record in the master (register / update), and its merge status (merge / split).
    Person(String),
}

impl std::fmt::Display for RecordKey {
    /// `kind:id`, e.g. `household:h-y`, `disaster_record:d-y` (what apps show and log).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (kind, id) = match self {
            RecordKey::Household(id) => ("household", id),
            RecordKey::Case(id) => ("case", id),
            RecordKey::Plan(id) => ("plan", id),
            RecordKey::Referral(id) => ("referral", id),
            RecordKey::Resource(id) => ("resource", id),
            RecordKey::Match(id) => ("match", id),
            RecordKey::Activity(id) => ("activity", id),
            RecordKey::DisasterRecord(id) => ("disaster_record", id),
            RecordKey::Worker(id) => ("worker", id),
            RecordKey::CaseTeam(id) => ("case_team", id),
            RecordKey::Person(id) => ("person", id),
        };
        write!(f, "{kind}:{id}")
    }
}

/// What kind of conflict, with its details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[allow(clippy::large_enum_variant)]
pub enum ConflictKind {
    /// Re-executing the merged order rejects this event (it stays in the journal; replay skips it).
    Rejected {
        /// The error's stable code.
        code: String,
        /// The error's JSON path, where there is one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        path: Option<String>,
        /// The error's message (ids and codes, no personal names).
        message: String,
    },
    /// Two devices edited the same record without seeing each other's edit; `event` (later in
    /// merged order) is in force over `other`.
    ConcurrentEdit {
        /// The record.
        record: RecordKey,
        /// The earlier edit, now overridden.
        other: EventId,
        /// Its payload, so it can be re-applied.
        other_event: Event,
    },
    /// Two different events share the identity `event`; the one with the smaller hash was kept
    /// and this one (`other_event`) was left out of the journal.
    Divergent {
        /// The version left out, whole.
        other_event: Event,
        /// When that version was recorded.
        other_recorded_at: DateTime<Utc>,
    },
}

/// A conflict (競合) found by a merge: the event concerned (its identity, its seq in the merged
/// journal, its payload) and what is wrong.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Conflict {
    /// The event concerned.
    pub event: EventId,
    /// Its seq in the merged journal.
    pub seq: u64,
    /// Its payload.
    pub payload: Event,
    /// The kind and details.
    pub kind: ConflictKind,
}

impl Conflict {
    /// Stable snake_case name of the kind: `rejected`, `concurrent_edit` or `divergent`.
    pub fn kind_code(&self) -> &'static str {
        match self.kind {
            ConflictKind::Rejected { .. } => "rejected",
            ConflictKind::ConcurrentEdit { .. } => "concurrent_edit",
            ConflictKind::Divergent { .. } => "divergent",
        }
    }
}

/// How a person resolves a conflict (解決方法).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "choice", rename_all = "snake_case")]
#[allow(clippy::large_enum_variant)]
pub enum Choice {
    /// Keep what the merged journal gives (the later edit in force, the rejection stands, the
    /// kept version of a divergent event): no new event.
    KeepMerged,
    /// Re-apply the other side: the overridden edit (concurrent edit), the version left out
    /// (divergent), or the rejected command itself, executed again on the resolution date.
    TakeOther,
    /// Apply a corrected command instead (e.g. a household document combining both edits).
    Replace {
        /// The command to record.
        command: Command,
    },
}

/// Errors of this area.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// `unverified_journal`: an input journal's hash chain does not hold; nothing is merged.
    #[error("input journal {journal} fails verification at seq {seq}: {reason}")]
    UnverifiedJournal {
        /// Position of the journal among the inputs.
        journal: usize,
        /// First seq that fails.
        seq: u64,
        /// What failed.
        reason: String,
    },
    /// `invalid_resolution`: the merged journal could not be written (an input breaks a device's
    /// order), or a resolution is asked for with missing parts.
    #[error("cannot merge or resolve: {reason}")]
    Invalid {
        /// Why.
        reason: String,
        /// JSON path of the offending field, where there is one.
        path: Option<String>,
    },
}

impl SyncError {
    /// Every code this area can return.
    pub const CODES: &'static [&'static str] = &["invalid_resolution", "unverified_journal"];
}

impl Coded for SyncError {
    fn code(&self) -> &'static str {
        match self {
            SyncError::UnverifiedJournal { .. } => "unverified_journal",
            SyncError::Invalid { .. } => "invalid_resolution",
        }
    }
    fn path(&self) -> Option<String> {
        match self {
            SyncError::UnverifiedJournal { journal, seq, .. } => {
                Some(format!("$[{journal}][{}]", seq.saturating_sub(1)))
            }
            SyncError::Invalid { path, .. } => path.clone(),
        }
    }
    fn kind(&self) -> crate::coded::ErrorKind {
        match self {
            SyncError::UnverifiedJournal { .. } => crate::coded::ErrorKind::Storage,
            SyncError::Invalid { .. } => crate::coded::ErrorKind::Invalid,
        }
    }
}

/// The result of a merge: the merged journal's events (seq 1…n, hash chain rebuilt in merged
/// order), the registry state of its accepted events, and every conflict, ordered by seq.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeResult {
    /// Merged events, verified chain.
    pub events: Vec<EventEnvelope<Event>>,
    /// Conflicts, by seq then kind.
    pub conflicts: Vec<Conflict>,
    /// State after replaying the accepted events.
    pub registry: Registry,
}

impl MergeResult {
    /// The merged events as [`NewEvent`]s (device, device_seq and recorded_at kept) to append to
    /// an empty journal in another store, e.g. a fresh SQLite file.
    pub fn new_events(&self) -> Vec<NewEvent<Event>> {
        self.events
            .iter()
            .map(|e| NewEvent {
                device: e.device.clone(),
                device_seq: Some(e.device_seq),
                recorded_at: e.recorded_at,
                payload: e.payload.clone(),
            })
            .collect()
    }
}

/// A rejection found by [`replay`].
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// Seq of the event.
    pub seq: u64,
    /// The core's error.
    pub error: crate::Error,
}

/// Lenient replay of a merged history: execute every event in order, skipping (and reporting)
/// the ones the registry rejects. Deterministic, so every reader of the journal finds the same
/// rejections.
pub fn replay<'a>(
    events: impl IntoIterator<Item = &'a EventEnvelope<Event>>,
) -> (Registry, Vec<Rejection>) {
    let mut reg = Registry::new();
    let mut rejected = Vec::new();
    for e in events {
        if let Err(error) = reg.execute_event(&e.payload) {
            rejected.push(Rejection { seq: e.seq, error });
        }
    }
    (reg, rejected)
}

/// One distinct event gathered from the inputs.
struct Node {
    id: EventId,
    recorded_at: DateTime<Utc>,
    payload: Event,
    content: String,
    journals: BTreeSet<usize>,
}

type Key = (DateTime<Utc>, DeviceId, u64, String);

fn key(n: &Node) -> Key {
    (
        n.recorded_at,
        n.id.device.clone(),
        n.id.device_seq,
        n.content.clone(),
    )
}

/// The `rejected` conflicts of a replay: for each rejection, the event it skipped (`events` are
/// a verified journal's, seqs 1, 2, … in order).
pub(crate) fn rejected_conflicts(
    events: &[EventEnvelope<Event>],
    rejections: &[Rejection],
) -> Vec<Conflict> {
    rejections
        .iter()
        .filter_map(|r| {
            let e = events
                .get(r.seq.checked_sub(1)? as usize)
                .filter(|e| e.seq == r.seq)?;
            Some(Conflict {
                event: EventId {
                    device: e.device.clone(),
                    device_seq: e.device_seq,
                },
                seq: r.seq,
                payload: e.payload.clone(),
                kind: ConflictKind::Rejected {
                    code: r.error.code().to_string(),
                    path: r.error.path(),
                    message: r.error.to_string(),
                },
            })
        })
        .collect()
}

/// Check an input journal's chain (input `index` of a merge): seqs from 1, links, hashes.
pub(crate) fn verify_input(index: usize, events: &[EventEnvelope<Event>]) -> Result<(), SyncError> {
    let mut prev = GENESIS_HASH.to_string();
    for (i, e) in events.iter().enumerate() {
        let fail = |reason: &str| SyncError::UnverifiedJournal {
            journal: index,
            seq: i as u64 + 1,
            reason: reason.to_string(),
        };
        if e.seq != i as u64 + 1 {
            return Err(fail("seq is not the event's position"));
        }
        if e.prev_hash != prev {
            return Err(fail("prev_hash does not match the previous event"));
        }
        match e.compute_hash() {
            Ok(h) if h == e.hash => {}
            _ => return Err(fail("stored hash does not match the event")),
        }
        prev = e.hash.clone();
    }
    Ok(())
}

/// Merge the journals of several devices (each a verified sequence of envelopes, e.g. from
/// `Journal::iter` or an export). See the module docs for the order and the conflicts.
///
/// The result does not depend on the order of `journals`, on duplicates among them, or on
/// merging the merged journal again with them.
pub fn merge(journals: &[Vec<EventEnvelope<Event>>]) -> Result<MergeResult, SyncError> {
    for (i, j) in journals.iter().enumerate() {
        verify_input(i, j)?;
    }
    // Every version of every identity, with the inputs holding it (a set: duplicates count once).
    type Versions = BTreeMap<String, (Event, DateTime<Utc>, BTreeSet<usize>)>;
    let mut versions: BTreeMap<EventId, Versions> = BTreeMap::new();
    let mut inputs: Vec<Vec<(EventId, String)>> = Vec::with_capacity(journals.len());
    for (ji, j) in journals.iter().enumerate() {
        let mut seq = Vec::with_capacity(j.len());
        for e in j {
            let id = EventId {
                device: e.device.clone(),
                device_seq: e.device_seq,
            };
            let content = content_hash(e);
            versions
                .entry(id.clone())
                .or_default()
                .entry(content.clone())
                .or_insert_with(|| (e.payload.clone(), e.recorded_at, BTreeSet::new()))
                .2
                .insert(ji);
            seq.push((id, content));
        }
        inputs.push(seq);
    }
    // Journals that hold exactly the same events are one input for the concurrency test.
    let mut nodes: Vec<Node> = Vec::with_capacity(versions.len());
    let mut by_id: BTreeMap<EventId, usize> = BTreeMap::new();
    let mut divergent: BTreeMap<EventId, Vec<(Event, DateTime<Utc>)>> = BTreeMap::new();
    for (id, mut vs) in versions {
        let Some((content, (payload, recorded_at, journals))) = vs.pop_first() else {
            continue;
        };
        if !vs.is_empty() {
            divergent.insert(
                id.clone(),
                vs.into_values().map(|(p, r, _)| (p, r)).collect(),
            );
        }
        by_id.insert(id.clone(), nodes.len());
        nodes.push(Node {
            id,
            recorded_at,
            payload,
            content,
            journals,
        });
    }
    // Canonical membership: identical input journals collapse to the smallest index.
    let mut canon: Vec<usize> = (0..journals.len()).collect();
    for a in 0..journals.len() {
        for b in 0..a {
            if canon[b] == b && inputs[a] == inputs[b] {
                canon[a] = b;
                break;
            }
        }
    }
    for n in &mut nodes {
        n.journals = n.journals.iter().map(|&j| canon[j]).collect();
    }
    // Each input's order over the kept versions only.
    let journal_nodes: Vec<Vec<usize>> = inputs
        .iter()
        .map(|seq| {
            seq.iter()
                .filter_map(|(id, content)| {
                    let n = by_id[id];
                    (nodes[n].content == *content).then_some(n)
                })
                .collect()
        })
        .collect();

    // Edges: consecutive events of each journal, and each device's seq order.
    let mut succ: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); nodes.len()];
    for seq_nodes in &journal_nodes {
        for w in seq_nodes.windows(2) {
            if w[0] != w[1] {
                succ[w[0]].insert(w[1]);
            }
        }
    }
    let mut per_device: BTreeMap<&DeviceId, Vec<(u64, usize)>> = BTreeMap::new();
    for (i, n) in nodes.iter().enumerate() {
        per_device
            .entry(&n.id.device)
            .or_default()
            .push((n.id.device_seq, i));
    }
    for list in per_device.values_mut() {
        list.sort_unstable();
        for w in list.windows(2) {
            succ[w[0].1].insert(w[1].1);
        }
    }
    let order = kahn(&nodes, &succ);

    // Build the merged journal in that order.
    let mut journal: Journal<Event, MemoryStore> = Journal::in_memory();
    let batch: Vec<NewEvent<Event>> = order
        .iter()
        .map(|&i| NewEvent {
            device: nodes[i].id.device.clone(),
            device_seq: Some(nodes[i].id.device_seq),
            recorded_at: nodes[i].recorded_at,
            payload: nodes[i].payload.clone(),
        })
        .collect();
    journal
        .append(batch)
        .map_err(|e: JournalError| SyncError::Invalid {
            reason: format!("merged journal cannot be written: {e}"),
            path: e.path(),
        })?;
    let events: Vec<EventEnvelope<Event>> =
        journal
            .iter()
            .collect::<Result<_, _>>()
            .map_err(|e| SyncError::Invalid {
                reason: format!("merged journal does not verify: {e}"),
                path: None,
            })?;

    // Conflicts.
    let (registry, rejections) = replay(&events);
    let mut conflicts = rejected_conflicts(&events, &rejections);
    let rejected: BTreeSet<u64> = rejections.iter().map(|r| r.seq).collect();
    // Concurrent edits among accepted events: for each edit, the closest earlier accepted edit of
    // the same record by another device that neither side had seen.
    let mut edits: BTreeMap<RecordKey, Vec<(u64, usize)>> = BTreeMap::new();
    for (pos, &i) in order.iter().enumerate() {
        let seq = pos as u64 + 1;
        if rejected.contains(&seq) {
            continue;
        }
        if let Some(k) = RecordKey::of(&nodes[i].payload.command) {
            let list = edits.entry(k.clone()).or_default();
            let y = &nodes[i];
            if let Some(&(_, x)) = list.iter().rev().find(|&&(_, x)| {
                let x = &nodes[x];
                x.id.device != y.id.device
                    && !x.journals.is_subset(&y.journals)
                    && !y.journals.is_subset(&x.journals)
            }) {
                conflicts.push(Conflict {
                    event: y.id.clone(),
                    seq,
                    payload: y.payload.clone(),
                    kind: ConflictKind::ConcurrentEdit {
                        record: k,
                        other: nodes[x].id.clone(),
                        other_event: nodes[x].payload.clone(),
                    },
                });
            }
            list.push((seq, i));
        }
    }
    let seq_of: BTreeMap<usize, u64> = order
        .iter()
        .enumerate()
        .map(|(p, &i)| (i, p as u64 + 1))
        .collect();
    for (id, others) in &divergent {
        let n = by_id[id];
        for (other_event, other_recorded_at) in others {
            conflicts.push(Conflict {
                event: id.clone(),
                seq: seq_of[&n],
                payload: nodes[n].payload.clone(),
                kind: ConflictKind::Divergent {
                    other_event: other_event.clone(),
                    other_recorded_at: *other_recorded_at,
                },
            });
        }
    }
    conflicts.sort_by(|a, b| {
        (a.seq, a.kind_code(), conflict_detail(a)).cmp(&(b.seq, b.kind_code(), conflict_detail(b)))
    });
    Ok(MergeResult {
        events,
        conflicts,
        registry,
    })
}

fn conflict_detail(c: &Conflict) -> String {
    canonical_json(&c.kind).unwrap_or_default()
}

fn content_hash(e: &EventEnvelope<Event>) -> String {
    // recorded_at and payload identify the content; seq and chain hashes are journal-local.
    let payload = canonical_json(&e.payload).unwrap_or_default();
    let text = format!(
        "{}|{}",
        e.recorded_at
            .to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
        payload
    );
    use sha2::Digest;
    let digest = sha2::Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Topological order with smallest-key tie-break; cycles broken by the smallest remaining key.
fn kahn(nodes: &[Node], succ: &[BTreeSet<usize>]) -> Vec<usize> {
    let mut indeg = vec![0usize; nodes.len()];
    for s in succ {
        for &j in s {
            indeg[j] += 1;
        }
    }
    let keys: Vec<Key> = nodes.iter().map(key).collect();
    let mut ready: BinaryHeap<Reverse<(&Key, usize)>> = BinaryHeap::new();
    let mut remaining: BTreeSet<(&Key, usize)> = BTreeSet::new();
    for (i, k) in keys.iter().enumerate() {
        remaining.insert((k, i));
        if indeg[i] == 0 {
            ready.push(Reverse((k, i)));
        }
    }
    let mut placed = vec![false; nodes.len()];
    let mut order = Vec::with_capacity(nodes.len());
    while !remaining.is_empty() {
        let next = loop {
            match ready.pop() {
                Some(Reverse((_, i))) if placed[i] => continue,
                Some(Reverse((_, i))) => break i,
                // A cycle: take the smallest remaining key regardless of its predecessors.
                None => break remaining.iter().next().map(|&(_, i)| i).unwrap_or(0),
            }
        };
        placed[next] = true;
        remaining.remove(&(&keys[next], next));
        order.push(next);
        for &j in &succ[next] {
            indeg[j] = indeg[j].saturating_sub(1);
            if indeg[j] == 0 && !placed[j] {
                ready.push(Reverse((&keys[j], j)));
            }
        }
    }
    order
}

/// Turn a conflict and a person's choice into the event to append after the merge (`None` when
/// the merged journal already gives what was chosen).
///
/// `device` and `recorded_at` stamp the resolving event like any other; `on` is the business
/// date the resolving command executes with.
pub fn resolve(
    conflict: &Conflict,
    choice: &Choice,
    device: DeviceId,
    recorded_at: DateTime<Utc>,
    on: NaiveDate,
) -> Result<Option<NewEvent<Event>>, SyncError> {
    resolve_as(conflict, choice, device, recorded_at, on, None)
}

/// [`resolve`] by an actor: the resolving event is stamped `by` the worker who resolved the
/// conflict (not the worker of the event taken over: the resolution is their decision).
/// Required once workers are registered, as for any event.
pub fn resolve_as(
    conflict: &Conflict,
    choice: &Choice,
    device: DeviceId,
    recorded_at: DateTime<Utc>,
    on: NaiveDate,
    by: Option<crate::worker::Actor>,
) -> Result<Option<NewEvent<Event>>, SyncError> {
    let command = match (choice, &conflict.kind) {
        (Choice::KeepMerged, _) => return Ok(None),
        (Choice::Replace { command }, _) => command.clone(),
        (Choice::TakeOther, ConflictKind::Rejected { .. }) => conflict.payload.command.clone(),
        (Choice::TakeOther, ConflictKind::ConcurrentEdit { other_event, .. })
        | (Choice::TakeOther, ConflictKind::Divergent { other_event, .. }) => {
            keys::retaken(&other_event.command)
        }
    };
    Ok(Some(NewEvent::new(
        device,
        recorded_at,
        Event::with_actor(on, command, by),
    )))
}
