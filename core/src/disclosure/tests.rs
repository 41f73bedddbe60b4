//! Tests of disclosure: each meeting type's rule, the Y-san scenario, views, provision records,
//! pseudonymisation, and property tests over random command sequences.

use super::*;
use crate::consent::{
    apply, handle, ConsentCommand, ConsentMethod, ConsentTerms, InfoCategory, Recipient,
};
use crate::household::{
    DisabilityCertificate, Employment, Household, Person, Relation, Tie, TieParty, TieStrength,
};
use crate::taxonomy::Taxonomies;
use InfoCategory::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Y-san's household (seeds 001), with a grandmother added so every special-care field is set.
fn y_household() -> Household {
    let mut y = Person::new("y", Relation::Head);
    y.name = Some("Y".into());
    y.approx_age = Some(45);
    y.single_parent = true;
    y.employment = Some(Employment::PartTime);
    y.issues = vec![
        "income_living_costs".into(),
        "dv".into(),
        "child_rearing".into(),
    ];
    y.cares_for = vec!["y-s2".into()];
    let mut s1 = Person::new("y-s1", Relation::Child);
    s1.birth_date = Some(d("2010-09-01"));
    s1.issues = vec!["school_refusal".into()];
    let mut s2 = Person::new("y-s2", Relation::Child);
    s2.birth_date = Some(d("2014-02-01"));
    s2.disabilities = vec![DisabilityCertificate {
        kind: "intellectual".into(),
        grade: Some("A".into()),
    }];
    s2.issues = vec!["developmental_concern".into()];
    let mut gm = Person::new("y-gm", Relation::Parent);
    gm.approx_age = Some(78);
    gm.care_level = Some("care_2".into());
    gm.hospitalised = true;
    gm.issues = vec!["dementia".into(), "medical_costs".into()];
    Household {
        id: "hh-y".into(),
        area: Default::default(),
        members: vec![y, s1, s2, gm],
        issues: vec!["debt".into(), "housing".into()],
        ties: vec![
            Tie {
                member: Some("y".into()),
                with: TieParty::Agency {
                    agency: "csw".into(),
                },
                strength: TieStrength::Strong,
            },
            Tie {
                member: None,
                with: TieParty::Informal {
                    kind: "welfare_commissioner".into(),
                    label: Some("地区の民生委員".into()),
                },
                strength: TieStrength::Weak,
            },
            Tie {
                member: Some("y-s2".into()),
                with: TieParty::Agency {
                    agency: "school".into(),
                },
                strength: TieStrength::Strong,
            },
        ],
    }
}

fn meeting(ty: &str) -> Audience {
    Audience::Meeting {
        meeting_type: ty.into(),
        participants_acknowledged: true,
    }
}

fn agency(id: &str, kind: &str) -> Audience {
    Audience::Agency {
        id: id.into(),
        kind: kind.into(),
    }
}

fn req(audience: Audience, on: &str) -> DisclosureRequest {
    DisclosureRequest {
        case: "case-y".into(),
        person: "y".into(),
        audience,
        purpose: "support".into(),
        on: d(on),
        view: ViewKind::Case,
    }
}

fn terms(scope: &[InfoCategory], to: Recipient) -> ConsentTerms {
    ConsentTerms {
        person: "y".into(),
        scope: scope.to_vec(),
        recipients: vec![to],
        purposes: vec![],
        legal_basis: "個人情報の保護に関する法律第27条第1項（本人の同意）".into(),
        method: ConsentMethod::Written,
        obtained_by: Some("csw".into()),
        expires_on: None,
        given_by: None,
        parent: None,
    }
}

fn ml() -> Recipient {
    Recipient::MeetingType("multi_layered_support_meeting".into())
}

fn run(book: &mut Vec<ConsentRecord>, cmd: ConsentCommand) {
    let ev = handle(book, cmd).unwrap();
    apply(book, &ev);
}

fn err_code(r: Result<DisclosureDecision, DisclosureError>) -> &'static str {
    r.unwrap_err().code()
}

fn reason(r: Result<DisclosureDecision, DisclosureError>) -> MissingConsent {
    match r.unwrap_err() {
        DisclosureError::ConsentRequired { reason, .. } => reason,
        e => panic!("expected consent_required, got {e:?}"),
    }
}

#[test]
fn y_san_scenario() {
    let types = MeetingTypes::builtin();
    let tax = Taxonomies::builtin();
    let hh = y_household();
    let mut book = Vec::new();

    // 1. The CSW calls a 支援会議 (つながる会議) before Y-san consented: shared on the statute,
    //    special-care categories included.
    let dec = decide(
        &req(meeting("support_meeting"), "2024-05-10"),
        &book,
        &types,
    )
    .unwrap();
    assert_eq!(dec.level, DisclosureLevel::Full);
    assert!(dec
        .grants
        .iter()
        .all(|g| g.basis == Basis::Statute("社会福祉法第106条の6".into())));
    let view = redact(&hh, &dec, &InfoCategory::ALL, &tax);
    assert!(view.members[0].issues.contains(&"dv".into()));
    assert_eq!(view.members[2].disabilities.len(), 1);

    // 2. The 重層的支援会議 may not see the case before consent.
    let before = decide(
        &req(meeting("multi_layered_support_meeting"), "2024-05-20"),
        &book,
        &types,
    );
    assert_eq!(reason(before), MissingConsent::NoConsent);

    // 3. She consents to sharing with the 重層的支援会議, but not her health or the DV history.
    run(
        &mut book,
        ConsentCommand::Give {
            id: "c1".into(),
            terms: terms(&[Identity, Household, Finances, Relations], ml()),
            on: d("2024-06-01"),
        },
    );
    let after = decide(
        &req(meeting("multi_layered_support_meeting"), "2024-06-10"),
        &book,
        &types,
    )
    .unwrap();
    assert_eq!(after.level, DisclosureLevel::WithoutSpecialCare);
    assert_eq!(
        after.categories(),
        [Identity, Household, Finances, Relations]
    );
    assert!(after
        .grants
        .iter()
        .all(|g| g.basis == Basis::Consent("c1".into())));
    let view = redact(&hh, &after, &InfoCategory::ALL, &tax);
    let y = &view.members[0];
    assert_eq!(y.name.as_deref(), Some("Y"));
    assert_eq!(
        y.issues,
        ["income_living_costs", "child_rearing"].map(IssueCode::from)
    );
    assert!(view
        .members
        .iter()
        .all(|m| m.disabilities.is_empty() && m.care_level.is_none() && m.hospitalised.is_none()));
    let gm = &view.members[3];
    assert!(
        gm.issues.is_empty(),
        "dementia and medical costs are withheld"
    );
    assert_eq!(view.withheld, [HealthDisability, LegalCriminal]);
    assert_eq!(view.issues, ["debt", "housing"].map(IssueCode::from));

    // 4. She withdraws: from that day on the meeting may not see the case again …
    run(
        &mut book,
        ConsentCommand::Withdraw {
            id: "c1".into(),
            on: d("2024-09-01"),
        },
    );
    let withdrawn = decide(
        &req(meeting("multi_layered_support_meeting"), "2024-09-01"),
        &book,
        &types,
    );
    assert_eq!(reason(withdrawn), MissingConsent::Withdrawn);
    // … while a disclosure the day before stays lawful, and the 支援会議 keeps its statutory basis.
    assert!(decide(
        &req(meeting("multi_layered_support_meeting"), "2024-08-31"),
        &book,
        &types
    )
    .is_ok());
    let statutory = decide(
        &req(meeting("support_meeting"), "2024-09-05"),
        &book,
        &types,
    )
    .unwrap();
    assert_eq!(statutory.level, DisclosureLevel::Full);
}

#[test]
fn each_meeting_type_without_consent() {
    let types = MeetingTypes::builtin();
    let expect: &[(&str, Result<&str, &str>)] = &[
        ("support_meeting", Ok("社会福祉法第106条の6")),
        ("community_care_meeting", Ok("介護保険法第115条の48")),
        ("child_protection_council", Ok("児童福祉法第25条の2")),
        (
            "self_reliance_support_meeting",
            Ok("生活困窮者自立支援法第9条"),
        ),
        ("multi_layered_support_meeting", Err("consent_required")),
        ("case_conference", Err("consent_required")),
        ("promotion_meeting", Err("personal_info_not_allowed")),
        ("network_meeting", Err("personal_info_not_allowed")),
        ("council", Err("personal_info_not_allowed")),
    ];
    assert_eq!(expect.len(), types.types().len());
    for (ty, want) in expect {
        let r = decide(&req(meeting(ty), "2024-05-10"), &[], &types);
        match want {
            Ok(basis) => {
                let dec = r.unwrap();
                assert_eq!(dec.level, DisclosureLevel::Full, "{ty}");
                assert_eq!(dec.grants.len(), 6);
                assert!(dec
                    .grants
                    .iter()
                    .all(|g| g.basis == Basis::Statute(basis.to_string())));
            }
            Err(code) => assert_eq!(err_code(r), *code, "{ty}"),
        }
        // Aggregate figures: any audience, no personal information.
        let mut agg = req(meeting(ty), "2024-05-10");
        agg.view = ViewKind::Aggregate;
        let dec = decide(&agg, &[], &types).unwrap();
        assert_eq!(dec.level, DisclosureLevel::AggregateOnly, "{ty}");
        assert!(dec.grants.is_empty());
    }
}

#[test]
fn each_consent_required_type_follows_the_consent_scope() {
    let types = MeetingTypes::builtin();
    for ty in ["multi_layered_support_meeting", "case_conference"] {
        let mut book = Vec::new();
        run(
            &mut book,
            ConsentCommand::Give {
                id: "c".into(),
                terms: terms(
                    &[Identity, HealthDisability],
                    Recipient::MeetingType(ty.into()),
                ),
                on: d("2024-06-01"),
            },
        );
        let dec = decide(&req(meeting(ty), "2024-06-02"), &book, &types).unwrap();
        assert_eq!(dec.level, DisclosureLevel::Partial, "{ty}");
        assert_eq!(dec.categories(), [Identity, HealthDisability]);
        // A consent to one type does not open another.
        let other = if ty == "case_conference" {
            "multi_layered_support_meeting"
        } else {
            "case_conference"
        };
        assert_eq!(
            reason(decide(&req(meeting(other), "2024-06-02"), &book, &types)),
            MissingConsent::RecipientNotCovered
        );
    }
}

#[test]
fn consent_never_opens_an_aggregate_only_meeting() {
    let types = MeetingTypes::builtin();
    let mut book = Vec::new();
    run(
        &mut book,
        ConsentCommand::Give {
            id: "c".into(),
            terms: terms(
                &InfoCategory::ALL,
                Recipient::MeetingType("network_meeting".into()),
            ),
            on: d("2024-06-01"),
        },
    );
    let r = decide(
        &req(meeting("network_meeting"), "2024-06-02"),
        &book,
        &types,
    );
    let e = r.unwrap_err();
    assert_eq!(e.code(), "personal_info_not_allowed");
    assert_eq!(e.path().as_deref(), Some("$.view"));
}

#[test]
fn statutory_meeting_needs_acknowledged_participants() {
    let types = MeetingTypes::builtin();
    let audience = Audience::Meeting {
        meeting_type: "support_meeting".into(),
        participants_acknowledged: false,
    };
    let r = decide(&req(audience.clone(), "2024-05-10"), &[], &types);
    let e = r.unwrap_err();
    assert_eq!(e.code(), "confidentiality_not_acknowledged");
    assert_eq!(
        e.path().as_deref(),
        Some("$.audience.participants_acknowledged")
    );
    let mut agg = req(audience, "2024-05-10");
    agg.view = ViewKind::Aggregate;
    assert!(decide(&agg, &[], &types).is_ok());
    let e = decide(&req(meeting("tea_party"), "2024-05-10"), &[], &types).unwrap_err();
    assert_eq!(e.code(), "unknown_code");
    assert_eq!(e.path().as_deref(), Some("$.audience.meeting_type"));
}

#[test]
fn agency_audiences_and_the_reasons_consent_is_missing() {
    let types = MeetingTypes::builtin();
    let hc = agency("hc-north", "community_general_support_center");
    let mut book = Vec::new();
    assert_eq!(
        reason(decide(&req(hc.clone(), "2024-06-02"), &book, &types)),
        MissingConsent::NoConsent
    );
    let mut t = terms(
        &[Identity, Household, Finances, Relations, HealthDisability],
        Recipient::AgencyKind("community_general_support_center".into()),
    );
    t.expires_on = Some(d("2025-03-31"));
    t.purposes = vec!["support".into()];
    run(
        &mut book,
        ConsentCommand::Give {
            id: "k".into(),
            terms: t,
            on: d("2024-06-01"),
        },
    );
    let dec = decide(&req(hc.clone(), "2024-06-02"), &book, &types).unwrap();
    assert_eq!(dec.level, DisclosureLevel::Partial);
    assert!(!dec.allows(LegalCriminal));
    assert_eq!(
        reason(decide(&req(hc.clone(), "2024-05-31"), &book, &types)),
        MissingConsent::NotYetGiven
    );
    assert!(decide(&req(hc.clone(), "2025-03-31"), &book, &types).is_ok());
    assert_eq!(
        reason(decide(&req(hc.clone(), "2025-04-01"), &book, &types)),
        MissingConsent::Expired
    );
    let mut research = req(hc.clone(), "2024-06-02");
    research.purpose = "research".into();
    assert_eq!(
        reason(decide(&research, &book, &types)),
        MissingConsent::PurposeNotCovered
    );
    let other = agency("hello-work", "hello_work");
    assert_eq!(
        reason(decide(&req(other, "2024-06-02"), &book, &types)),
        MissingConsent::RecipientNotCovered
    );
    // A consent of another person never applies.
    let mut someone_else = req(hc.clone(), "2024-06-02");
    someone_else.person = "z".into();
    assert_eq!(
        reason(decide(&someone_else, &book, &types)),
        MissingConsent::NoConsent
    );
    // A refusal is reported as such.
    let mut book = Vec::new();
    run(
        &mut book,
        ConsentCommand::Refuse {
            id: "r".into(),
            terms: terms(&InfoCategory::ALL, Recipient::Agency("hc-north".into())),
            on: d("2024-06-01"),
        },
    );
    assert_eq!(
        reason(decide(&req(hc, "2024-06-02"), &book, &types)),
        MissingConsent::Refused
    );
}

#[test]
fn several_consents_add_up_each_with_its_basis() {
    let types = MeetingTypes::builtin();
    let mut book = Vec::new();
    run(
        &mut book,
        ConsentCommand::Give {
            id: "a".into(),
            terms: terms(&[Identity, Household], ml()),
            on: d("2024-06-01"),
        },
    );
    run(
        &mut book,
        ConsentCommand::Give {
            id: "b".into(),
            terms: terms(&[Household, Finances, Relations], ml()),
            on: d("2024-07-01"),
        },
    );
    let r = req(meeting("multi_layered_support_meeting"), "2024-07-01");
    let dec = decide(&r, &book, &types).unwrap();
    assert_eq!(dec.level, DisclosureLevel::WithoutSpecialCare);
    let bases: Vec<(InfoCategory, &str)> = dec
        .grants
        .iter()
        .map(|g| match &g.basis {
            Basis::Consent(id) => (g.category, id.as_str()),
            b => panic!("{b:?}"),
        })
        .collect();
    assert_eq!(
        bases,
        [
            (Identity, "a"),
            (Household, "a"),
            (Finances, "b"),
            (Relations, "b")
        ]
    );
}

#[test]
fn municipal_alias_in_consent_and_audience() {
    let mut types = MeetingTypes::builtin();
    types
        .extend_toml(
            r#"
[[aliases]]
code = "sendai_tsunagaru_support"
ja = "つながる会議"
en = "Tsunagaru meeting (support meeting)"
base = "support_meeting"
[[aliases]]
code = "sendai_tsunagaru_multi_layered"
ja = "つながる会議"
en = "Tsunagaru meeting (multi-layered)"
base = "multi_layered_support_meeting"
"#,
        )
        .unwrap();
    let dec = decide(
        &req(meeting("sendai_tsunagaru_support"), "2024-05-10"),
        &[],
        &types,
    )
    .unwrap();
    assert_eq!(dec.level, DisclosureLevel::Full);
    assert_eq!(
        err_code(decide(
            &req(meeting("sendai_tsunagaru_multi_layered"), "2024-05-10"),
            &[],
            &types
        )),
        "consent_required"
    );
    let mut book = Vec::new();
    run(
        &mut book,
        ConsentCommand::Give {
            id: "c".into(),
            terms: terms(
                &InfoCategory::ALL,
                Recipient::MeetingType("sendai_tsunagaru_multi_layered".into()),
            ),
            on: d("2024-06-01"),
        },
    );
    // The consent names the local name; the base type's meetings are the same meetings.
    let dec = decide(
        &req(meeting("multi_layered_support_meeting"), "2024-06-02"),
        &book,
        &types,
    )
    .unwrap();
    assert_eq!(dec.level, DisclosureLevel::Full);
}

#[test]
fn levels_follow_the_categories() {
    assert_eq!(DisclosureLevel::of(&[]), DisclosureLevel::AggregateOnly);
    assert_eq!(
        DisclosureLevel::of(&InfoCategory::ALL),
        DisclosureLevel::Full
    );
    assert_eq!(
        DisclosureLevel::of(&[Relations, Identity, Finances, Household]),
        DisclosureLevel::WithoutSpecialCare
    );
    assert_eq!(
        DisclosureLevel::of(&[Identity, Household, Finances, Relations, LegalCriminal]),
        DisclosureLevel::Partial
    );
    assert_eq!(DisclosureLevel::of(&[Identity]), DisclosureLevel::Partial);
}

#[test]
fn disclose_records_what_was_shown_and_the_access_log_lists_it() {
    let types = MeetingTypes::builtin();
    let mut book = Vec::new();
    run(
        &mut book,
        ConsentCommand::Give {
            id: "c1".into(),
            terms: terms(&[Identity, Household, Finances], ml()),
            on: d("2024-06-01"),
        },
    );
    let csw: AgencyId = "csw".into();
    // The presenter offers identity, finances and health; health is not allowed.
    let out = disclose(
        &req(meeting("multi_layered_support_meeting"), "2024-06-10"),
        &book,
        &types,
        &csw,
        &[Identity, Finances, HealthDisability],
    )
    .unwrap();
    assert_eq!(out.withheld, [HealthDisability]);
    let rec = out.record.clone().unwrap();
    assert_eq!(rec.categories(), [Identity, Finances]);
    assert_eq!(rec.level, DisclosureLevel::Partial);
    assert_eq!(rec.provider, csw);
    assert!(rec
        .grants
        .iter()
        .all(|g| g.basis == Basis::Consent("c1".into())));

    let stat = disclose(
        &req(meeting("support_meeting"), "2024-05-10"),
        &book,
        &types,
        &csw,
        &InfoCategory::ALL,
    )
    .unwrap();
    let mut agg_req = req(meeting("network_meeting"), "2024-07-01");
    agg_req.view = ViewKind::Aggregate;
    let agg = disclose(&agg_req, &book, &types, &csw, &InfoCategory::ALL).unwrap();
    assert!(
        agg.record.is_none(),
        "aggregate figures leave no provision record"
    );
    // A refused disclosure records nothing (there is no value to journal).
    assert!(disclose(
        &req(meeting("network_meeting"), "2024-07-01"),
        &book,
        &types,
        &csw,
        &InfoCategory::ALL
    )
    .is_err());

    let mut other = rec.clone();
    other.person = "z".into();
    let records = vec![rec.clone(), other, stat.record.clone().unwrap()];
    let log = access_log(&records, &"y".into());
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].on, d("2024-05-10"));
    assert_eq!(log[0].level, DisclosureLevel::Full);
    assert_eq!(log[1], &rec);
    // The record serialises with codes and ids only.
    let json = serde_json::to_value(&rec).unwrap();
    assert_eq!(json["audience"]["type"], "meeting");
    assert_eq!(json["grants"][0]["basis"]["consent"], "c1");
}

#[test]
fn redaction_without_identity_uses_keys() {
    let types = MeetingTypes::builtin();
    let tax = Taxonomies::builtin();
    let mut book = Vec::new();
    run(
        &mut book,
        ConsentCommand::Give {
            id: "c".into(),
            terms: terms(&[Household, Relations], ml()),
            on: d("2024-06-01"),
        },
    );
    let dec = decide(
        &req(meeting("multi_layered_support_meeting"), "2024-06-02"),
        &book,
        &types,
    )
    .unwrap();
    let view = redact(&y_household(), &dec, &InfoCategory::ALL, &tax);
    assert_eq!(view.household, None);
    let keys: Vec<&str> = view.members.iter().map(|m| m.key.as_str()).collect();
    assert_eq!(keys, ["M1", "M2", "M3", "M4"]);
    assert!(view.members[0].subject && !view.members[1].subject);
    assert!(view
        .members
        .iter()
        .all(|m| m.name.is_none() && m.birth_date.is_none()));
    assert_eq!(view.members[1].age, Some(13));
    assert_eq!(
        view.members[0].cares_for.as_deref(),
        Some(&["M3".to_string()][..])
    );
    assert_eq!(view.members[0].public_assistance, None);
    assert_eq!(view.ties[0].member.as_ref().unwrap().as_str(), "M1");
    assert_eq!(
        view.issues,
        ["housing"].map(IssueCode::from),
        "debt is finances"
    );
    // The presenter can narrow further: only relations.
    let narrow = redact(&y_household(), &dec, &[Relations], &tax);
    assert_eq!(narrow.shown, [Relations]);
    assert!(narrow.members.is_empty());
    assert_eq!(narrow.ties.len(), 3);
    // Withheld fields are absent from the JSON, not null.
    let json = serde_json::to_string(&view).unwrap();
    assert!(!json.contains("disabilities") && !json.contains("name") && !json.contains("null"));
}

#[test]
fn issue_category_table() {
    let tax = Taxonomies::builtin();
    let table = IssueCategories::builtin();
    let cats = |c: &str| table.categories_of(&c.into(), &tax);
    assert_eq!(cats("dv"), [LegalCriminal]);
    assert_eq!(cats("abuse"), [LegalCriminal]);
    assert_eq!(cats("legal_trouble"), [LegalCriminal]);
    assert_eq!(cats("mental_health"), [HealthDisability]);
    assert_eq!(cats("dementia"), [HealthDisability]);
    assert_eq!(cats("debt"), [Finances]);
    assert_eq!(cats("rent_loan_payment"), [Finances]);
    assert_eq!(cats("medical_costs"), [Finances, HealthDisability]);
    assert_eq!(cats("hikikomori"), [Household]);
    assert_eq!(cats("family_relations"), [Relations]);
    assert_eq!(cats("unknown_local_issue"), InfoCategory::ALL);
    assert!(!table.visible(&"medical_costs".into(), &tax, &[Finances]));
    assert!(table.visible(&"medical_costs".into(), &tax, &[Finances, HealthDisability]));
    // Every built-in issue is mapped by code or domain, and every domain has an entry.
    for issue in tax.issues() {
        assert_ne!(
            cats(issue.code.as_str()),
            InfoCategory::ALL,
            "{}",
            issue.code
        );
    }
    for domain in crate::taxonomy::Domain::ALL {
        assert!(table.domains.contains_key(&domain), "{domain:?}");
    }
    // Every code the table lists exists in the taxonomy (no typos).
    for code in table.issues.keys() {
        assert!(tax.issue(code).is_some(), "{code}");
    }
}

#[test]
fn pseudonymised_case_for_a_case_study() {
    let hh = y_household();
    let p = pseudonymise(&hh, &"y".into(), d("2024-04-05"), d("2024-05-10")).unwrap();
    assert_eq!(p.as_of.days, 35);
    assert_eq!(p.as_of.label, "+35 days");
    let labels: Vec<&str> = p.members.iter().map(|m| m.label.as_str()).collect();
    assert_eq!(labels, ["本人", "子A", "子B", "親"]);
    let bands: Vec<&str> = p.members.iter().map(|m| m.age_band.as_str()).collect();
    assert_eq!(bands, ["40代", "13歳", "10歳", "70代"]);
    assert_eq!(p.members[0].cares_for, ["子B"]);
    let withs: Vec<&str> = p.ties.iter().map(|t| t.with.as_str()).collect();
    assert_eq!(withs, ["関係機関A", "welfare_commissioner", "関係機関B"]);
    assert_eq!(p.ties[2].member.as_deref(), Some("子B"));
    let json = serde_json::to_string(&p).unwrap();
    for secret in [
        "hh-y",
        "\"y\"",
        "y-s1",
        "\"csw\"",
        "\"school\"",
        "2010-09-01",
        "地区の民生委員",
        "\"Y\"",
    ] {
        assert!(!json.contains(secret), "{secret} leaked: {json}");
    }
    // Labels are relative to the person: the elder son's case.
    let p = pseudonymise(&hh, &"y-s1".into(), d("2024-04-05"), d("2024-04-01")).unwrap();
    let labels: Vec<&str> = p.members.iter().map(|m| m.label.as_str()).collect();
    assert_eq!(labels, ["世帯主", "本人", "子", "親"]);
    assert_eq!(p.as_of.label, "-4 days");
    assert_eq!(
        relative_day(d("2024-04-05"), d("2024-04-05")).label,
        "day 0"
    );
    let e = pseudonymise(&hh, &"nobody".into(), d("2024-04-05"), d("2024-04-05")).unwrap_err();
    assert_eq!(e.code(), "unknown_person");
}

// ------------------------------------------------------------------ property tests

mod props {
    use super::*;
    use proptest::prelude::*;

    /// Recipients a generated consent may name, and audiences a request may target; index-aligned
    /// where they match (an independent oracle, not `Recipient::covers`).
    fn recipient(i: u8) -> Recipient {
        match i % 4 {
            0 => ml(),
            1 => Recipient::MeetingType("case_conference".into()),
            2 => Recipient::Agency("a1".into()),
            _ => Recipient::AgencyKind("k1".into()),
        }
    }

    fn audience(i: u8) -> Audience {
        match i % 7 {
            0 => meeting("support_meeting"),
            1 => meeting("multi_layered_support_meeting"),
            2 => meeting("case_conference"),
            3 => meeting("network_meeting"),
            4 => agency("a1", "k1"),
            5 => agency("a2", "k1"),
            _ => agency("a3", "k3"),
        }
    }

    fn oracle_names(r: &Recipient, a: &Audience) -> bool {
        match (r, a) {
            (Recipient::MeetingType(c), Audience::Meeting { meeting_type, .. }) => {
                c == meeting_type
            }
            (Recipient::Agency(x), Audience::Agency { id, .. }) => x == id,
            (Recipient::AgencyKind(k), Audience::Agency { kind, .. }) => k == kind,
            _ => false,
        }
    }

    fn statutory(a: &Audience) -> bool {
        matches!(a, Audience::Meeting { meeting_type, .. } if meeting_type.as_str() == "support_meeting")
    }

    fn aggregate_only(a: &Audience) -> bool {
        matches!(a, Audience::Meeting { meeting_type, .. } if meeting_type.as_str() == "network_meeting")
    }

    /// Independent statement of the rule: is `cat` allowed for `r` given the consents?
    fn oracle(cat: InfoCategory, r: &DisclosureRequest, consents: &[ConsentRecord]) -> bool {
        statutory(&r.audience)
            || consents.iter().any(|c| {
                c.person == r.person
                    && c.answer == crate::consent::Answer::Given
                    && c.answered_on <= r.on
                    && c.withdrawn_on.is_none_or(|w| r.on < w)
                    && c.expires_on.is_none_or(|e| r.on <= e)
                    && c.recipients.iter().any(|x| oracle_names(x, &r.audience))
                    && (c.purposes.is_empty() || c.purposes.contains(&r.purpose))
                    && c.scope.contains(&cat)
            })
    }

    #[derive(Debug, Clone)]
    enum Op {
        Give {
            other_person: bool,
            scope: u8,
            to: u8,
            expires_in: Option<u8>,
            purpose_limited: bool,
        },
        Refuse {
            to: u8,
        },
        Withdraw {
            which: u8,
            back: u8,
        },
        Request {
            audience: u8,
            other_purpose: bool,
            back: u8,
        },
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            3 => (any::<bool>(), 1u8..64, any::<u8>(), proptest::option::of(0u8..90), any::<bool>())
                .prop_map(|(other_person, scope, to, expires_in, purpose_limited)| Op::Give {
                    other_person: other_person && scope % 5 == 0,
                    scope,
                    to,
                    expires_in,
                    purpose_limited,
                }),
            1 => any::<u8>().prop_map(|to| Op::Refuse { to }),
            2 => (any::<u8>(), 0u8..3).prop_map(|(which, back)| Op::Withdraw { which, back }),
            5 => (any::<u8>(), any::<bool>(), 0u8..3)
                .prop_map(|(audience, other_purpose, back)| Op::Request { audience, other_purpose, back }),
        ]
    }

    fn scope_of(bits: u8) -> Vec<InfoCategory> {
        InfoCategory::ALL
            .into_iter()
            .enumerate()
            .filter(|(i, _)| bits & (1 << i) != 0)
            .map(|(_, c)| c)
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Over random sequences of consent commands and disclosure requests, in time order:
        /// every decision equals the independent oracle, no category (special-care above all)
        /// is disclosed without a consent in effect that covers it or the statute, and a
        /// withdrawal or expiry binds every later request.
        #[test]
        fn disclosure_follows_consent_and_statute(
            steps in proptest::collection::vec((0u16..40, op()), 1..40)
        ) {
            let types = MeetingTypes::builtin();
            let tax = Taxonomies::builtin();
            let hh = y_household();
            let mut book: Vec<ConsentRecord> = Vec::new();
            let mut day = d("2024-04-01");
            let mut n = 0;
            for (advance, op) in steps {
                day = day + chrono::Days::new(advance as u64);
                n += 1;
                match op {
                    Op::Give { other_person, scope, to, expires_in, purpose_limited } => {
                        let mut t = terms(&scope_of(scope), recipient(to));
                        if other_person { t.person = "q".into(); }
                        t.expires_on = expires_in.map(|e| day + chrono::Days::new(e as u64));
                        if purpose_limited { t.purposes = vec!["support".into()]; }
                        let ev = handle(&book, ConsentCommand::Give { id: format!("c{n}").into(), terms: t, on: day }).unwrap();
                        apply(&mut book, &ev);
                    }
                    Op::Refuse { to } => {
                        let ev = handle(&book, ConsentCommand::Refuse { id: format!("c{n}").into(), terms: terms(&InfoCategory::ALL, recipient(to)), on: day }).unwrap();
                        apply(&mut book, &ev);
                    }
                    Op::Withdraw { which, back } => {
                        if book.is_empty() { continue; }
                        let id = book[which as usize % book.len()].id.clone();
                        let on = day - chrono::Days::new(back as u64);
                        let before = book.clone();
                        match handle(&book, ConsentCommand::Withdraw { id: id.clone(), on }) {
                            Ok(ev) => apply(&mut book, &ev),
                            Err(e) => {
                                prop_assert!(["already_withdrawn", "consent_not_given", "withdrawal_before_consent"].contains(&e.code()));
                                prop_assert_eq!(&book, &before);
                            }
                        }
                    }
                    Op::Request { audience: a, other_purpose, back } => {
                        let mut r = req(audience(a), "2024-01-01");
                        r.on = day - chrono::Days::new(back as u64);
                        if other_purpose { r.purpose = "research".into(); }
                        let expected: Vec<InfoCategory> = InfoCategory::ALL
                            .into_iter()
                            .filter(|c| oracle(*c, &r, &book))
                            .collect();
                        match decide(&r, &book, &types) {
                            Ok(dec) => {
                                prop_assert!(!aggregate_only(&r.audience));
                                prop_assert_eq!(dec.categories(), expected.clone());
                                prop_assert_eq!(dec.level, DisclosureLevel::of(&expected));
                                for g in &dec.grants {
                                    match &g.basis {
                                        Basis::Statute(_) => prop_assert!(statutory(&r.audience)),
                                        Basis::Consent(id) => {
                                            let c = book.iter().find(|c| &c.id == id).unwrap();
                                            prop_assert!(c.person == r.person);
                                            prop_assert!(c.scope.contains(&g.category));
                                            prop_assert!(c.answered_on <= r.on);
                                            // Withdrawal and expiry bind.
                                            prop_assert!(c.withdrawn_on.is_none_or(|w| r.on < w));
                                            prop_assert!(c.expires_on.is_none_or(|e| r.on <= e));
                                        }
                                    }
                                }
                                // What the view shows matches the grants.
                                let view = redact(&hh, &dec, &InfoCategory::ALL, &tax);
                                let table = IssueCategories::builtin();
                                let shows_issue_of = |cat: InfoCategory| {
                                    view.issues.iter().chain(view.members.iter().flat_map(|m| &m.issues))
                                        .any(|i| table.categories_of(i, &tax).contains(&cat))
                                };
                                if !dec.allows(HealthDisability) {
                                    prop_assert!(view.members.iter().all(|m| m.disabilities.is_empty() && m.care_level.is_none() && m.hospitalised.is_none()));
                                    prop_assert!(!shows_issue_of(HealthDisability));
                                }
                                if !dec.allows(LegalCriminal) {
                                    prop_assert!(!shows_issue_of(LegalCriminal));
                                }
                                if !dec.allows(Identity) {
                                    prop_assert!(view.members.iter().all(|m| m.name.is_none() && m.key.starts_with('M')));
                                }
                                if !dec.allows(Finances) {
                                    prop_assert!(view.members.iter().all(|m| m.public_assistance.is_none()));
                                    prop_assert!(!shows_issue_of(Finances));
                                }
                            }
                            Err(e) => {
                                if aggregate_only(&r.audience) {
                                    prop_assert_eq!(e.code(), "personal_info_not_allowed");
                                } else {
                                    prop_assert_eq!(e.code(), "consent_required");
                                    prop_assert!(expected.is_empty());
                                    prop_assert!(!statutory(&r.audience));
                                }
                            }
                        }
                    }
                }
            }
        }

        /// One consent, withdrawn or expiring: every request from that day on is refused, every
        /// request while it was in effect is allowed within its scope.
        #[test]
        fn withdrawal_and_expiry_bind_every_later_disclosure(
            scope in 1u8..64,
            given in 0u16..100,
            ends_after in 0u16..100,
            withdraw in any::<bool>(),
            offsets in proptest::collection::vec(0u16..300, 1..20),
        ) {
            let types = MeetingTypes::builtin();
            let start = d("2024-04-01");
            let given_on = start + chrono::Days::new(given as u64);
            let end = given_on + chrono::Days::new(ends_after as u64);
            let mut t = terms(&scope_of(scope), ml());
            if !withdraw { t.expires_on = Some(end); }
            let mut book = Vec::new();
            run(&mut book, ConsentCommand::Give { id: "c".into(), terms: t, on: given_on });
            if withdraw {
                run(&mut book, ConsentCommand::Withdraw { id: "c".into(), on: end });
            }
            for off in offsets {
                let mut r = req(meeting("multi_layered_support_meeting"), "2024-01-01");
                r.on = start + chrono::Days::new(off as u64);
                let in_effect = r.on >= given_on && if withdraw { r.on < end } else { r.on <= end };
                match decide(&r, &book, &types) {
                    Ok(dec) => {
                        prop_assert!(in_effect, "allowed on {} outside [{given_on}, {end}]", r.on);
                        prop_assert_eq!(dec.categories(), scope_of(scope));
                    }
                    Err(e) => {
                        prop_assert!(!in_effect);
                        prop_assert_eq!(e.code(), "consent_required");
                    }
                }
            }
        }
    }
}
