//! The case book's services: batches whose errors name the event, replay, recording time,
//! payloads, the disclosure preview, and a book on either store.

use super::*;
use serde_json::json;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn ev(on: &str, command: serde_json::Value) -> Event {
    Event {
        on: d(on),
        command: serde_json::from_value(command).unwrap(),
        by: None,
    }
}

/// Y-san's household and case, as the Python and wasm tests build them (tests/fixtures).
fn y_san() -> Vec<Event> {
    let agencies: Vec<serde_json::Value> = serde_json::from_str(include_str!(
        "../../../../tests/fixtures/sendai_agencies.json"
    ))
    .unwrap();
    let household: serde_json::Value = serde_json::from_str(include_str!(
        "../../../../tests/fixtures/y_san_household.json"
    ))
    .unwrap();
    let mut events: Vec<Event> = agencies
        .into_iter()
        .map(|a| {
            ev(
                "2023-04-01",
                json!({"command": "register_agency", "agency": a}),
            )
        })
        .collect();
    events.push(ev(
        "2023-06-05",
        json!({"command": "register_household", "household": household}),
    ));
    events.push(ev(
        "2023-06-05",
        json!({"command": "open_case", "case": "c-y", "household": "h-y", "subject": "y-mother",
            "responsible_window": "sendai-council",
            "intake": {"channel": "walk_in", "receiving_window": "sendai-council",
                       "chief_complaint": "生活福祉資金を借りたい", "on": "2023-06-05"}}),
    ));
    events
}

#[test]
fn a_batch_of_events_is_all_or_nothing_and_its_error_names_the_event() {
    let now = t("2023-06-05T09:00:00Z");
    let mut book = CaseBook::from_events("desk", y_san(), now).unwrap();
    let n = book.len();
    assert_eq!(book.payloads().unwrap(), y_san());
    let bad = vec![
        ev(
            "2023-06-06",
            json!({"command": "case", "case": "c-y",
            "action": {"action": "begin_assessment"}}),
        ),
        ev(
            "2023-06-06",
            json!({"command": "case", "case": "c-x",
            "action": {"action": "begin_assessment"}}),
        ),
    ];
    let err = book.execute_events(bad, now).unwrap_err();
    assert_eq!(err.index, Some(1));
    assert_eq!(err.code(), "not_found");
    assert_eq!(err.error.path().as_deref(), Some("$.case"));
    assert_eq!(err.path().as_deref(), Some("$[1].command.case"));
    assert_eq!(err.to_string(), err.error.to_string());
    // Nothing changed: neither the journal nor the state (the first command was not kept).
    assert_eq!(book.len(), n);
    assert_eq!(book.replayed().unwrap(), *book.registry());
    assert!(book.registry().case(&"c-y".into()).is_some());
    // The command-level batch keeps the command's own path.
    let cmd: Command = serde_json::from_value(json!({"command": "case", "case": "c-x",
        "action": {"action": "begin_assessment"}}))
    .unwrap();
    let plain = book
        .execute_batch(vec![cmd], d("2023-06-06"), now)
        .unwrap_err();
    assert_eq!(plain.path().as_deref(), Some("$.case"));
}

#[test]
fn path_under_reroots_a_path_or_stands_for_none() {
    assert_eq!(
        path_under("$[3]", Some("$.household.id")),
        "$[3].household.id"
    );
    assert_eq!(path_under("$[0].command", Some("$")), "$[0].command");
    assert_eq!(
        path_under("$[0].command", Some("$[2].id")),
        "$[0].command[2].id"
    );
    assert_eq!(path_under("$[1]", None), "$[1]");
}

#[test]
fn a_journal_refusal_is_a_batch_error_without_an_index() {
    let mut book = CaseBook::in_memory("").unwrap(); // an empty device id is refused on append
    let err = book
        .execute_events(y_san()[..1].to_vec(), t("2023-04-01T00:00:00Z"))
        .unwrap_err();
    assert_eq!((err.index, err.code()), (None, "malformed_event"));
    assert_eq!(err.path(), err.error.path());
    assert!(book.is_empty());
}

#[test]
fn recording_time_never_goes_back_for_the_device() {
    let mut book = CaseBook::in_memory("desk").unwrap();
    let late = t("2023-06-05T10:00:00Z");
    assert_eq!(book.recording_time(late), late);
    book.execute_events(y_san(), late).unwrap();
    let earlier = t("2023-06-05T09:00:00Z");
    assert_eq!(book.recording_time(earlier), late);
    let later = t("2023-06-05T11:00:00Z");
    assert_eq!(book.recording_time(later), later);
    // Recording at the clamped time is accepted where the stepped-back clock is not.
    let cmd = || -> Command {
        serde_json::from_value(json!({"command": "case", "case": "c-y",
            "action": {"action": "begin_assessment"}}))
        .unwrap()
    };
    let refused = book.execute(cmd(), d("2023-06-06"), earlier).unwrap_err();
    assert_eq!(refused.code(), "out_of_order");
    book.execute(cmd(), d("2023-06-06"), book.recording_time(earlier))
        .unwrap();
}

#[test]
fn fold_events_gives_positions_from_zero() {
    let book = CaseBook::from_events("desk", y_san(), t("2023-06-05T09:00:00Z")).unwrap();
    let positions = book
        .fold_events(Vec::new(), |mut v, at, _| {
            v.push(at);
            v
        })
        .unwrap();
    assert_eq!(positions, (0..y_san().len() as u64).collect::<Vec<_>>());
}

#[test]
fn preview_disclosure_checks_the_case_then_decides_and_redacts() {
    let book = CaseBook::from_events("desk", y_san(), t("2023-06-05T09:00:00Z")).unwrap();
    let request = |case: &str, meeting_type: &str| -> crate::disclosure::DisclosureRequest {
        serde_json::from_value(json!({"case": case, "person": "y-mother",
            "purpose": "support_planning", "on": "2023-06-20",
            "audience": {"type": "meeting", "meeting_type": meeting_type,
                         "participants_acknowledged": true}}))
        .unwrap()
    };
    let missing = book
        .preview_disclosure(&request("c-x", "support_meeting"))
        .unwrap_err();
    assert_eq!(
        (missing.code(), missing.path().as_deref()),
        ("not_found", Some("$.case"))
    );
    // 支援会議 shares under statute (no consent needed): the view shows the household.
    let preview = book
        .preview_disclosure(&request("c-y", "support_meeting"))
        .unwrap();
    assert!(!preview.decision.categories().is_empty());
    let view = serde_json::to_value(&preview.view).unwrap();
    assert!(view.as_object().is_some_and(|o| !o.is_empty()));
    // 重層的支援会議 before her consent: refused, as the `disclose` command would be.
    let refused = book
        .preview_disclosure(&request("c-y", "multi_layered_support_meeting"))
        .unwrap_err();
    assert_eq!(refused.code(), "consent_required");
    // Nothing was recorded.
    assert_eq!(book.len(), y_san().len() as u64);
}

#[cfg(feature = "sqlite")]
#[test]
fn a_book_store_holds_either_store_and_replays_the_same() {
    let dir = std::env::temp_dir().join(format!("tsunagu-bookstore-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("cases.sqlite");
    let _ = std::fs::remove_file(&path);
    let now = t("2023-06-05T09:00:00Z");
    {
        let store = BookStore::from(crate::journal::SqliteStore::open(&path).unwrap());
        let mut book = CaseBook::open(store, "desk").unwrap();
        book.execute_events(y_san(), now).unwrap();
    }
    let on_file = CaseBook::open(
        BookStore::from(crate::journal::SqliteStore::open(&path).unwrap()),
        "desk",
    )
    .unwrap();
    let mut in_memory = CaseBook::open(BookStore::default(), "desk").unwrap();
    in_memory.execute_events(y_san(), now).unwrap();
    assert_eq!(on_file.registry(), in_memory.registry());
    assert_eq!(
        on_file.journal().last_hash(),
        in_memory.journal().last_hash()
    );
    assert_eq!(on_file.payloads().unwrap(), y_san());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 19: after `journal_conflict` (another writer appended to the same file), the book takes
/// up the store's new position as well as its state, so its next command succeeds — no reopen —
/// and the chain stays one.
#[cfg(feature = "sqlite")]
#[test]
fn after_a_conflict_the_book_takes_up_the_other_writers_events_and_goes_on() {
    let dir = std::env::temp_dir().join(format!("tsunagu-conflict-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("cases.sqlite");
    let _ = std::fs::remove_file(&path);
    let open = |device: &str| {
        CaseBook::open(crate::journal::SqliteStore::open(&path).unwrap(), device).unwrap()
    };
    let agency = |id: &str| -> Command {
        serde_json::from_value(json!({"command": "register_agency",
            "agency": {"id": id, "name": "窓口", "kind": "social_welfare_council"}}))
        .unwrap()
    };
    let (today, now) = (d("2024-04-01"), t("2024-04-01T09:00:00Z"));
    let mut desk = open("desk");
    let mut tablet = open("tablet");
    desk.execute(agency("a"), today, now).unwrap();

    // The tablet's view is stale: its append is refused, and nothing of it is stored.
    let e = tablet.execute(agency("b"), today, now).unwrap_err();
    assert_eq!(e.code(), "journal_conflict");
    assert_eq!(tablet.len(), 1, "the tablet now knows the desk's event");
    assert!(tablet.registry().directory().get(&"a".into()).is_some());
    assert!(tablet.registry().directory().get(&"b".into()).is_none());

    // The next command succeeds without reopening, and so does a batch after another conflict.
    tablet.execute(agency("b"), today, now).unwrap();
    desk.execute(agency("c"), today, now).unwrap_err();
    desk.execute_batch(vec![agency("c")], today, now).unwrap();
    let e = tablet
        .execute_batch(vec![agency("d")], today, now)
        .unwrap_err();
    assert_eq!(e.code(), "journal_conflict");
    tablet.execute_batch(vec![agency("d")], today, now).unwrap();

    // One unbroken chain holding every accepted command once; replay equals each writer's view.
    let reopened = open("office");
    assert_eq!(reopened.verify().unwrap().events, 4);
    assert_eq!(reopened.registry(), tablet.registry());
    std::fs::remove_dir_all(&dir).unwrap();
}
