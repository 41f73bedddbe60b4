//! What a case book does with events recorded elsewhere (他の端末の記録の取り込み): importing
//! another journal's events with de-duplication after verifying their chain, appending events
//! that each carry their own date and recording time, opening a book whose history a merge left
//! with rejected events, and writing a merge of several devices' journals into a new book — the
//! last two with the sync conflicts a person resolves (`crate::sync`).
//!
//! The bindings wrap these; they keep no event lists and no rules of their own.
//!
//! Built on `sync`'s public API only: turning a [`sync::Rejection`] of the lenient replay into a
//! [`Conflict`] of kind `rejected`, and checking an imported chain, are written here because
//! `sync` keeps the equivalent code (`verify_input`, the rejection conflicts of `merge`) private.

use super::CaseBook;
use crate::journal::{DeviceId, EventEnvelope, Journal, NewEvent, Store};
use crate::registry::Event;
use crate::sync::{self, Conflict, SyncError};
use crate::Error;
use std::collections::BTreeSet;

/// Why importing or appending a list of events failed; in every case the book is unchanged.
#[derive(Debug, Clone, PartialEq)]
pub enum EventsError {
    /// The imported events do not form a verified chain (`unverified_journal`, the error `sync`
    /// gives an input journal of a merge; its path is `$[0][i]`, event `i` of the only input).
    Unverified(Error),
    /// The registry refused event `index` of the list (its position in the list given).
    Rejected {
        /// Position of the refused event in the list given.
        index: usize,
        /// The registry's error (its path is inside that event's command).
        error: Error,
    },
    /// The journal could not store the events (`storage`, `out_of_order` …).
    Journal(Error),
}

impl EventsError {
    /// For [`EventsError::Rejected`]: the position of the refused event in the list given.
    pub fn rejected_index(&self) -> Option<usize> {
        match self {
            EventsError::Rejected { index, .. } => Some(*index),
            _ => None,
        }
    }

    /// The core's error, whatever the case.
    pub fn error(&self) -> &Error {
        match self {
            EventsError::Unverified(e)
            | EventsError::Rejected { error: e, .. }
            | EventsError::Journal(e) => e,
        }
    }
}

impl From<EventsError> for Error {
    fn from(e: EventsError) -> Error {
        match e {
            EventsError::Unverified(e)
            | EventsError::Rejected { error: e, .. }
            | EventsError::Journal(e) => e,
        }
    }
}

impl<S: Store> CaseBook<S> {
    /// Open a book on `store` whose history may hold events the registry rejects (a merged
    /// journal: two devices closed the same case …). Unlike [`CaseBook::open`], which refuses such
    /// a journal, the replay is `sync`'s lenient one: rejected events stay in the journal, the
    /// state is that of the accepted ones, and each rejection comes back as a `rejected`
    /// [`Conflict`]. The chain is verified as the events are read.
    pub fn open_with_conflicts(store: S, device: &str) -> Result<(Self, Vec<Conflict>), Error> {
        let journal: Journal<Event, S> = Journal::open(store)?;
        let events = journal.iter().collect::<Result<Vec<_>, _>>()?;
        let (registry, rejections) = sync::replay(&events);
        let conflicts = sync::rejected_conflicts(&events, &rejections);
        let book = CaseBook {
            registry,
            journal,
            device: DeviceId::new(device),
            policy: std::borrow::Cow::Borrowed(crate::access::Policy::builtin()),
            views: super::view_store::KeptLog::default(),
        };
        Ok((book, conflicts))
    }

    /// Merge the journals of several devices (`sync::merge`: deterministic, conflicts surfaced)
    /// into a new book on `store`, which must hold no events (`invalid_resolution` otherwise).
    /// Returns the book, open as `device`, and the merge's conflicts.
    pub fn merge_into(
        journals: &[Vec<EventEnvelope<Event>>],
        store: S,
        device: &str,
    ) -> Result<(Self, Vec<Conflict>), Error> {
        let merged = sync::merge(journals)?;
        let mut journal: Journal<Event, S> = Journal::open(store)?;
        if !journal.is_empty() {
            return Err(SyncError::Invalid {
                reason: "the merged journal must be written to a new store".into(),
                path: None,
            }
            .into());
        }
        journal.append(merged.new_events())?;
        let book = CaseBook {
            registry: merged.registry,
            journal,
            device: DeviceId::new(device),
            policy: std::borrow::Cow::Borrowed(crate::access::Policy::builtin()),
            views: super::view_store::KeptLog::default(),
        };
        Ok((book, merged.conflicts))
    }

    /// Import another journal's events (an export: its envelopes in its order, from seq 1) that
    /// this book lacks, keeping their device ids, device sequences and recording times, and
    /// executing each with its own date: how a device takes the office's records before going
    /// out. First the export's chain is verified (a broken one is refused whole:
    /// [`EventsError::Unverified`]); events this book already holds (same device and device
    /// sequence) are skipped; the rest are all accepted and appended in one transaction, or
    /// none. Returns the number imported.
    pub fn import_events(&mut self, events: &[EventEnvelope<Event>]) -> Result<u64, EventsError> {
        sync::verify_input(0, events).map_err(|e| EventsError::Unverified(e.into()))?;
        let have: BTreeSet<(DeviceId, u64)> = self
            .journal
            .iter()
            .map(|e| e.map(|e| (e.device, e.device_seq)))
            .collect::<Result<_, _>>()
            .map_err(|e| EventsError::Journal(e.into()))?;
        let mut next = self.registry.clone();
        let mut batch = Vec::new();
        for (index, e) in events.iter().enumerate() {
            if have.contains(&(e.device.clone(), e.device_seq)) {
                continue;
            }
            next.execute_event(&e.payload)
                .map_err(|error| EventsError::Rejected { index, error })?;
            batch.push(NewEvent {
                device: e.device.clone(),
                device_seq: Some(e.device_seq),
                recorded_at: e.recorded_at,
                payload: e.payload.clone(),
            });
        }
        let n = batch.len() as u64;
        self.journal
            .append(batch)
            .map_err(|e| EventsError::Journal(e.into()))?;
        self.registry = next;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Command;

    fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
        s.parse().unwrap()
    }

    fn agency(id: &str) -> Command {
        serde_json::from_value(serde_json::json!({"command": "register_agency", "agency":
            {"id": id, "name": "窓口", "kind": "social_welfare_council"}}))
        .unwrap()
    }

    /// The office's book: two agencies.
    fn office() -> CaseBook {
        let mut book = CaseBook::in_memory("office").unwrap();
        let today = "2024-04-01".parse().unwrap();
        book.execute(agency("council"), today, at("2024-04-01T09:00:00Z"))
            .unwrap();
        book.execute(agency("ward"), today, at("2024-04-01T09:01:00Z"))
            .unwrap();
        book
    }

    #[test]
    fn import_skips_what_the_book_holds_and_keeps_identities() {
        let office = office();
        let export = office.events().unwrap();
        let mut tablet = CaseBook::in_memory("tablet-a").unwrap();
        assert_eq!(tablet.import_events(&export).unwrap(), 2);
        // Importing the same export again, or after the office recorded more, adds only the new.
        assert_eq!(tablet.import_events(&export).unwrap(), 0);
        let mut office = office;
        office
            .execute(
                agency("clinic"),
                "2024-04-02".parse().unwrap(),
                at("2024-04-02T09:00:00Z"),
            )
            .unwrap();
        assert_eq!(tablet.import_events(&office.events().unwrap()).unwrap(), 1);
        let got: Vec<(String, u64)> = tablet
            .events()
            .unwrap()
            .into_iter()
            .map(|e| (e.device.to_string(), e.device_seq))
            .collect();
        assert_eq!(
            got,
            [
                ("office".into(), 1),
                ("office".into(), 2),
                ("office".into(), 3)
            ]
        );
        assert_eq!(tablet.registry().directory().agencies().len(), 3);
        assert_eq!(tablet.replayed().unwrap(), *tablet.registry());
    }

    #[test]
    fn a_broken_chain_is_refused_and_changes_nothing() {
        let export = office().events().unwrap();
        let mut tablet = CaseBook::in_memory("tablet-a").unwrap();
        tablet
            .execute(
                agency("own"),
                "2024-04-01".parse().unwrap(),
                at("2024-04-01T08:00:00Z"),
            )
            .unwrap();
        let before = (tablet.events().unwrap(), tablet.registry().clone());
        // An edited payload (the hash no longer matches), a removed event (the link breaks), a
        // reordered list (seqs out of place).
        let mut edited = export.clone();
        edited[1].payload.command = agency("forged");
        let removed = vec![export[1].clone()];
        let reordered = vec![export[1].clone(), export[0].clone()];
        for (broken, seq) in [(edited, 2), (removed, 1), (reordered, 1)] {
            let err = tablet.import_events(&broken).unwrap_err();
            match &err {
                EventsError::Unverified(Error::Sync(SyncError::UnverifiedJournal {
                    journal: 0,
                    seq: s,
                    ..
                })) => assert_eq!(*s, seq),
                other => panic!("expected an unverified journal, got {other:?}"),
            }
            assert_eq!(err.error().code(), "unverified_journal");
            assert_eq!(
                (tablet.events().unwrap(), tablet.registry().clone()),
                before,
                "nothing changed"
            );
        }
    }

    #[test]
    fn a_rejected_import_names_the_event_and_changes_nothing() {
        let mut office = office();
        let mut tablet = CaseBook::in_memory("tablet-a").unwrap();
        // The tablet already registered `ward` itself: the office's `ward` is a duplicate.
        tablet
            .execute(
                agency("ward"),
                "2024-04-01".parse().unwrap(),
                at("2024-04-01T08:00:00Z"),
            )
            .unwrap();
        office
            .execute(
                agency("clinic"),
                "2024-04-02".parse().unwrap(),
                at("2024-04-02T09:00:00Z"),
            )
            .unwrap();
        let n = tablet.journal().len();
        let err = tablet.import_events(&office.events().unwrap()).unwrap_err();
        assert!(
            matches!(err, EventsError::Rejected { index: 1, .. }),
            "{err:?}"
        );
        assert_eq!(tablet.journal().len(), n);
        assert_eq!(tablet.registry().directory().agencies().len(), 1);
    }

    #[test]
    fn merged_books_reopen_with_their_rejections_as_conflicts() {
        // Two devices register the same agency id offline: the second in merged order is rejected.
        let mut a = CaseBook::in_memory("tablet-a").unwrap();
        let mut b = CaseBook::in_memory("tablet-b").unwrap();
        let today = "2024-04-01".parse().unwrap();
        a.execute(agency("same"), today, at("2024-04-01T09:00:00Z"))
            .unwrap();
        b.execute(agency("same"), today, at("2024-04-01T09:05:00Z"))
            .unwrap();
        let inputs = [a.events().unwrap(), b.events().unwrap()];
        let (merged, conflicts) =
            CaseBook::merge_into(&inputs, crate::journal::MemoryStore::new(), "office").unwrap();
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].kind_code(), "rejected");
        assert_eq!(merged.device().as_str(), "office");
        let store = merged.into_store();
        assert!(
            CaseBook::open(store.clone(), "office").is_err(),
            "strict open refuses"
        );
        let (reopened, again) = CaseBook::open_with_conflicts(store.clone(), "office").unwrap();
        assert_eq!(again, conflicts, "the same rejection, found by the replay");
        assert_eq!(reopened.registry().directory().agencies().len(), 1);
        let err = CaseBook::merge_into(&inputs, store, "office").err();
        assert_eq!(
            err.map(|e| e.code()),
            Some("invalid_resolution"),
            "a merge needs an empty store"
        );
    }

    #[test]
    fn events_with_their_own_dates_are_one_unit() {
        let mut book = office();
        let n = book.journal().len();
        let ok = book
            .append_events(vec![
                (
                    Event {
                        on: "2024-04-03".parse().unwrap(),
                        command: agency("a"),
                        by: None,
                    },
                    at("2024-04-03T09:00:00Z"),
                ),
                (
                    Event {
                        on: "2024-04-04".parse().unwrap(),
                        command: agency("b"),
                        by: None,
                    },
                    at("2024-04-04T09:00:00Z"),
                ),
            ])
            .unwrap();
        assert_eq!(
            ok.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
            [n + 1, n + 2]
        );
        let err = book
            .append_events(vec![
                (
                    Event {
                        on: "2024-04-05".parse().unwrap(),
                        command: agency("c"),
                        by: None,
                    },
                    at("2024-04-05T09:00:00Z"),
                ),
                (
                    Event {
                        on: "2024-04-05".parse().unwrap(),
                        command: agency("a"),
                        by: None,
                    },
                    at("2024-04-05T09:00:00Z"),
                ),
            ])
            .unwrap_err();
        assert_eq!(err.index, Some(1));
        assert_eq!(err.path().as_deref(), Some("$[1].command.agency.id"));
        assert_eq!(book.journal().len(), n + 2, "nothing of the failed batch");
    }
}
