//! The access rules wired into the book (issue 16 items 2–4): reads take the actor and are
//! redacted, every allowed read is in the view log (kept across a restart in the SQLite file,
//! with its own chain), protected addresses stay hidden in views, disclosures and previews, and
//! an explicit read outside the named set is refused, logged, and changes nothing.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{json, Value};
use tsunagu::access::{CaseRelation, ViewOutcome};
use tsunagu::ids::*;
use tsunagu::privacy::InfoCategory;
use tsunagu::registry::{CaseBook, Command};
use tsunagu::worker::Actor;

const AGENCIES: &str = include_str!("../../tests/fixtures/sendai_agencies.json");
const HOUSEHOLD: &str = include_str!("../../tests/fixtures/y_san_household.json");

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}
fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}
fn cmd(v: Value) -> Command {
    serde_json::from_value(v).unwrap()
}
fn register(id: &str, agency: &str, role: &str) -> Command {
    cmd(json!({"command": "register_worker", "worker":
        {"id": id, "agency": agency, "name": "職員", "roles": [role]}}))
}
fn csw(n: u8) -> Actor {
    Actor::new(format!("csw-{n}"), "sendai-council")
}
fn ward() -> Actor {
    Actor::new("ward-1", "aoba-ward-office")
}
fn manager() -> Actor {
    Actor::new("admin-1", "city-hall")
}

/// Y-san's book: agencies, household, case, the mother in the person master with her address,
/// workers (registered in setup mode), csw-1 主担当, a referral to the ward office.
fn y_book<S: tsunagu::journal::Store>(store: S) -> CaseBook<S> {
    let mut book = CaseBook::open(store, "desk-1").unwrap();
    let agencies: Vec<Value> = serde_json::from_str(AGENCIES).unwrap();
    let household: Value = serde_json::from_str(HOUSEHOLD).unwrap();
    let mut setup: Vec<Command> = agencies
        .into_iter()
        .map(|a| cmd(json!({"command": "register_agency", "agency": a})))
        .collect();
    setup.push(cmd(
        json!({"command": "register_household", "household": household}),
    ));
    setup.push(cmd(json!({"command": "register_person", "person": {
        "id": "y-mother", "name": "山田 花子", "reading": "ヤマダ ハナコ",
        "address": {"text": "仙台市青葉区一番町1-1"}, "phones": ["022-000-0000"]}})));
    setup.push(cmd(
        json!({"command": "open_case", "case": "c-y", "household": "h-y",
        "subject": "y-mother", "responsible_window": "sendai-council",
        "intake": {"channel": "walk_in", "receiving_window": "sendai-council",
                   "chief_complaint": "生活福祉資金を借りたい", "on": "2023-06-05"}}),
    ));
    // The first worker ends setup mode: the 管理者, who registers the others.
    setup.push(register("admin-1", "city-hall", "manager"));
    book.execute_batch(setup, d("2023-06-05"), t("2023-06-05T00:00:00Z"))
        .unwrap();
    book.as_actor(manager())
        .execute_batch(
            vec![
                register("csw-1", "sendai-council", "community_social_worker"),
                register(
                    "csw-2",
                    "sendai-council",
                    "chief_consultation_support_worker",
                ),
                register("csw-3", "sendai-council", "community_social_worker"),
                register("ward-1", "aoba-ward-office", "consultation_support_worker"),
            ],
            d("2023-06-05"),
            t("2023-06-05T00:30:00Z"),
        )
        .unwrap();
    book.as_actor(csw(1))
        .execute_batch(
            vec![
                cmd(json!({"command": "assign_team", "case": "c-y", "main": "csw-1", "on": "2023-06-05"})),
                cmd(json!({"command": "propose_referral", "proposal": {"id": "r-1", "case": "c-y",
                    "household": "h-y", "from": "sendai-council", "to": "aoba-ward-office",
                    "purpose": "生活保護の申請", "on": "2023-06-05"}})),
            ],
            d("2023-06-05"),
            t("2023-06-05T01:00:00Z"),
        )
        .unwrap();
    book
}

fn mother() -> PersonId {
    PersonId::new("y-mother")
}

#[test]
fn the_case_team_sees_everything_and_the_read_is_logged() {
    let mut book = y_book(tsunagu::journal::MemoryStore::new());
    let at = t("2023-06-06T00:00:00Z");
    let view = book.as_actor(csw(1)).case_view(&"c-y".into(), at).unwrap();
    assert_eq!(view.shown, InfoCategory::ALL.to_vec());
    let m = &view.members[0];
    assert_eq!(m.address.as_deref(), Some("仙台市青葉区一番町1-1"));
    assert!(m.issues.iter().any(|i| i.code.as_str() == "dv"));
    let log = book.view_log();
    assert_eq!(log.len(), 1);
    let e = log.get(0).unwrap();
    assert_eq!(e.worker, WorkerId::new("csw-1"));
    assert_eq!(e.relation, CaseRelation::Primary);
    assert_eq!(e.case, Some(CaseId::new("c-y")));
    assert!(e.locating);
    assert_eq!(e.at, at);
    assert!(e.rules.iter().any(|r| r.as_str() == "team_full"));
}

#[test]
fn another_agency_opens_y_sans_case_redacted_to_what_was_disclosed_and_logged() {
    let mut book = y_book(tsunagu::journal::MemoryStore::new());
    let at = t("2023-06-07T00:00:00Z");
    // Before any disclosure: the referral makes the ward office a party, but household
    // records open only what a disclosure showed — nothing; nothing shown, nothing logged.
    let view = book.as_actor(ward()).case_view(&"c-y".into(), at).unwrap();
    assert!(view.members.is_empty() && view.shown.is_empty(), "{view:?}");
    assert_eq!(book.view_log().len(), 0);
    // Y-san consents to identity and finances going to the ward office; the CSW discloses.
    book.as_actor(csw(1))
        .execute_batch(
            vec![
                cmd(json!({"command": "consent", "action": {"command": "give", "id": "cons-1",
                    "on": "2023-06-06", "terms": {"person": "y-mother", "scope": ["identity", "finances"],
                    "recipients": [{"agency": "aoba-ward-office"}], "legal_basis": "本人同意",
                    "method": "written"}}})),
                cmd(json!({"command": "disclose", "provider": "sendai-council",
                    "shown": ["identity", "finances"],
                    "request": {"case": "c-y", "person": "y-mother", "purpose": "support",
                        "on": "2023-06-06",
                        "audience": {"type": "agency", "id": "aoba-ward-office",
                                     "kind": "city_public_assistance_division"}}})),
            ],
            d("2023-06-06"),
            t("2023-06-06T02:00:00Z"),
        )
        .unwrap();
    let view = book.as_actor(ward()).case_view(&"c-y".into(), at).unwrap();
    assert_eq!(
        view.shown,
        vec![InfoCategory::Identity, InfoCategory::Finances]
    );
    let m = view.members.iter().find(|m| m.key == "y-mother").unwrap();
    assert!(m.relation.is_none(), "household category withheld");
    assert!(
        m.issues.iter().all(|i| i.code.as_str() != "dv"),
        "要配慮 withheld"
    );
    assert!(view.members.iter().all(|m| m.disabilities.is_empty()));
    let e = book.view_log().get(0).unwrap();
    assert_eq!(e.worker, WorkerId::new("ward-1"));
    assert_eq!(e.relation, CaseRelation::OtherAgency);
    assert_eq!(
        e.categories,
        vec![InfoCategory::Identity, InfoCategory::Finances]
    );
    assert_eq!(
        e.rules.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        ["disclosed_only"]
    );
    // The manager asks who looked at Y-san's record; a CSW may not.
    let who = book.who_viewed(&manager(), &mother()).unwrap();
    assert_eq!(who.len(), 1);
    assert_eq!(
        book.who_viewed(&csw(1), &mother()).unwrap_err().code(),
        "access_denied"
    );
    let by = book.viewed_by(&manager(), &"ward-1".into()).unwrap();
    assert_eq!(by, who);
}

#[test]
fn a_hand_over_moves_the_team_and_the_old_main_worker_loses_the_team_view() {
    let mut book = y_book(tsunagu::journal::MemoryStore::new());
    let at = t("2023-07-02T00:00:00Z");
    book.as_actor(csw(1))
        .execute(
            cmd(
                json!({"command": "hand_over", "case": "c-y", "to": "csw-3", "on": "2023-07-01",
                "reason": "担当替え"}),
            ),
            d("2023-07-01"),
            t("2023-07-01T00:00:00Z"),
        )
        .unwrap();
    let new_main = book.as_actor(csw(3)).case_view(&"c-y".into(), at).unwrap();
    assert_eq!(new_main.shown, InfoCategory::ALL.to_vec());
    // csw-1 is now a colleague of the same window: ordinary information, no 要配慮 data.
    let old_main = book.as_actor(csw(1)).case_view(&"c-y".into(), at).unwrap();
    assert!(!old_main.shown.contains(&InfoCategory::HealthDisability));
    assert!(!old_main.shown.contains(&InfoCategory::LegalCriminal));
    assert!(old_main
        .members
        .iter()
        .all(|m| m.issues.iter().all(|i| i.code.as_str() != "dv")));
    let last = book.view_log().get(1).unwrap();
    assert_eq!(last.worker, WorkerId::new("csw-1"));
    assert_eq!(last.relation, CaseRelation::SameAgency);
}

fn protect(book: &mut CaseBook<impl tsunagu::journal::Store>, allowed: &[&str]) {
    book.as_actor(csw(2))
        .execute(
            cmd(
                json!({"command": "protect_address", "protection": {"person": "y-mother",
                "also": ["y-son1", "y-son2"], "from": "2023-06-10", "allowed": allowed}}),
            ),
            d("2023-06-10"),
            t("2023-06-10T00:00:00Z"),
        )
        .unwrap();
}

#[test]
fn a_protected_address_is_hidden_and_an_explicit_read_is_refused_logged_and_changes_nothing() {
    let mut book = y_book(tsunagu::journal::MemoryStore::new());
    protect(&mut book, &["csw-1"]);
    let at = t("2023-06-11T00:00:00Z");
    // The named 主担当 still sees it.
    let c = book.as_actor(csw(1)).contact(&mother(), at).unwrap();
    assert_eq!(c.phone.as_deref(), Some("022-000-0000"));
    // The chief (same agency, not named): the view has no address, no area, no ties.
    let view = book.as_actor(csw(2)).case_view(&"c-y".into(), at).unwrap();
    assert!(view.area.is_none() && view.ties.is_empty());
    assert!(view
        .members
        .iter()
        .all(|m| m.address.is_none() && m.phone.is_none()));
    assert_eq!(view.members[0].address_restricted, Some(true));
    // An explicit read is refused with address_restricted at $.person, logged, and changes
    // nothing of the registry or the journal.
    let (state, events) = (book.registry().clone(), book.len());
    let err = book.as_actor(csw(2)).contact(&mother(), at).unwrap_err();
    assert_eq!(err.code(), "address_restricted");
    assert_eq!(err.path().as_deref(), Some("$.person"));
    assert_eq!((book.registry(), book.len()), (&state, events));
    let refused = book.view_log().iter().last().unwrap();
    assert_eq!(refused.outcome, ViewOutcome::AddressRestricted);
    assert_eq!(refused.worker, WorkerId::new("csw-2"));
    // A disclosure to a meeting leaves without area and ties; so does its preview.
    let request: tsunagu::disclosure::DisclosureRequest = serde_json::from_value(json!({
        "case": "c-y", "person": "y-mother", "purpose": "support", "on": "2023-06-11",
        "audience": {"type": "meeting", "meeting_type": "support_meeting",
                     "participants_acknowledged": true}}))
    .unwrap();
    let preview = book.preview_disclosure(&request).unwrap();
    assert!(
        preview.view.area.is_none() && preview.view.ties.is_empty(),
        "{:?}",
        preview.view
    );
    // Lifted: the chief sees the area again.
    book.as_actor(csw(2))
        .execute(
            cmd(json!({"command": "lift_address_protection", "person": "y-mother", "on": "2023-06-20"})),
            d("2023-06-20"),
            t("2023-06-20T00:00:00Z"),
        )
        .unwrap();
    let view = book
        .as_actor(csw(2))
        .case_view(&"c-y".into(), t("2023-06-21T00:00:00Z"))
        .unwrap();
    assert!(view.area.is_some());
}

#[test]
fn protection_commands_check_their_references_and_change_nothing_when_refused() {
    let mut book = y_book(tsunagu::journal::MemoryStore::new());
    let (state, events) = (book.registry().clone(), book.len());
    let bad = [
        (
            json!({"person": "nobody", "from": "2023-06-10"}),
            "not_found",
            "$.protection.person",
        ),
        (
            json!({"person": "y-mother", "also": ["nobody"], "from": "2023-06-10"}),
            "not_found",
            "$.protection.also[0]",
        ),
        (
            json!({"person": "y-mother", "from": "2023-06-10", "allowed": ["ghost"]}),
            "unknown_worker",
            "$.protection.allowed[0]",
        ),
        (
            json!({"person": "y-mother", "from": "2023-06-10", "lifted_on": "2023-06-10"}),
            "empty_period",
            "$.protection.lifted_on",
        ),
    ];
    for (p, code, path) in bad {
        let err = book
            .as_actor(csw(2))
            .execute(
                cmd(json!({"command": "protect_address", "protection": p})),
                d("2023-06-10"),
                t("2023-06-10T00:00:00Z"),
            )
            .unwrap_err();
        assert_eq!((err.code(), err.path().as_deref()), (code, Some(path)));
    }
    let err = book
        .as_actor(csw(2))
        .execute(cmd(json!({"command": "lift_address_protection", "person": "y-mother", "on": "2023-06-10"})), d("2023-06-10"), t("2023-06-10T00:00:00Z"))
        .unwrap_err();
    assert_eq!(
        (err.code(), err.path().as_deref()),
        ("not_found", Some("$.person"))
    );
    assert_eq!((book.registry(), book.len()), (&state, events));
    protect(&mut book, &[]);
    let err = book
        .as_actor(csw(2))
        .execute(cmd(json!({"command": "protect_address", "protection": {"person": "y-mother", "from": "2023-06-10"}})), d("2023-06-10"), t("2023-06-10T00:00:00Z"))
        .unwrap_err();
    assert_eq!(err.code(), "already_exists");
    let err = book
        .as_actor(csw(2))
        .execute(cmd(json!({"command": "lift_address_protection", "person": "y-mother", "on": "2023-06-10"})), d("2023-06-10"), t("2023-06-10T00:00:00Z"))
        .unwrap_err();
    assert_eq!(
        (err.code(), err.path().as_deref()),
        ("empty_period", Some("$.on"))
    );
}

#[cfg(feature = "sqlite")]
#[test]
fn the_view_log_survives_a_restart_with_its_own_chain_and_reads_do_not_grow_the_journal() {
    let dir = std::env::temp_dir().join(format!("tsunagu-view-log-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("book.sqlite");
    let _ = std::fs::remove_file(&path);
    let book = y_book(tsunagu::journal::SqliteStore::open(&path).unwrap());
    drop(book);
    let mut book = CaseBook::open_file(&path, "desk-1").unwrap();
    let events = book.len();
    book.as_actor(csw(1))
        .case_view(&"c-y".into(), t("2023-06-06T00:00:00Z"))
        .unwrap();
    book.as_actor(csw(1))
        .person(&mother(), t("2023-06-06T00:01:00Z"))
        .unwrap()
        .unwrap();
    assert_eq!(book.len(), events, "reads are not journal events");
    let before: Vec<_> = book.view_log().iter().collect();
    assert_eq!(before.len(), 2);
    drop(book);
    let book = CaseBook::open_file(&path, "desk-1").unwrap();
    assert_eq!(book.view_log().iter().collect::<Vec<_>>(), before);
    assert_eq!(book.verify_view_log().unwrap(), 2);
    drop(book);
    // An edited entry breaks the view log's chain: opening names it.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "UPDATE view_log SET json = replace(json, 'csw-1', 'csw-2') WHERE seq = 2",
        [],
    )
    .unwrap();
    drop(conn);
    let err = CaseBook::open_file(&path, "desk-1").unwrap_err();
    assert_eq!(err.code(), "chain_broken");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_timeline_shows_each_worker_only_the_records_the_policy_opens_and_logs_them() {
    use tsunagu::access::RecordKind;
    use tsunagu::record::{TimelineFilter, TimelineKind, TimelineSubject};
    let mut book = y_book(tsunagu::journal::MemoryStore::new());
    let at = t("2023-06-08T00:00:00Z");
    let subject = TimelineSubject::Case { case: "c-y".into() };
    let all = TimelineFilter::default();
    let everything = book.registry().timeline(&subject, &all).unwrap();
    let kinds = |items: &[tsunagu::record::TimelineItem]| {
        items
            .iter()
            .map(|i| i.kind)
            .collect::<std::collections::BTreeSet<_>>()
    };
    assert!(kinds(&everything).contains(&TimelineKind::CaseTransition));
    assert!(kinds(&everything).contains(&TimelineKind::Referral));

    // Her 主担当 sees every item, and the read is logged per record kind shown.
    let team = book.as_actor(csw(1)).timeline(&subject, &all, at).unwrap();
    assert_eq!(team, everything);
    let logged: Vec<_> = (0..book.view_log().len())
        .map(|i| book.view_log().get(i).unwrap())
        .collect();
    assert!(logged.iter().all(|e| e.worker == WorkerId::new("csw-1")
        && e.relation == CaseRelation::Primary
        && e.case == Some(CaseId::new("c-y"))));
    assert!(logged.iter().any(|e| e.kind == RecordKind::Case));
    assert!(logged.iter().any(|e| e.kind == RecordKind::Referral));

    // The ward office, a party through the referral only, sees the referral and nothing of
    // the case's own record; its read is logged as such.
    let before = book.view_log().len();
    let ward_items = book.as_actor(ward()).timeline(&subject, &all, at).unwrap();
    assert!(!ward_items.is_empty());
    assert_eq!(
        kinds(&ward_items),
        [TimelineKind::Referral].into_iter().collect()
    );
    let ward_log: Vec<_> = (before..book.view_log().len())
        .map(|i| book.view_log().get(i).unwrap())
        .collect();
    assert_eq!(ward_log.len(), 1);
    assert_eq!(ward_log[0].kind, RecordKind::Referral);
    assert_eq!(ward_log[0].relation, CaseRelation::OtherAgency);
    assert_eq!(ward_log[0].worker, WorkerId::new("ward-1"));

    // Nothing is read by an unknown worker, and nothing is logged.
    let before = book.view_log().len();
    let err = book
        .as_actor(Actor::new("nobody", "sendai-council"))
        .timeline(&subject, &all, at)
        .unwrap_err();
    assert_eq!(tsunagu::coded::Coded::code(&err), "unknown_worker");
    assert_eq!(book.view_log().len(), before);
}
