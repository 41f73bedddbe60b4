//! Meetings that bind disclosure and decisions that drive the plan (issue 18 items 2 and 4),
//! Y-san's scenario (DOMAIN.md §8): her intake form, her 支援会議 with three attendees who
//! pledged confidentiality (the disclosure to them logged), the 支援決定, her consent, the
//! 重層的支援会議, the plan from the decision, its tasks on the worklist, and a monitoring that
//! closes the case with an evaluation. Each refusal is typed and changes nothing (the harness
//! checks the registry byte for byte), and the accepted events replay to the same registry.

use serde_json::{json, Value};
use tsunagu::forms::{FormSet, Submission};
use tsunagu::registry::Receipt;
use tsunagu::worklist::WorklistQuery;

mod common;
use common::{d, Book};

fn designate(b: &mut Book, agency: &str, ty: &str, role: &str) {
    b.ok(
        "2023-04-01",
        json!({ "command": "designate_convener", "designation": {
            "agency": agency, "meeting_type": ty, "role": role, "from": "2023-04-01",
            "basis": "仙台市重層的支援体制整備事業実施要綱第5条" } }),
    );
}

fn attendee(agency: &str, pledged: Option<&str>) -> Value {
    match pledged {
        Some(on) => json!({ "agency": agency, "pledge": { "signed_on": on } }),
        None => json!({ "agency": agency }),
    }
}

/// Y-san's 支援会議 of 2023-11-20: three attendees, her case on the agenda, the 支援決定.
fn support_meeting(id: &str, pledge_of_third: Option<&str>) -> Value {
    json!({ "command": "record_meeting", "meeting": {
        "id": id, "meeting_type": "support_meeting", "date": "2023-11-20",
        "convener": { "agency": "city-hall", "role": "municipality" },
        "attendees": [
            attendee("sendai-council", Some("2023-11-20")),
            attendee("aoba-ward-office", Some("2023-11-20")),
            attendee("aoba-self-reliance", pledge_of_third),
        ],
        "agenda": [ { "case": "case-y", "topic": "支援の要否と役割分担" } ],
        "minutes": "家計の立て直しを優先し、保護の申請と就労の相談を並行する。",
        "decisions": [ { "case": "case-y", "outcome": {
            "support": "needed", "project": "comprehensive_consultation",
            "roles": [
                { "agency": "aoba-ward-office", "task": "生活保護の申請相談", "due": "2023-11-30" },
                { "agency": "aoba-self-reliance", "task": "家計改善支援につなぐ", "due": "2023-12-10" }
            ],
            "next_review": "2024-01-15" } } ]
    } })
}

fn disclose(meeting: Option<&str>, ty: &str, on: &str) -> Value {
    let mut c = json!({ "command": "disclose", "provider": "sendai-council",
        "shown": ["identity", "household", "finances"],
        "request": { "case": "case-y", "person": "y-mother", "purpose": "support_coordination",
            "on": on, "audience": { "type": "meeting", "meeting_type": ty,
                "participants_acknowledged": false } } });
    if let Some(m) = meeting {
        c["meeting"] = json!(m);
    }
    c
}

fn intake(b: &mut Book) {
    let submission: Submission = serde_json::from_value(json!({
        "form": "intake", "record": "form-y-intake", "case": "case-y", "household": "h-y",
        "values": { "received_on": "令和5年11月16日", "receiving_window": "sendai-council",
            "channel": "walk_in", "consulter_relation": "self",
            "subject": { "id": "y-mother", "name": "Yさん", "relation": "head", "approx_age": 45 },
            "household_members": [
                { "member": { "id": "y-son1", "name": "長男" }, "relation": "child", "birth_date": "H21.6.10" },
                { "member": { "id": "y-son2", "name": "次男" }, "relation": "child", "birth_date": "H25.9.2" } ],
            "consultation_items": { "selected": ["income_living_costs", "child_rearing", "job_search"],
                "main": "income_living_costs" },
            "chief_complaint": "福祉資金の貸付を受けたい。次男の送迎で仕事が続かない。",
            "consent_to_share": false } }))
    .unwrap();
    let commands = FormSet::builtin()
        .submit(&submission, &b.reg, d("2023-11-16"))
        .unwrap_or_else(|e| panic!("{}: {e}", e.code()));
    for c in commands {
        b.ok("2023-11-16", serde_json::to_value(&c).unwrap());
    }
}

#[test]
fn y_san_from_intake_through_her_meetings_to_closure() {
    let mut b = Book::with_agencies("2023-04-01");
    // Before any designation, the city hall may not convene a meeting record.
    intake(&mut b);
    assert_eq!(b.state("case-y"), "intake");
    let (code, path) = b.err("2023-11-20", support_meeting("m-1", Some("2023-11-20")));
    assert_eq!(
        (code.as_str(), path.as_deref()),
        ("convener_not_designated", Some("$.meeting.convener"))
    );
    designate(&mut b, "city-hall", "support_meeting", "municipality");
    designate(
        &mut b,
        "city-hall",
        "multi_layered_support_meeting",
        "municipality",
    );
    // A designation in a role the type does not allow, and the same one twice, are refused.
    let (code, _) = b.err("2023-04-01", json!({ "command": "designate_convener", "designation": {
        "agency": "sendai-council", "meeting_type": "support_meeting", "role": "multi_agency_operator",
        "from": "2023-04-01", "basis": "要綱" } }));
    assert_eq!(code, "not_allowed_to_convene");
    let (code, _) = b.err(
        "2023-04-01",
        json!({ "command": "designate_convener", "designation": {
        "agency": "city-hall", "meeting_type": "support_meeting", "role": "municipality",
        "from": "2023-04-01", "basis": "要綱" } }),
    );
    assert_eq!(code, "already_exists");
    // A convener named in a role other than its designation's is not designated.
    let mut wrong_role = support_meeting("m-1", Some("2023-11-20"));
    wrong_role["meeting"]["convener"]["role"] = json!("any_agency");
    assert_eq!(b.err("2023-11-20", wrong_role).0, "convener_not_designated");

    // Her 支援会議: the third attendee has not pledged yet.
    b.ok("2023-11-20", support_meeting("m-1", None));
    let (code, path) = b.err(
        "2023-11-20",
        disclose(Some("m-1"), "support_meeting", "2023-11-20"),
    );
    assert_eq!(
        (code.as_str(), path.as_deref()),
        ("attendee_without_pledge", Some("$.meeting"))
    );
    // The caller's assertion no longer counts once the register is in force.
    let (code, path) = b.err(
        "2023-11-20",
        disclose(None, "support_meeting", "2023-11-20"),
    );
    assert_eq!(
        (code.as_str(), path.as_deref()),
        ("meeting_record_required", Some("$.meeting"))
    );
    // A pledge after the meeting is refused; one signed at the meeting is recorded.
    let pledge = |on: &str| {
        json!({ "command": "record_pledge", "meeting": "m-1",
        "agency": "aoba-self-reliance", "pledge": { "signed_on": on, "document": "誓約書 5-112" } })
    };
    assert_eq!(
        b.err("2023-11-21", pledge("2023-11-21")).0,
        "pledge_after_meeting"
    );
    b.ok("2023-11-21", pledge("2023-11-20"));
    assert_eq!(
        b.err("2023-11-21", pledge("2023-11-20")).0,
        "already_exists"
    );
    // Now the disclosure goes to the three attendees, under 社会福祉法第106条の6, without consent.
    let r = b.ok(
        "2023-11-21",
        disclose(Some("m-1"), "support_meeting", "2023-11-20"),
    );
    let Receipt::Disclosed {
        record: Some(record),
        ..
    } = r
    else {
        panic!("{r:?}")
    };
    assert_eq!(record.meeting.as_ref().map(|m| m.as_str()), Some("m-1"));
    let recipients: Vec<&str> = record
        .recipients
        .iter()
        .map(|r| r.agency.as_str())
        .collect();
    assert_eq!(
        recipients,
        ["sendai-council", "aoba-ward-office", "aoba-self-reliance"]
    );
    assert!(record
        .grants
        .iter()
        .all(|g| matches!(g.basis, tsunagu::disclosure::Basis::Statute(_))));
    let log = tsunagu::disclosure::access_log(b.reg.provisions(), &"y-mother".into());
    assert_eq!(log.len(), 1);
    // Not before the meeting was held.
    assert_eq!(
        b.err(
            "2023-11-21",
            disclose(Some("m-1"), "support_meeting", "2023-11-19")
        )
        .0,
        "meeting_not_held"
    );

    // The 重層的支援会議 may not list her case before she consents.
    let ml = |id: &str, date: &str| {
        json!({ "command": "record_meeting", "meeting": {
        "id": id, "meeting_type": "multi_layered_support_meeting", "date": date,
        "convener": { "agency": "city-hall", "role": "municipality" },
        "attendees": [ attendee("sendai-council", Some(date)), attendee("aoba-houkatsu", Some(date)),
                       attendee("hello-work", Some(date)) ],
        "agenda": [ { "case": "case-y", "topic": "支援プランの協議" } ] } })
    };
    let (code, path) = b.err("2023-11-22", ml("m-2", "2023-11-22"));
    assert_eq!(
        (code.as_str(), path.as_deref()),
        (
            "agenda_case_without_consent",
            Some("$.meeting.agenda[0].case")
        )
    );
    b.ok("2023-11-25", json!({ "command": "consent", "action": { "command": "give", "id": "c-y-1",
        "on": "2023-11-25", "terms": { "person": "y-mother", "scope": ["identity", "household", "finances"],
        "recipients": [ { "meeting_type": "multi_layered_support_meeting" } ],
        "legal_basis": "個人情報の保護に関する法律第27条第1項（本人の同意）", "method": "written",
        "obtained_by": "sendai-council" } } }));
    b.ok("2023-12-01", ml("m-2", "2023-12-01"));
    let r = b.ok(
        "2023-12-01",
        disclose(Some("m-2"), "multi_layered_support_meeting", "2023-12-01"),
    );
    let Receipt::Disclosed {
        record: Some(record),
        ..
    } = r
    else {
        panic!("{r:?}")
    };
    assert!(record
        .grants
        .iter()
        .all(|g| matches!(g.basis, tsunagu::disclosure::Basis::Consent(_))));
    assert_eq!(record.recipients.len(), 3);

    // The case moves on; the plan comes from the 支援会議's decision.
    b.case(
        "2023-11-21",
        "case-y",
        json!({ "action": "begin_assessment" }),
    );
    b.case(
        "2023-11-28",
        "case-y",
        json!({ "action": "record_assessment", "assessment": {
        "on": "2023-11-28", "wishes": "子どもと安定して暮らしたい", "urgency": "high" } }),
    );
    b.case(
        "2023-11-28",
        "case-y",
        json!({ "action": "decide", "outcome": "continuing_support" }),
    );
    let plan = |created: &str| {
        json!({ "command": "plan_from_decision", "meeting": "m-1", "plan": {
        "id": "p-y", "case": "case-y", "version": 1, "created_on": created,
        "chief_complaint": "福祉資金の貸付を受けたい", "wishes": "子どもと安定して暮らしたい",
        "policy": "家計の立て直しを優先する", "approaches": ["problem_solving"],
        "short_term_goals": [ { "id": "st1", "text": "家計の見通しが立つ" } ],
        "monitoring": { "first_on": "2023-12-31", "interval_days": 90 } } })
    };
    assert_eq!(
        b.err("2023-11-28", plan("2023-11-19")).0,
        "date_before_meeting"
    );
    let mut other = plan("2023-11-28");
    other["meeting"] = json!("m-2");
    assert_eq!(b.err("2023-11-28", other).0, "no_support_decided");
    b.ok("2023-11-28", plan("2023-11-28"));
    let p = b.reg.plan(&"p-y".into()).unwrap().current().clone();
    assert_eq!(p.actions.len(), 2);
    assert_eq!(p.actions[0].id.as_str(), "m-1-1");
    assert_eq!(p.actions[0].due_on, Some(d("2023-11-30")));
    assert_eq!(
        p.monitoring.first_on,
        d("2024-01-15"),
        "the next review is the first monitoring"
    );
    b.ok(
        "2023-11-28",
        json!({ "command": "consent_to_plan", "plan": "p-y",
        "consent": { "on": "2023-11-28", "method": "signature" } }),
    );
    b.case(
        "2023-11-28",
        "case-y",
        json!({ "action": "adopt_plan", "plan": "p-y" }),
    );

    // The roles are tasks on the ward office's worklist, due on the decided dates.
    let list = b.reg.worklist(&WorklistQuery {
        on: d("2023-11-29"),
        agency: Some("aoba-ward-office".into()),
        case: None,
        worker: None,
        horizon_days: 7,
    });
    let due: Vec<_> = list
        .due_this_week
        .iter()
        .map(|e| (e.task.kind.code(), Some(e.task.due_on)))
        .collect();
    assert!(
        due.contains(&("plan_action", Some(d("2023-11-30")))),
        "{list:?}"
    );

    // A monitoring closes her case with an evaluation.
    let r = b.ok("2024-01-15", json!({ "command": "record_monitoring", "plan": "p-y", "record": {
        "on": "2024-01-15", "by": "csw-sato", "progress": [ { "goal": "st1", "progress": "achieved" } ],
        "decision": "close", "closure": { "case": "case-y", "reason": "resolved", "evaluation": {
            "goals_met": "met", "person_view": "保護が決まり、家計の見通しが立った。" } } } }));
    assert!(matches!(r, Receipt::CaseTransition { .. }), "{r:?}");
    assert_eq!(b.state("case-y"), "closed");
    b.assert_replays();
}

#[test]
fn old_disclosures_to_a_meeting_type_replay_without_a_register() {
    // A journal older than meeting records: a disclosure to 支援会議 with the caller's
    // acknowledgement and no designation anywhere still executes and replays.
    let fixture = include_str!("../../tests/fixtures/journal_meeting_type_disclosure.jsonl");
    let events: Vec<tsunagu::registry::Event> = fixture
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let reg = tsunagu::registry::Registry::replay(&events).expect("old journal replays");
    assert_eq!(reg.provisions().len(), 1);
    assert!(reg.provisions()[0].recipients.is_empty());
    assert!(reg.provisions()[0].meeting.is_none());
}

fn y_case(b: &mut Book) {
    let h: Value = serde_json::from_str(common::Y_SAN).unwrap();
    b.ok(
        "2023-06-05",
        json!({ "command": "register_household", "household": h }),
    );
    b.ok(
        "2023-06-05",
        json!({ "command": "open_case", "case": "c-y", "household": "h-y",
        "subject": "y-mother", "responsible_window": "sendai-council",
        "intake": { "channel": "walk_in", "receiving_window": "sendai-council",
            "chief_complaint": "生活福祉資金を借りたい", "on": "2023-06-05" } }),
    );
}

#[test]
fn a_referral_is_sent_only_with_consent_or_a_legal_basis_and_leaves_a_provision_record() {
    let mut b = Book::with_agencies("2023-04-01");
    y_case(&mut b);
    designate(&mut b, "city-hall", "support_meeting", "municipality");
    b.ok(
        "2023-06-06",
        json!({ "command": "propose_referral", "proposal": { "id": "r-y",
        "case": "c-y", "household": "h-y", "from": "sendai-council", "to": "aoba-ward-office",
        "purpose": "生活保護の申請相談", "on": "2023-06-06" } }),
    );
    let send = json!({ "command": "referral", "referral": "r-y", "actor": "sendai-council",
        "action": { "action": "send", "on": "2023-06-07" } });
    let (code, path) = b.err("2023-06-07", send.clone());
    assert_eq!(
        (code.as_str(), path.as_deref()),
        ("referral_without_basis", Some("$.referral"))
    );
    // A consent to the 重層的支援会議 does not cover a single agency.
    b.ok("2023-06-06", json!({ "command": "consent", "action": { "command": "give", "id": "c-ml",
        "on": "2023-06-06", "terms": { "person": "y-mother", "scope": ["identity", "finances"],
        "recipients": [ { "meeting_type": "multi_layered_support_meeting" } ],
        "legal_basis": "個人情報の保護に関する法律第27条第1項（本人の同意）", "method": "written" } } }));
    let share = |basis: Value, shared: Value| {
        json!({ "command": "share_referral_info",
        "referral": "r-y", "basis": basis, "shared": shared, "on": "2023-06-07" })
    };
    let (code, path) = b.err(
        "2023-06-07",
        share(
            json!({ "type": "consent", "consent": "c-ml" }),
            json!(["identity"]),
        ),
    );
    assert_eq!(
        (code.as_str(), path.as_deref()),
        ("referral_consent_invalid", Some("$.basis.consent"))
    );
    // A consent naming the ward office but not covering finances refuses a sheet with finances.
    b.ok("2023-06-06", json!({ "command": "consent", "action": { "command": "give", "id": "c-ward",
        "on": "2023-06-06", "terms": { "person": "y-mother", "scope": ["identity", "household"],
        "recipients": [ { "agency": "aoba-ward-office" } ],
        "legal_basis": "個人情報の保護に関する法律第27条第1項（本人の同意）", "method": "written" } } }));
    let (code, _) = b.err(
        "2023-06-07",
        share(
            json!({ "type": "consent", "consent": "c-ward" }),
            json!(["identity", "finances"]),
        ),
    );
    assert_eq!(code, "referral_consent_invalid");
    let (code, path) = b.err(
        "2023-06-07",
        share(
            json!({ "type": "law", "provision": " " }),
            json!(["identity"]),
        ),
    );
    assert_eq!(
        (code.as_str(), path.as_deref()),
        ("empty_text", Some("$.basis.provision"))
    );
    assert!(b.reg.provisions().is_empty());
    b.ok(
        "2023-06-07",
        share(
            json!({ "type": "consent", "consent": "c-ward" }),
            json!(["identity", "household"]),
        ),
    );
    let p = &b.reg.provisions()[0];
    assert_eq!(p.provider.as_str(), "sendai-council");
    assert_eq!(p.categories().len(), 2);
    assert!(
        matches!(&p.grants[0].basis, tsunagu::disclosure::Basis::Consent(c) if c.as_str() == "c-ward")
    );
    assert_eq!(
        b.err(
            "2023-06-07",
            share(
                json!({ "type": "law", "provision": "法第27条第1項第2号" }),
                json!(["identity"])
            )
        )
        .0,
        "already_exists"
    );
    b.ok("2023-06-07", send);
    b.assert_replays();
}

#[test]
fn a_referral_on_a_legal_basis_and_referrals_before_the_register() {
    // Before any designation a referral sends as it always did (older journals replay).
    let mut b = Book::with_agencies("2023-04-01");
    y_case(&mut b);
    let propose = |id: &str| {
        json!({ "command": "propose_referral", "proposal": { "id": id,
        "case": "c-y", "household": "h-y", "from": "sendai-council", "to": "dv-center",
        "purpose": "安全確保の相談", "on": "2023-06-06" } })
    };
    let send = |id: &str| {
        json!({ "command": "referral", "referral": id, "actor": "sendai-council",
        "action": { "action": "send", "on": "2023-06-06" } })
    };
    b.ok("2023-06-06", propose("r-1"));
    b.ok("2023-06-06", send("r-1"));
    designate(&mut b, "city-hall", "support_meeting", "municipality");
    b.ok("2023-06-06", propose("r-2"));
    b.ok(
        "2023-06-06",
        json!({ "command": "share_referral_info", "referral": "r-2",
        "basis": { "type": "law", "provision": "個人情報の保護に関する法律第27条第1項第2号" },
        "shared": ["identity", "legal_criminal"], "on": "2023-06-06" }),
    );
    let p = b.reg.provisions().last().unwrap();
    assert!(
        matches!(&p.grants[1].basis, tsunagu::disclosure::Basis::Statute(t) if t.contains("第2号"))
    );
    b.ok("2023-06-06", send("r-2"));
    // A referral already sent is not shared afterwards.
    let (code, _) = b.err("2023-06-06", json!({ "command": "share_referral_info", "referral": "r-1",
        "basis": { "type": "law", "provision": "法" }, "shared": ["identity"], "on": "2023-06-06" }));
    assert_eq!(code, "illegal_referral_transition");
    b.assert_replays();
}

fn give(id: &str, person: &str, on: &str, extra: Value) -> Value {
    let mut terms = json!({ "person": person, "scope": ["identity", "household", "health_disability"],
        "recipients": [ { "meeting_type": "multi_layered_support_meeting" } ],
        "legal_basis": "個人情報の保護に関する法律第27条第1項（本人の同意）", "method": "written" });
    for (k, v) in extra.as_object().unwrap() {
        terms[k] = v.clone();
    }
    json!({ "command": "consent", "action": { "command": "give", "id": id, "on": on, "terms": terms } })
}

#[test]
fn consent_by_a_representative_a_minor_with_a_parent_and_each_member_for_their_own() {
    let mut b = Book::with_agencies("2023-04-01");
    y_case(&mut b);
    designate(&mut b, "city-hall", "support_meeting", "municipality");
    // Her elder son (14) consents for his own information: not alone, with his mother's consent.
    let (code, path) = b.err(
        "2023-11-25",
        give("c-son", "y-son1", "2023-11-25", json!({})),
    );
    assert_eq!(
        (code.as_str(), path.as_deref()),
        (
            "minor_without_parent_consent",
            Some("$.action.terms.parent")
        )
    );
    b.ok(
        "2023-11-25",
        give(
            "c-son",
            "y-son1",
            "2023-11-25",
            json!({ "parent": { "person": "y-mother", "method": "written" } }),
        ),
    );
    // The younger son's consent given by his mother as 親権者.
    b.ok("2023-11-25", give("c-son2", "y-son2", "2023-11-25",
        json!({ "given_by": { "standing": "parent", "person": "y-mother", "basis": "親権（民法第818条）" } })));
    let track = |b: &Book, p: &str| {
        tsunagu::consent::meeting_track(
            b.reg.consents(),
            &p.into(),
            d("2023-11-26"),
            b.reg.meeting_types(),
        )
    };
    // Each member consents for their own information: the sons' consents leave their mother on
    // the 支援会議 track until she (or her representative) consents.
    assert_eq!(
        track(&b, "y-mother"),
        tsunagu::consent::MeetingTrack::SupportMeeting
    );
    // A representative without the basis of the authority, and a parent for an adult, refused.
    let (code, path) = b.err(
        "2023-11-25",
        give(
            "c-m",
            "y-mother",
            "2023-11-25",
            json!({ "given_by": { "standing": "guardian", "basis": " " } }),
        ),
    );
    assert_eq!(
        (code.as_str(), path.as_deref()),
        ("proxy_without_basis", Some("$.action.terms.given_by.basis"))
    );
    assert_eq!(
        b.err(
            "2023-11-25",
            give(
                "c-m",
                "y-mother",
                "2023-11-25",
                json!({ "given_by": { "standing": "parent", "basis": "親権" } })
            )
        )
        .0,
        "parent_of_adult"
    );
    // A guardian's consent with the court's ruling is recorded with its giver.
    b.ok("2023-11-25", give("c-m", "y-mother", "2023-11-25",
        json!({ "given_by": { "standing": "guardian", "basis": "後見開始の審判 令和5年(家)第123号" } })));
    let rec = b
        .reg
        .consents()
        .iter()
        .find(|c| c.id.as_str() == "c-m")
        .unwrap();
    assert_eq!(
        rec.given_by.as_ref().unwrap().standing,
        tsunagu::consent::Representative::Guardian
    );
    // Each member's consent covers their own information only.
    assert_eq!(
        track(&b, "y-son1"),
        tsunagu::consent::MeetingTrack::MultiLayered
    );
    assert_eq!(
        track(&b, "y-mother"),
        tsunagu::consent::MeetingTrack::MultiLayered
    );
    b.assert_replays();
}

#[test]
fn the_old_meeting_form_is_refused_once_the_register_is_in_force() {
    let mut b = Book::with_agencies("2023-04-01");
    y_case(&mut b);
    let hold = |id: &str| {
        json!({ "command": "hold_meeting", "meeting": { "id": id,
        "meeting_type": "support_meeting", "date": "2023-06-10",
        "convener": { "agency": "city-hall", "role": "municipality" },
        "participants": [ { "agency": "sendai-council", "acknowledged_confidentiality": true } ],
        "cases": ["c-y"] } })
    };
    b.ok("2023-06-10", hold("old-1"));
    designate(&mut b, "city-hall", "support_meeting", "municipality");
    let (code, path) = b.err("2023-06-10", hold("old-2"));
    assert_eq!(
        (code.as_str(), path.as_deref()),
        ("meeting_record_required", Some("$.meeting"))
    );
    b.assert_replays();
}
