//! Tests of forms: the built-in sheets, definition problems, municipal extensions, submissions
//! and what they produce, Y-san's case from intake to closure, and the workbook read back.

use super::*;
use crate::registry::{CaseBook, Command, Registry};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{json, Value};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn now() -> DateTime<Utc> {
    "2023-11-16T09:00:00Z".parse().unwrap()
}

fn submission(v: Value) -> Submission {
    serde_json::from_value(v).unwrap()
}

fn codes(e: &crate::Error) -> Vec<(String, String)> {
    match e {
        crate::Error::Forms(f) => f
            .problems()
            .iter()
            .map(|p| (p.code.clone(), p.path.clone()))
            .collect(),
        other => panic!("not a form error: {other:?}"),
    }
}

fn form_codes(e: &FormError) -> Vec<(String, String)> {
    e.problems()
        .iter()
        .map(|p| (p.code.clone(), p.path.clone()))
        .collect()
}

fn has(problems: &[(String, String)], code: &str, path: &str) -> bool {
    problems.iter().any(|(c, p)| c == code && p == path)
}

/// A book with the council (Y-san's CSW) in the directory.
fn book() -> CaseBook {
    let mut book = CaseBook::in_memory("tablet-1").unwrap();
    let agency: Command = serde_json::from_value(json!({
        "command": "register_agency",
        "agency": {
            "id": "sendai-council", "name": "仙台市社会福祉協議会", "kind": "social_welfare_council",
            "projects": ["comprehensive_consultation", "multi_agency"], "serves": {"any_issue": true}
        }
    }))
    .unwrap();
    book.execute(agency, d("2023-04-01"), now()).unwrap();
    book
}

/// Y-san's intake (DOMAIN.md §8): 相談者 = 本人 = Y-san, ◎ 収入・生活費, two sons.
fn y_intake() -> Submission {
    submission(json!({
        "form": "intake", "record": "form-y-intake", "case": "case-y", "household": "h-y",
        "values": {
            "received_on": "令和5年11月16日",
            "receiving_window": "sendai-council",
            "channel": "walk_in",
            "consulter_relation": "self",
            "subject": {"id": "y-mother", "name": "Yさん", "relation": "head", "approx_age": 45},
            "household_members": [
                {"member": {"id": "y-son1", "name": "長男"}, "relation": "child"},
                {"member": {"id": "y-son2", "name": "次男"}, "relation": "child", "birth_date": "H27.6.1"}
            ],
            "consultation_items": {
                "selected": ["income_living_costs", "child_rearing", "job_search"],
                "main": "income_living_costs"
            },
            "chief_complaint": "福祉資金の貸付を受けたい。次男の送迎で仕事が続かない。",
            "previous_consultations": "区役所、学校、ハローワーク",
            "consent_to_share": true,
            "consent_method": "written"
        }
    }))
}

fn y_plan() -> Submission {
    submission(json!({
        "form": "plan", "record": "form-y-plan-1", "case": "case-y", "plan": "plan-y",
        "values": {
            "created_on": "2023-11-24", "period_from": "2023-12-01", "period_to": "令和6年5月31日",
            "chief_complaint": "生活費が足りない", "wishes": "安定して働きたい",
            "policy": "生活保護の申請に同行し、親の会につなぐ",
            "approaches": ["problem_solving", "staying_connected"],
            "short_term_goals": [
                {"text": "生活保護を申請する", "target_date": "2023-12-15"},
                {"goal_id": "belong", "text": "親の会に参加する"}
            ],
            "roles": [
                {"description": "申請に同行", "party": "agency", "agency": "sendai-council"},
                {"description": "親の会に参加", "party": "person", "person": "y-mother"},
                {"description": "見守り", "party": "informal", "informal_kind": "welfare_commissioner", "informal_label": "民生委員"}
            ],
            "next_monitoring_on": "2024-01-10", "monitoring_interval_days": 30,
            "consent_on": "2023-11-24", "consent_method": "signature"
        }
    }))
}

fn y_assessment() -> Submission {
    submission(json!({
        "form": "assessment", "record": "form-y-assessment", "case": "case-y",
        "values": {
            "assessed_on": "2023-11-20",
            "life_history": "離婚（DV）後、二人の子と転居。",
            "issues": [
                {"issue": "income_living_costs", "member": "y-mother", "status": "current"},
                {"issue": "dv", "member": "y-mother", "status": "past", "onset": "平成30年"},
                {"issue": "developmental_concern", "member": "y-son2", "status": "current"},
                {"issue": "social_isolation", "status": "suspected"}
            ],
            "strengths": "子どもを大切にしている\n車の運転ができる",
            "wishes": "安定して働きたい",
            "worker_view": "生活保護の申請を支援し、居場所につなぐ。",
            "urgency": "high"
        }
    }))
}

#[test]
fn builtin_forms_are_valid_and_the_intake_lists_the_sixteen_items() {
    let set = FormSet::builtin();
    let ids: Vec<&str> = set.forms().iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["intake", "assessment", "plan", "evaluation"]);
    FormSet::new(set.forms().to_vec()).unwrap();
    let intake = set.form(&"intake".into()).unwrap();
    let FieldType::MultiChoice { choices, main } =
        &intake.field("consultation_items").unwrap().field_type
    else {
        panic!("consultation_items is a multi-choice");
    };
    assert!(main, "the ◎ main concern is allowed");
    let tax = crate::taxonomy::Taxonomies::builtin();
    let options = choice_options(choices, &tax);
    let items: std::collections::BTreeSet<u8> = options
        .iter()
        .filter_map(|(c, _)| tax.issue(&c.as_str().into()).unwrap().intake_form_item)
        .collect();
    assert_eq!(items, (1..=16).collect());
    assert!(
        options.iter().all(|(c, _)| c != "dementia"),
        "only the form's items"
    );
}

#[test]
fn every_definition_problem_is_reported_at_once_with_its_path() {
    let mut intake = FormSet::builtin().form(&"intake".into()).unwrap().clone();
    intake.sections[0]
        .fields
        .retain(|f| f.id.as_str() != "channel");
    intake.sections[1].fields[0].id = "Bad Id".into();
    let dup = intake.sections[1].fields[1].clone();
    intake.sections[1].fields.push(dup);
    intake.sections[2].label.ja = " ".into();
    if let FieldType::Choice {
        choices: Choices::Listed { options },
    } = &mut intake.sections[0].fields[4].field_type
    {
        let again = options[0].clone();
        options.push(again);
    }
    let e = FormSet::check_definition(&intake).unwrap_err();
    assert_eq!(crate::Coded::code(&e), "invalid_form_definition");
    let p = form_codes(&e);
    assert!(has(&p, "invalid_id", "$.sections[1].fields[0].id"), "{p:?}");
    assert!(
        has(&p, "duplicate_id", "$.sections[1].fields[4].id"),
        "{p:?}"
    );
    assert!(has(&p, "empty_label", "$.sections[2].label"), "{p:?}");
    assert!(
        has(
            &p,
            "duplicate_choice",
            "$.sections[0].fields[4].type.choices.options[6].code"
        ),
        "{p:?}"
    );
    assert!(p.iter().any(|(c, _)| c == "missing_binding_field"), "{p:?}");
    // The renamed consulter_relation is a missing binding field too.
    assert!(
        p.iter()
            .filter(|(c, _)| c == "missing_binding_field")
            .count()
            >= 2,
        "{p:?}"
    );
}

#[test]
fn a_binding_field_of_the_wrong_type_or_not_required_is_refused() {
    let mut plan = FormSet::builtin().form(&"plan".into()).unwrap().clone();
    plan.sections[0].fields[0].field_type = FieldType::Text;
    plan.sections[1].fields[2].required = false;
    let p = form_codes(&FormSet::check_definition(&plan).unwrap_err());
    assert!(
        has(&p, "wrong_binding_type", "$.sections[0].fields[0].type"),
        "{p:?}"
    );
    assert!(
        has(
            &p,
            "binding_not_required",
            "$.sections[1].fields[2].required"
        ),
        "{p:?}"
    );
}

#[test]
fn a_municipality_extends_a_national_form_and_adds_its_own() {
    let mut set = FormSet::builtin();
    set.extend_json(
        &json!({
            "fields": [{"form": "intake", "section": "subject", "field": {
                "id": "my_number_card", "label": {"ja": "マイナンバーカードの有無", "en": "Has a My Number card"},
                "type": {"kind": "boolean"}
            }}],
            "choices": [{"form": "intake", "field": "consulter_relation", "options": [
                {"code": "school", "label": {"ja": "学校", "en": "School"}}
            ]}],
            "forms": [{"id": "sendai_tsunagaru_sheet", "kind": "custom",
                "title": {"ja": "つながるシート", "en": "Tsunagaru sheet"},
                "sections": [{"id": "main", "label": {"ja": "記録", "en": "Record"}, "fields": [
                    {"id": "met_on", "label": {"ja": "面談日", "en": "Met on"}, "type": {"kind": "date", "era": true}, "required": true},
                    {"id": "note", "label": {"ja": "内容", "en": "Note"}, "type": {"kind": "long_text"}}
                ]}]}]
        })
        .to_string(),
    )
    .unwrap();
    assert_eq!(set.forms().len(), 5);
    let intake = set.form(&"intake".into()).unwrap();
    assert!(intake.field("my_number_card").is_some());
    let mut sub = y_intake();
    sub.values
        .insert("consulter_relation".into(), json!("school"));
    sub.values.insert("my_number_card".into(), json!(true));
    let tax = crate::taxonomy::Taxonomies::builtin();
    let record = set.validate(&sub, &tax, d("2023-11-16")).unwrap();
    assert_eq!(
        record.values[&FieldId::from("consulter_relation")],
        json!("school")
    );
    // The national form alone does not know the choice.
    let e = FormSet::builtin()
        .validate(&sub, &tax, d("2023-11-16"))
        .unwrap_err();
    let p = form_codes(&e);
    assert!(
        has(&p, "unknown_choice", "$.values.consulter_relation"),
        "{p:?}"
    );
    assert!(has(&p, "unknown_field", "$.values.my_number_card"), "{p:?}");
    // Its own form is kept as a record only, dated by its date field.
    let own = submission(json!({"form": "sendai_tsunagaru_sheet", "record": "f1",
        "values": {"met_on": "R5.11.20", "note": "同行支援"}}));
    let commands = set.submit(&own, &Registry::new(), d("2023-11-21")).unwrap();
    assert_eq!(commands.len(), 1);
    let Command::RecordForm(r) = &commands[0] else {
        panic!("a record")
    };
    assert_eq!(r.record.on, d("2023-11-20"));
}

#[test]
fn a_bad_extension_reports_every_problem_and_changes_nothing() {
    let mut set = FormSet::builtin();
    let before = set.clone();
    let e = set
        .extend_json(
            &json!({
                "fields": [
                    {"form": "nope", "section": "x", "field": {"id": "a", "label": {"ja": "a", "en": "a"}, "type": {"kind": "text"}}},
                    {"form": "intake", "section": "nope", "field": {"id": "b", "label": {"ja": "b", "en": "b"}, "type": {"kind": "text"}}},
                    {"form": "intake", "section": "subject", "field": {"id": "subject", "label": {"ja": "c", "en": "c"}, "type": {"kind": "text"}}}
                ],
                "choices": [
                    {"form": "intake", "field": "channel", "options": [{"code": "fax", "label": {"ja": "FAX", "en": "Fax"}}]},
                    {"form": "intake", "field": "consulter_relation", "options": [{"code": "self", "label": {"ja": "本人", "en": "Self"}}]},
                    {"form": "assessment", "field": "issues.status", "options": [{"code": "resolved", "label": {"ja": "解決", "en": "Resolved"}}]}
                ]
            })
            .to_string(),
        )
        .unwrap_err();
    let p = form_codes(&e);
    assert!(has(&p, "unknown_form", "$.fields[0].form"), "{p:?}");
    assert!(has(&p, "unknown_section", "$.fields[1].section"), "{p:?}");
    assert!(has(&p, "duplicate_id", "$.fields[2].field.id"), "{p:?}");
    assert!(has(&p, "not_listed_choices", "$.choices[0].field"), "{p:?}");
    assert!(
        has(&p, "duplicate_choice", "$.choices[1].options[0].code"),
        "{p:?}"
    );
    assert_eq!(p.len(), 5, "the group choice addition is fine: {p:?}");
    assert_eq!(set, before);
}

#[test]
fn every_missing_required_field_and_bad_value_is_reported_at_once() {
    let sub = submission(json!({
        "form": "intake", "record": "f", "case": "c", "household": "h",
        "values": {
            "received_on": "令和99年13月1日",
            "channel": "carrier_pigeon",
            "consultation_items": {"selected": ["debt", "debt", "dementia"], "main": "housing"},
            "subject": {"name": "名前だけ"},
            "consent_to_share": "yes",
            "household_members": [{"relation": "cousin"}],
            "colour": "blue"
        }
    }));
    let tax = crate::taxonomy::Taxonomies::builtin();
    let e = FormSet::builtin()
        .validate(&sub, &tax, d("2023-11-16"))
        .unwrap_err();
    assert_eq!(crate::Coded::code(&e), "invalid_submission");
    let p = form_codes(&e);
    for (code, path) in [
        ("unknown_field", "$.values.colour"),
        ("invalid_date", "$.values.received_on"),
        ("missing_field", "$.values.receiving_window"),
        ("unknown_choice", "$.values.channel"),
        ("missing_field", "$.values.consulter_relation"),
        ("missing_field", "$.values.subject.id"),
        ("missing_field", "$.values.household_members[0].member"),
        ("unknown_choice", "$.values.household_members[0].relation"),
        (
            "duplicate_choice",
            "$.values.consultation_items.selected[1]",
        ),
        ("unknown_choice", "$.values.consultation_items.selected[2]"),
        ("main_not_selected", "$.values.consultation_items.main"),
        ("missing_field", "$.values.chief_complaint"),
        ("wrong_type", "$.values.consent_to_share"),
    ] {
        assert!(has(&p, code, path), "{code} at {path} in {p:?}");
    }
    assert_eq!(crate::Coded::path(&e).as_deref(), Some(p[0].1.as_str()));
}

#[test]
fn y_san_from_intake_to_closure_through_the_four_sheets() {
    let forms = FormSet::builtin();
    let mut book = book();
    let today = d("2023-11-16");

    // 相談受付・申込票 → household registered, case opened, consent given, form kept.
    let commands = forms.submit(&y_intake(), book.registry(), today).unwrap();
    let names: Vec<&str> = commands.iter().map(Command::name).collect();
    assert_eq!(
        names,
        ["register_household", "open_case", "consent", "record_form"]
    );
    book.execute_batch(commands, today, now()).unwrap();
    let reg = book.registry();
    let case = reg.case(&"case-y".into()).unwrap();
    assert_eq!(case.subject().as_str(), "y-mother");
    assert_eq!(case.opened_on(), today);
    let h = reg.household(&"h-y".into()).unwrap();
    assert_eq!(h.members.len(), 3);
    assert_eq!(h.members[0].issues[0].code.as_str(), "income_living_costs");
    assert_eq!(h.members[2].birth_date, Some(d("2015-06-01")));
    assert_eq!(reg.consents().len(), 1);
    let kept = reg.form_record(&"form-y-intake".into()).unwrap();
    assert_eq!(
        kept.values[&FieldId::from("previous_consultations")],
        json!("区役所、学校、ハローワーク")
    );
    assert_eq!(
        kept.values[&FieldId::from("consultation_items")]["main"],
        json!("income_living_costs")
    );

    // アセスメントシート: DV is past (record only); the son's developmental concern is current.
    let assessment = y_assessment();
    let tax = crate::taxonomy::Taxonomies::builtin();
    let e = forms.validate(&assessment, &tax, today).unwrap_err();
    assert!(has(
        &form_codes(&e),
        "invalid_date",
        "$.values.issues[1].onset"
    ));
    let mut assessment = assessment;
    assessment.values.get_mut("issues").unwrap()[1]["onset"] = json!("平成30年4月1日");
    let today = d("2023-11-20");
    let commands = forms.submit(&assessment, book.registry(), today).unwrap();
    let names: Vec<&str> = commands.iter().map(Command::name).collect();
    assert_eq!(names, ["case", "case", "update_household", "record_form"]);
    book.execute_batch(commands, today, now()).unwrap();
    let reg = book.registry();
    let a = reg.case(&"case-y".into()).unwrap().assessment().unwrap();
    assert_eq!(a.strengths.len(), 2);
    assert!(a
        .issues
        .iter()
        .all(|m| m.issues.iter().all(|i| i.as_str() != "dv")));
    let h = reg.household(&"h-y".into()).unwrap();
    assert!(h
        .issues
        .iter()
        .any(|i| i.code.as_str() == "social_isolation"));
    assert!(h.members[2]
        .issues
        .iter()
        .any(|i| i.code.as_str() == "developmental_concern"));

    // プラン(案) with the person's signature → plan v1, case adopts it.
    let plan = y_plan();
    let today = d("2023-11-24");
    let commands = forms.submit(&plan, book.registry(), today).unwrap();
    let names: Vec<&str> = commands.iter().map(Command::name).collect();
    assert_eq!(names, ["case", "create_plan", "case", "record_form"]);
    book.execute_batch(commands, today, now()).unwrap();
    let reg = book.registry();
    let p = reg.plan(&"plan-y".into()).unwrap().current();
    assert_eq!(p.short_term_goals[0].id.as_str(), "short_1");
    assert_eq!(p.actions.len(), 3);
    assert_eq!(
        reg.case(&"case-y".into()).unwrap().state().kind(),
        crate::case::CaseStateKind::Active
    );

    // 評価・終結: goals met, her own view, closed as resolved.
    let evaluation = submission(json!({
        "form": "evaluation", "record": "form-y-evaluation", "case": "case-y", "plan": "plan-y",
        "values": {
            "evaluated_on": "2024-01-10", "evaluator": "csw-1",
            "goals_met": [{"goal_id": "short_1", "progress": "achieved"}, {"goal_id": "belong", "progress": "achieved"}],
            "person_view": "話を聞いてもらえて安心した。",
            "decision": "close", "closure_reason": "resolved",
            "follow_up": "親の会で月1回様子を聞く", "follow_up_on": "2024-04-10"
        }
    }));
    let today = d("2024-01-10");
    let commands = forms.submit(&evaluation, book.registry(), today).unwrap();
    let names: Vec<&str> = commands.iter().map(Command::name).collect();
    assert_eq!(names, ["record_monitoring", "case", "record_form"]);
    book.execute_batch(commands, today, now()).unwrap();
    let reg = book.registry();
    assert_eq!(
        reg.case(&"case-y".into()).unwrap().state().kind(),
        crate::case::CaseStateKind::Closed
    );
    assert_eq!(reg.form_records_of_case(&"case-y".into()).len(), 4);
    // The whole journal replays to the same registry.
    let events = book.payloads().unwrap();
    assert_eq!(&Registry::replay(&events).unwrap(), book.registry());
}

#[test]
fn an_evaluation_that_replans_leads_to_the_plans_next_version() {
    let forms = FormSet::builtin();
    let mut book = book();
    let mut assessment = y_assessment();
    assessment.values.get_mut("issues").unwrap()[1]["onset"] = json!("平成30年4月1日");
    for (sub, on) in [
        (y_intake(), "2023-11-16"),
        (assessment, "2023-11-20"),
        (y_plan(), "2023-11-24"),
    ] {
        let today = d(on);
        book.execute_batch(
            forms.submit(&sub, book.registry(), today).unwrap(),
            today,
            now(),
        )
        .unwrap();
    }
    let evaluation = submission(json!({
        "form": "evaluation", "record": "form-y-evaluation-1", "case": "case-y", "plan": "plan-y",
        "values": {
            "evaluated_on": "2024-01-10", "evaluator": "csw-1",
            "goals_met": [{"goal_id": "short_1", "progress": "stalled"}],
            "person_view": "申請はまだ不安。", "decision": "replan"
        }
    }));
    let today = d("2024-01-10");
    let commands = forms.submit(&evaluation, book.registry(), today).unwrap();
    let names: Vec<&str> = commands.iter().map(Command::name).collect();
    assert_eq!(names, ["record_monitoring", "case", "case", "record_form"]);
    book.execute_batch(commands, today, now()).unwrap();
    assert_eq!(
        book.registry()
            .case(&"case-y".into())
            .unwrap()
            .state()
            .kind(),
        crate::case::CaseStateKind::Planning
    );
    let mut plan = y_plan();
    plan.record = "form-y-plan-2".into();
    for (k, v) in [
        ("created_on", "2024-01-12"),
        ("consent_on", "2024-01-12"),
        ("next_monitoring_on", "2024-02-12"),
    ] {
        plan.values.insert(k.into(), json!(v));
    }
    plan.values.insert(
        "short_term_goals".into(),
        json!([{"text": "申請書を一緒に書く", "target_date": "2024-01-31"}]),
    );
    let today = d("2024-01-12");
    let commands = forms.submit(&plan, book.registry(), today).unwrap();
    let names: Vec<&str> = commands.iter().map(Command::name).collect();
    assert_eq!(names, ["replan", "case", "record_form"]);
    book.execute_batch(commands, today, now()).unwrap();
    let reg = book.registry();
    assert_eq!(reg.plan(&"plan-y".into()).unwrap().current().version, 2);
    assert_eq!(
        reg.case(&"case-y".into()).unwrap().state().kind(),
        crate::case::CaseStateKind::Active
    );
}

#[test]
fn closing_without_a_reason_and_an_unknown_case_are_refused() {
    let forms = FormSet::builtin();
    let reg = Registry::new();
    let sub = submission(json!({
        "form": "evaluation", "record": "r", "case": "nope", "plan": "p",
        "values": {"evaluated_on": "2024-01-10", "evaluator": "w", "person_view": "…", "decision": "close"}
    }));
    let e = forms.submit(&sub, &reg, d("2024-01-10")).unwrap_err();
    assert_eq!(e.code(), "not_found");
    assert_eq!(e.path().as_deref(), Some("$.case"));
    let mut book = book();
    book.execute_batch(
        forms
            .submit(&y_intake(), book.registry(), d("2023-11-16"))
            .unwrap(),
        d("2023-11-16"),
        now(),
    )
    .unwrap();
    let sub = submission(json!({
        "form": "evaluation", "record": "r", "case": "case-y", "plan": "p",
        "values": {"evaluated_on": "2024-01-10", "evaluator": "w", "person_view": "…", "decision": "close"}
    }));
    let e = forms
        .submit(&sub, book.registry(), d("2024-01-10"))
        .unwrap_err();
    assert!(has(&codes(&e), "missing_field", "$.values.closure_reason"));
}

#[test]
fn a_rejected_intake_changes_nothing() {
    let forms = FormSet::builtin();
    let mut book = book();
    let mut sub = y_intake();
    sub.values
        .insert("receiving_window".into(), json!("unknown-window"));
    let commands = forms
        .submit(&sub, book.registry(), d("2023-11-16"))
        .unwrap();
    let before = book.registry().clone();
    let e = book
        .execute_batch(commands, d("2023-11-16"), now())
        .unwrap_err();
    assert_eq!(e.code(), "unknown_agency");
    assert_eq!(book.registry(), &before);
    assert!(book
        .registry()
        .form_record(&"form-y-intake".into())
        .is_none());
}

#[test]
fn normalised_values_validate_to_themselves() {
    let forms = FormSet::builtin();
    let tax = crate::taxonomy::Taxonomies::builtin();
    let record = forms.validate(&y_intake(), &tax, d("2023-11-16")).unwrap();
    let mut again = y_intake();
    again.values = record
        .values
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    assert_eq!(
        forms.validate(&again, &tax, d("2023-11-16")).unwrap(),
        record
    );
    assert_eq!(
        record.values[&FieldId::from("received_on")],
        json!("2023-11-16")
    );
}

#[test]
fn a_missing_field_is_reported_even_when_a_field_sharing_its_prefix_has_a_problem() {
    let mut sub = y_intake();
    sub.values.remove("consent_to_share");
    sub.values
        .insert("consent_method".into(), json!("carrier_pigeon"));
    let tax = crate::taxonomy::Taxonomies::builtin();
    let p = form_codes(
        &FormSet::builtin()
            .validate(&sub, &tax, d("2023-11-16"))
            .unwrap_err(),
    );
    assert!(
        has(&p, "missing_field", "$.values.consent_to_share"),
        "{p:?}"
    );
    assert!(
        has(&p, "unknown_choice", "$.values.consent_method"),
        "{p:?}"
    );
}

#[test]
fn a_refusal_to_share_is_recorded_as_a_refusal() {
    let mut sub = y_intake();
    sub.values.insert("consent_to_share".into(), json!(false));
    let commands = FormSet::builtin()
        .submit(&sub, book().registry(), d("2023-11-16"))
        .unwrap();
    let Command::Consent(c) = &commands[2] else {
        panic!("a consent command")
    };
    assert!(matches!(
        c.action,
        crate::consent::ConsentCommand::Refuse { .. }
    ));
}

#[test]
fn a_sheet_dated_after_today_is_refused_at_its_date_field() {
    let e = FormSet::builtin()
        .submit(&y_intake(), book().registry(), d("2023-11-15"))
        .unwrap_err();
    assert_eq!(
        codes(&e),
        [(
            "date_in_future".to_string(),
            "$.values.received_on".to_string()
        )]
    );
}

#[test]
fn a_new_household_needs_the_persons_relation() {
    let mut sub = y_intake();
    sub.values
        .insert("subject".into(), json!({"id": "y-mother", "name": "Yさん"}));
    let e = FormSet::builtin()
        .submit(&sub, book().registry(), d("2023-11-16"))
        .unwrap_err();
    assert!(has(
        &codes(&e),
        "missing_field",
        "$.values.subject.relation"
    ));
}

#[test]
fn the_layout_shows_labels_and_names_never_codes() {
    let forms = FormSet::builtin();
    let mut book = book();
    let today = d("2023-11-16");
    book.execute_batch(
        forms.submit(&y_intake(), book.registry(), today).unwrap(),
        today,
        now(),
    )
    .unwrap();
    let record = book
        .registry()
        .form_record(&"form-y-intake".into())
        .unwrap();
    let form = forms.form(&record.form).unwrap();
    let rows = layout(form, record, book.registry(), Language::Ja);
    let field = |label: &str| {
        rows.iter()
            .find_map(|r| match r {
                PrintRow::Field {
                    label: l, value, ..
                } if l == label => Some(value.clone()),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no {label}"))
    };
    assert_eq!(field("受付日"), "令和5年11月16日");
    assert_eq!(field("受付窓口"), "仙台市社会福祉協議会");
    assert_eq!(field("相談経路"), "来所");
    assert_eq!(field("本人"), "Yさん");
    assert_eq!(
        field("ご相談の内容（該当するものすべて、最も困っていることに◎）"),
        "◎収入・生活費のこと、○子育てのこと、○仕事探し、就職について"
    );
    let en = layout(form, record, book.registry(), Language::En);
    assert!(en.contains(&PrintRow::Field {
        label: "How the consultation came".into(),
        value: "Walk-in visit".into(),
        required: true
    }));
}

#[cfg(feature = "xlsx")]
#[test]
fn the_workbook_reads_back_with_labels_and_values() {
    use calamine::{Reader, Xlsx};
    let forms = FormSet::builtin();
    let mut book = book();
    let today = d("2023-11-16");
    book.execute_batch(
        forms.submit(&y_intake(), book.registry(), today).unwrap(),
        today,
        now(),
    )
    .unwrap();
    let record = book
        .registry()
        .form_record(&"form-y-intake".into())
        .unwrap();
    let bytes = xlsx::workbook(&forms, record, book.registry(), Language::Ja).unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(wb.sheet_names(), ["相談受付・申込票"]);
    let range = wb.worksheet_range("相談受付・申込票").unwrap();
    let cell = |r: usize, c: usize| range.get((r, c)).map(|v| v.to_string()).unwrap_or_default();
    let row_of = |label: &str| {
        (0..range.height())
            .find(|&r| cell(r, 0) == label)
            .unwrap_or_else(|| panic!("no row {label}"))
    };
    assert_eq!(cell(0, 0), "相談受付・申込票");
    assert_eq!(cell(row_of("受付日 ※"), 1), "令和5年11月16日");
    assert_eq!(cell(row_of("本人 ※"), 1), "Yさん");
    assert_eq!(cell(row_of("相談経路 ※"), 1), "来所");
    let table = row_of("世帯構成");
    assert_eq!(cell(table, 1), "世帯員");
    assert_eq!(cell(table, 2), "続柄");
    assert_eq!(cell(table + 2, 1), "次男");
    assert_eq!(cell(table + 2, 3), "平成27年6月1日");
    assert!(
        (0..range.height()).any(|r| cell(r, 0) == "同意"),
        "a section header row"
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn any_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i32>().prop_map(Value::from),
            "[a-z_]{0,12}".prop_map(Value::from),
            Just(json!("令和5年11月16日")),
            Just(json!("income_living_costs")),
        ];
        leaf.prop_recursive(2, 8, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Whatever values a host sends, submitting never panics: it yields commands that end
        /// with the form record, or a typed error whose problems all carry a path under the
        /// submission.
        #[test]
        fn submitting_anything_is_commands_or_typed_problems(
            form in prop::sample::select(vec!["intake", "assessment", "plan", "evaluation"]),
            values in prop::collection::btree_map(
                prop::sample::select(vec![
                    "received_on", "channel", "subject", "consultation_items", "issues",
                    "short_term_goals", "decision", "evaluated_on", "roles", "whatever",
                ]).prop_map(String::from),
                any_value(),
                0..8,
            ),
        ) {
            let sub = Submission {
                form: form.into(),
                record: "r".into(),
                case: Some("c".into()),
                household: Some("h".into()),
                plan: Some("p".into()),
                values,
            };
            match FormSet::builtin().submit(&sub, &Registry::new(), d("2023-11-16")) {
                Ok(commands) => prop_assert_eq!(commands.last().map(Command::name), Some("record_form")),
                Err(e) => {
                    prop_assert!(e.path().is_some_and(|p| p.starts_with("$.")));
                    if let crate::Error::Forms(f) = &e {
                        prop_assert!(f.problems().iter().all(|p| p.path.starts_with("$.")));
                    }
                }
            }
        }
    }
}
