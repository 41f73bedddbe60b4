//! The case record (支援経過記録) through the registry: Y-san's scenario (DOMAIN.md §8) — a home
//! visit while she was out, a letter, a second visit that met her, a 面談 linked to her plan
//! goal, her consent form attached — and the one timeline of her case showing them in order with
//! the referral and the plan; corrections that supersede; outreach stages; the errors each rule
//! gives (every rejected command changes nothing, the accepted ones replay).

use serde_json::{json, Value};
use tsunagu::record::{RelationshipStage, TimelineFilter, TimelineKind, TimelineSubject};

mod common;
use common::{d, Book, Y_SAN};

fn entry(id: &str, kind: &str, on: &str, with: Value) -> Value {
    json!({ "command": "write_entry", "entry": {
        "id": id, "case": "c-y", "kind": kind, "on": on, "with": with, "text": "経過の記録" } })
}

/// Y-san's household and case, assessed, with a continuing-support decision.
fn y_san() -> Book {
    let mut b = Book::with_agencies("2023-06-01");
    let h: Value = serde_json::from_str(Y_SAN).unwrap();
    b.ok(
        "2023-06-05",
        json!({ "command": "register_household", "household": h }),
    );
    b.ok(
        "2023-06-05",
        json!({ "command": "open_case", "case": "c-y", "household": "h-y", "subject": "y-mother",
        "responsible_window": "sendai-council",
        "intake": { "channel": "walk_in", "receiving_window": "sendai-council", "on": "2023-06-05",
                    "chief_complaint": "福祉資金の貸付を受けたい" } }),
    );
    b
}

fn plan() -> Value {
    json!({ "command": "create_plan", "plan": {
        "id": "p-y", "case": "c-y", "version": 1, "created_on": "2023-06-20",
        "chief_complaint": "仕事が続けられない", "wishes": "子どもと安心して暮らしたい",
        "policy": "家計の安定と子の通学支援を並行して進める", "approaches": ["problem_solving", "staying_connected"],
        "long_term_goals": [ { "id": "lt1", "text": "暮らしの安定" } ],
        "short_term_goals": [ { "id": "st1", "text": "生活保護の申請" } ],
        "actions": [ { "id": "a1", "description": "申請に同行する",
                       "responsible": { "type": "agency", "agency": "sendai-council" }, "schedule": {}, "goals": ["st1"] } ],
        "monitoring": { "first_on": "2023-07-20", "interval_days": 30 } } })
}

#[test]
fn y_san_timeline_shows_visits_letter_interview_attachment_referral_and_plan_in_order() {
    let mut b = y_san();
    // The first home visit: nobody home (訪問したが不在) — nobody met, so nobody is named.
    b.ok(
        "2023-06-07",
        json!({ "command": "write_entry", "entry": { "id": "e1", "case": "c-y", "kind": "visit_not_home",
        "on": "2023-06-07", "at": "10:00", "place": "自宅", "text": "不在。車なし。", "by": "csw-1" } }),
    );
    // A letter left at the door, addressed to her.
    b.ok(
        "2023-06-07",
        json!({ "command": "write_entry", "entry": { "id": "e2", "case": "c-y", "kind": "letter",
        "on": "2023-06-07", "at": "10:10", "with": [ { "type": "person" } ], "text": "連絡を依頼する手紙を投函" } }),
    );
    // The second visit meets her and her younger son.
    b.ok(
        "2023-06-12",
        json!({ "command": "write_entry", "entry": { "id": "e3", "case": "c-y", "kind": "home_visit",
        "on": "2023-06-12", "at": "16:00", "with": [ { "type": "person" }, { "type": "member", "person": "y-son2" } ],
        "text": "本人と次男に会えた", "issues": ["income_living_costs"] } }),
    );
    b.case("2023-06-12", "c-y", json!({ "action": "begin_assessment" }));
    b.case(
        "2023-06-12",
        "c-y",
        json!({ "action": "record_assessment", "assessment": {
        "on": "2023-06-12", "wishes": "子どもと安心して暮らしたい", "urgency": "normal",
        "issues": [ { "member": "y-mother", "issues": ["income_living_costs"] } ] } }),
    );
    b.case(
        "2023-06-12",
        "c-y",
        json!({ "action": "decide", "outcome": "continuing_support" }),
    );
    b.ok("2023-06-15", json!({ "command": "propose_referral", "proposal": { "id": "r-y", "case": "c-y", "household": "h-y",
        "from": "sendai-council", "to": "aoba-ward-office", "purpose": "生活保護の申請", "on": "2023-06-15" } }));
    b.ok("2023-06-15", json!({ "command": "referral", "referral": "r-y", "actor": "sendai-council", "action": { "action": "send", "on": "2023-06-15" } }));
    b.ok("2023-06-20", json!({ "command": "referral", "referral": "r-y", "actor": "aoba-ward-office", "action": { "action": "accept", "on": "2023-06-20" } }));
    b.ok("2023-06-20", plan());
    b.ok("2023-06-20", json!({ "command": "consent_to_plan", "plan": "p-y", "consent": { "on": "2023-06-20", "method": "signature" } }));
    b.case(
        "2023-06-20",
        "c-y",
        json!({ "action": "adopt_plan", "plan": "p-y" }),
    );
    // A 面談 linked to her plan goal, with the accompanying ward office.
    b.ok(
        "2023-06-22",
        json!({ "command": "write_entry", "entry": { "id": "e4", "case": "c-y", "kind": "interview",
        "on": "2023-06-22", "at": "13:30", "place": "区役所",
        "with": [ { "type": "person" }, { "type": "agency", "agency": "aoba-ward-office" } ],
        "text": "申請書類を一緒に確認", "goals": [ { "plan": "p-y", "goal": "st1" } ], "by": "csw-1" } }),
    );
    // Her consent form, attached by reference with its hash.
    let form = b"consent form scan";
    let hash = tsunagu::record::ContentHash::of(form);
    b.ok(
        "2023-06-22",
        json!({ "command": "attach", "attachment": { "id": "att-1", "case": "c-y", "entry": "e4",
        "on": "2023-06-22", "kind": "consent_form", "title": "情報共有の同意書", "media_type": "application/pdf",
        "sha256": hash, "size": form.len(), "location": format!("blob:{hash}") } }),
    );
    b.reg
        .verify_attachment(&"att-1".into(), form)
        .expect("unchanged bytes verify");
    let e = b
        .reg
        .verify_attachment(&"att-1".into(), b"consent form scaN")
        .unwrap_err();
    assert_eq!(
        (e.code(), e.kind().as_str()),
        ("attachment_changed", "storage")
    );

    let subject = TimelineSubject::Case { case: "c-y".into() };
    let all = b
        .reg
        .timeline(&subject, &TimelineFilter::default())
        .unwrap();
    let seen: Vec<(String, TimelineKind, String)> = all
        .iter()
        .map(|i| (i.on.to_string(), i.kind, i.code.clone()))
        .collect();
    let want = [
        ("2023-06-05", TimelineKind::CaseTransition, "open"),
        ("2023-06-07", TimelineKind::Entry, "visit_not_home"),
        ("2023-06-07", TimelineKind::Entry, "letter"),
        (
            "2023-06-12",
            TimelineKind::CaseTransition,
            "begin_assessment",
        ),
        (
            "2023-06-12",
            TimelineKind::CaseTransition,
            "record_assessment",
        ),
        ("2023-06-12", TimelineKind::CaseTransition, "decide"),
        ("2023-06-12", TimelineKind::Entry, "home_visit"),
        ("2023-06-15", TimelineKind::Referral, "proposed"),
        ("2023-06-15", TimelineKind::Referral, "sent"),
        ("2023-06-20", TimelineKind::CaseTransition, "adopt_plan"),
        ("2023-06-20", TimelineKind::Plan, "plan_created"),
        ("2023-06-20", TimelineKind::Plan, "plan_consented"),
        ("2023-06-20", TimelineKind::Referral, "accepted"),
        ("2023-06-22", TimelineKind::Entry, "interview"),
        ("2023-06-22", TimelineKind::Attachment, "consent_form"),
    ];
    let want: Vec<(String, TimelineKind, String)> = want
        .iter()
        .map(|(on, k, c)| (on.to_string(), *k, c.to_string()))
        .collect();
    assert_eq!(seen, want);
    // Summaries carry codes and labels, never the narrative or the title.
    let private = [
        "不在。車なし。",
        "連絡を依頼する手紙を投函",
        "本人と次男に会えた",
        "申請書類を一緒に確認",
        "情報共有の同意書",
        "自宅",
        "生活保護の申請",
    ];
    for i in &all {
        for p in private {
            assert!(!i.summary.contains(p), "{}: {}", i.source, i.summary);
        }
    }
    let form = all.iter().find(|i| i.source == "attachment:att-1").unwrap();
    assert_eq!(form.summary, "添付: 同意書");
    let visit = all.iter().find(|i| i.source == "entry:e3").unwrap();
    assert_eq!(visit.summary, "家庭訪問（本人・世帯員）");
    assert_eq!(visit.at, Some("16:00:00".parse().unwrap()));

    // Filtered by kind and date range.
    let entries = b
        .reg
        .timeline(
            &subject,
            &TimelineFilter {
                kinds: [TimelineKind::Entry].into_iter().collect(),
                from: Some(d("2023-06-10")),
                ..Default::default()
            },
        )
        .unwrap();
    let ids: Vec<&str> = entries.iter().map(|i| i.source.as_str()).collect();
    assert_eq!(ids, ["entry:e3", "entry:e4"]);
    // The person's timeline holds the same case items.
    let person = b
        .reg
        .timeline(
            &TimelineSubject::Person {
                person: "y-mother".into(),
            },
            &TimelineFilter::default(),
        )
        .unwrap();
    assert_eq!(person, all);
    // An unknown case is not found.
    let e = b
        .reg
        .timeline(
            &TimelineSubject::Case {
                case: "c-none".into(),
            },
            &TimelineFilter::default(),
        )
        .unwrap_err();
    assert_eq!(
        (e.code(), e.path().as_deref()),
        ("not_found", Some("$.case"))
    );
    b.assert_replays();
}

#[test]
fn a_correction_supersedes_and_the_original_stays_in_the_history() {
    let mut b = y_san();
    b.ok(
        "2023-06-12",
        entry("e1", "phone", "2023-06-12", json!([{ "type": "person" }])),
    );
    let mut correction = entry(
        "e1b",
        "home_visit",
        "2023-06-12",
        json!([{ "type": "person" }]),
    );
    correction["entry"]["corrects"] = json!("e1");
    b.ok("2023-06-13", correction.clone());
    // The corrected entry cannot be corrected again: correct the latest.
    let mut again = correction.clone();
    again["entry"]["id"] = json!("e1c");
    assert_eq!(
        b.err("2023-06-13", again.clone()),
        ("entry_superseded".into(), Some("$.entry.corrects".into()))
    );
    again["entry"]["corrects"] = json!("e1b");
    b.ok("2023-06-14", again);
    let log = b.reg.case_record().entries();
    let history: Vec<&str> = log
        .history(&"e1b".into())
        .iter()
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(history, ["e1", "e1b", "e1c"]);
    assert!(!log.is_current(&"e1".into()) && log.is_current(&"e1c".into()));
    // The timeline shows the current version; the originals on request.
    let subject = TimelineSubject::Case { case: "c-y".into() };
    let only = |f: TimelineFilter| -> Vec<String> {
        b.reg
            .timeline(&subject, &f)
            .unwrap()
            .into_iter()
            .filter(|i| i.kind == TimelineKind::Entry)
            .map(|i| i.source)
            .collect()
    };
    assert_eq!(only(TimelineFilter::default()), ["entry:e1c"]);
    let all = only(TimelineFilter {
        include_superseded: true,
        ..Default::default()
    });
    assert_eq!(all, ["entry:e1", "entry:e1b", "entry:e1c"]);
    b.assert_replays();
}

#[test]
fn entry_rules_give_typed_errors_with_paths_and_change_nothing() {
    let mut b = y_san();
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            entry("x", "home_visit", "2023-06-12", json!([])),
            "met_required",
            "$.entry.with",
        ),
        (
            entry(
                "x",
                "visit_not_home",
                "2023-06-12",
                json!([{ "type": "person" }]),
            ),
            "met_not_allowed",
            "$.entry.with",
        ),
        (
            entry("x", "fax", "2023-06-12", json!([{ "type": "person" }])),
            "unknown_code",
            "$.entry.kind",
        ),
        (
            entry(
                "x",
                "phone",
                "2023-06-12",
                json!([{ "type": "member", "person": "stranger" }]),
            ),
            "unknown_member",
            "$.entry.with[0].person",
        ),
        (
            entry(
                "x",
                "phone",
                "2023-06-12",
                json!([{ "type": "agency", "agency": "nowhere" }]),
            ),
            "unknown_agency",
            "$.entry.with[0].agency",
        ),
        (
            entry(
                "x",
                "phone",
                "2023-06-12",
                json!([{ "type": "person" }, { "type": "person" }]),
            ),
            "duplicate_reference",
            "$.entry.with[1]",
        ),
        (
            entry("x", "phone", "2023-06-01", json!([{ "type": "person" }])),
            "date_out_of_order",
            "$.entry.on",
        ),
        (
            entry("x", "phone", "2023-06-13", json!([{ "type": "person" }])),
            "date_in_future",
            "$.entry.on",
        ),
        (
            json!({ "command": "write_entry", "entry": { "id": "x", "case": "c-none", "kind": "phone",
                    "on": "2023-06-12", "with": [ { "type": "person" } ], "text": "t" } }),
            "not_found",
            "$.entry.case",
        ),
        (
            json!({ "command": "write_entry", "entry": { "id": "x", "case": "c-y", "kind": "phone",
                    "on": "2023-06-12", "with": [ { "type": "person" } ], "text": "  " } }),
            "empty_text",
            "$.entry.text",
        ),
        (
            json!({ "command": "write_entry", "entry": { "id": "x", "case": "c-y", "kind": "phone",
                    "on": "2023-06-12", "with": [ { "type": "person" } ], "text": "t", "issues": ["no_such_issue"] } }),
            "unknown_code",
            "$.entry.issues[0]",
        ),
        (
            json!({ "command": "write_entry", "entry": { "id": "x", "case": "c-y", "kind": "phone",
                    "on": "2023-06-12", "with": [ { "type": "person" } ], "text": "t",
                    "goals": [ { "plan": "p-none", "goal": "st1" } ] } }),
            "not_found",
            "$.entry.goals[0].plan",
        ),
    ];
    for (cmd, code, path) in cases {
        assert_eq!(
            b.err("2023-06-12", cmd.clone()),
            (code.to_string(), Some(path.to_string())),
            "{cmd}"
        );
    }
    b.ok(
        "2023-06-12",
        entry("e1", "phone", "2023-06-12", json!([{ "type": "person" }])),
    );
    assert_eq!(
        b.err(
            "2023-06-12",
            entry("e1", "phone", "2023-06-12", json!([{ "type": "person" }]))
        ),
        ("already_exists".into(), Some("$.entry.id".into()))
    );
    // A municipality adds a kind; its code is new and snake_case.
    b.ok("2023-06-12", json!({ "command": "extend_record_kinds", "kinds": {
        "entry_kinds": [ { "code": "online", "ja": "オンライン面談", "en": "Online interview", "contact": "remote" } ] } }));
    b.ok(
        "2023-06-12",
        entry("e2", "online", "2023-06-12", json!([{ "type": "person" }])),
    );
    assert_eq!(
        b.err("2023-06-12", json!({ "command": "extend_record_kinds", "kinds": {
            "entry_kinds": [ { "code": "phone", "ja": "電話", "en": "Phone", "contact": "remote" } ] } })),
        ("duplicate_code".into(), Some("$.kinds.entry_kinds[0].code".into()))
    );
    // A closed case takes no new entry, but its entries can still be corrected.
    b.case(
        "2023-06-12",
        "c-y",
        json!({ "action": "close", "reason": "resolved", "on": "2023-06-12" }),
    );
    assert_eq!(
        b.err(
            "2023-06-12",
            entry("e3", "phone", "2023-06-12", json!([{ "type": "person" }]))
        ),
        ("case_closed".into(), Some("$.entry.case".into()))
    );
    let mut correction = entry("e1b", "phone", "2023-06-12", json!([{ "type": "person" }]));
    correction["entry"]["corrects"] = json!("e1");
    b.ok("2023-06-12", correction);
    b.assert_replays();
}

fn attempt(id: &str, on: &str, outcome: &str, stage: Option<&str>) -> Value {
    let mut a = json!({ "id": id, "on": on, "method": "home_visit", "outcome": outcome });
    if let Some(s) = stage {
        a["stage"] = json!(s);
    }
    json!({ "command": "outreach", "case": "c-o", "action": { "type": "attempt", "attempt": a } })
}

fn stage_of(b: &Book) -> RelationshipStage {
    b.reg
        .case_record()
        .outreach(&"c-o".into())
        .map(|t| t.stage)
        .unwrap_or_default()
}

#[test]
fn outreach_stages_move_forward_fall_back_and_keep_connected() {
    let mut b = Book::with_agencies("2024-01-01");
    let h = json!({ "id": "h-8050", "area": { "daily_life_area": "sendai-aoba" }, "members": [
        { "id": "p1", "relation": "head", "approx_age": 82, "employment": "retired" },
        { "id": "p2", "relation": "child", "approx_age": 52, "employment": "unemployed", "engagement": "not_engaging", "issues": ["hikikomori"] } ] });
    b.ok(
        "2024-02-01",
        json!({ "command": "register_household", "household": h }),
    );
    b.ok("2024-02-01", json!({ "command": "open_outreach_case", "case": "c-o", "household": "h-8050", "subject": "p2",
        "responsible_window": "sendai-council",
        "outreach": { "on": "2024-02-01", "source": "community_report", "concern": "長く見かけない" } }));
    b.ok("2024-02-02", attempt("a1", "2024-02-02", "not_home", None));
    // No stage above 未接触 before she is reached.
    assert_eq!(
        b.err(
            "2024-02-03",
            attempt("a2", "2024-02-03", "letter_left", Some("contacted"))
        ),
        (
            "stage_without_contact".into(),
            Some("$.action.attempt.stage".into())
        )
    );
    b.ok(
        "2024-02-03",
        attempt("a2", "2024-02-03", "letter_left", None),
    );
    assert_eq!(stage_of(&b), RelationshipStage::NotContacted);
    // Talking through the door is contact: 未接触 → 接触 by itself.
    b.ok("2024-02-10", attempt("a3", "2024-02-10", "talked", None));
    assert_eq!(stage_of(&b), RelationshipStage::Contacted);
    b.ok(
        "2024-03-01",
        attempt("a4", "2024-03-01", "met", Some("relationship_building")),
    );
    assert_eq!(stage_of(&b), RelationshipStage::RelationshipBuilding);
    // Falling back is allowed; back to 未接触 is not, nor a date before the last change.
    b.ok("2024-03-20", json!({ "command": "outreach", "case": "c-o", "action": { "type": "set_stage", "on": "2024-03-20", "stage": "contacted" } }));
    assert_eq!(stage_of(&b), RelationshipStage::Contacted);
    assert_eq!(
        b.err("2024-03-21", json!({ "command": "outreach", "case": "c-o", "action": { "type": "set_stage", "on": "2024-03-21", "stage": "not_contacted" } })),
        ("already_contacted".into(), Some("$.action.stage".into()))
    );
    assert_eq!(
        b.err("2024-03-21", json!({ "command": "outreach", "case": "c-o", "action": { "type": "set_stage", "on": "2024-03-19", "stage": "support_accepted" } })),
        ("date_out_of_order".into(), Some("$.action.on".into()))
    );
    assert_eq!(
        b.err("2024-03-21", json!({ "command": "outreach", "case": "c-o", "action": { "type": "set_stage", "on": "2024-03-21", "stage": "contacted" } })),
        ("stage_unchanged".into(), Some("$.action.stage".into()))
    );
    assert_eq!(
        b.err("2024-03-21", attempt("a4", "2024-03-21", "met", None)),
        ("already_exists".into(), Some("$.action.attempt.id".into()))
    );
    // Kept connected without a plan (つながり続ける支援).
    b.ok("2024-03-25", json!({ "command": "outreach", "case": "c-o", "action": { "type": "keep_connected", "on": "2024-03-25" } }));
    assert_eq!(
        b.err("2024-03-26", json!({ "command": "outreach", "case": "c-o", "action": { "type": "keep_connected", "on": "2024-03-26" } })),
        ("already_kept_connected".into(), None)
    );
    b.ok("2024-05-10", json!({ "command": "outreach", "case": "c-o", "action": { "type": "stop_keeping_connected", "on": "2024-05-10" } }));
    assert_eq!(
        b.err("2024-05-11", json!({ "command": "outreach", "case": "c-o", "action": { "type": "stop_keeping_connected", "on": "2024-05-11" } })),
        ("not_kept_connected".into(), None)
    );
    let track = b.reg.case_record().outreach(&"c-o".into()).unwrap();
    assert_eq!(track.attempts.len(), 4);
    assert_eq!(track.reached_on, Some(d("2024-02-10")));
    assert_eq!(track.kept.len(), 1);

    // The annual report of 令和5年度 (2023) counts the attempts, the person reached, the stage
    // reached and the case kept connected; 令和6年度 only the case kept connected.
    let fy = tsunagu::calendar::FiscalYear::new(2023).unwrap();
    let settings = tsunagu::stats::ReportSettings::default();
    let r = tsunagu::stats::annual_report(&b.events, fy, &settings).unwrap();
    assert_eq!(r.record.outreach_attempts, 4);
    assert_eq!(
        tsunagu::stats::AnnualReport::count(&r.record.attempts_by_outcome, "not_home"),
        1
    );
    assert_eq!(r.record.persons_reached, 1);
    assert_eq!(
        tsunagu::stats::AnnualReport::count(&r.record.cases_by_stage, "relationship_building"),
        1
    );
    assert_eq!(r.record.kept_connected, 1);
    let ledger = tsunagu::stats::Ledger::from_events(&b.events);
    assert_eq!(ledger.annual_report(fy, &settings).unwrap(), r);
    let next = tsunagu::stats::annual_report(
        &b.events,
        tsunagu::calendar::FiscalYear::new(2024).unwrap(),
        &settings,
    )
    .unwrap();
    assert_eq!(
        (next.record.outreach_attempts, next.record.kept_connected),
        (0, 1)
    );
    b.assert_replays();
}
