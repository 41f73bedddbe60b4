//! Tests of the access module: the built-in policy, policy documents with problems, decisions,
//! redaction, address restriction, the view log, and Y-san's record opened from another agency.

use super::*;
use crate::coded::Coded;
use crate::household::{Household, Person, Relation, Tie, TieParty, TieStrength};
use crate::taxonomy::Taxonomies;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use InfoCategory::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(y: i32, m: u32, day: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, day, h, 0, 0).unwrap()
}

fn worker(id: &str, agency: &str, roles: &[&str]) -> Requester {
    Requester {
        worker: id.into(),
        agency: agency.into(),
        roles: roles.iter().map(|r| RoleCode::new(*r)).collect(),
    }
}

/// Y-san (DOMAIN.md §8): mother in her 40s, divorced after DV, two sons (junior-high; a younger
/// son with an intellectual disability at a special-needs school); poverty.
fn y_san() -> Household {
    let mut mother = Person::new("y1", Relation::Head);
    mother.name = Some("山田 花子".into());
    mother.approx_age = Some(45);
    mother.single_parent = true;
    mother.issues = vec![
        "income_living_costs".into(),
        "dv".into(),
        "child_rearing".into(),
    ];
    mother.cares_for = vec!["y2".into(), "y3".into()];
    let mut elder = Person::new("y2", Relation::Child);
    elder.name = Some("山田 一郎".into());
    elder.birth_date = Some(d(2010, 5, 1));
    let mut younger = Person::new("y3", Relation::Child);
    younger.name = Some("山田 二郎".into());
    younger.birth_date = Some(d(2014, 9, 10));
    younger.disabilities = vec![crate::household::DisabilityCertificate {
        kind: "intellectual".into(),
        grade: Some("A".into()),
    }];
    younger.issues = vec!["developmental_concern".into()];
    Household {
        id: "y".into(),
        area: crate::household::Area {
            small_area: Some("aoba_05".into()),
            daily_life_area: None,
            ward: Some("aoba".into()),
        },
        members: vec![mother, elder, younger],
        issues: Vec::new(),
        ties: vec![Tie {
            member: Some("y3".into()),
            with: TieParty::Agency {
                agency: "special_needs_school".into(),
            },
            strength: TieStrength::Strong,
        }],
    }
}

fn contacts() -> Vec<ContactDetails> {
    vec![ContactDetails {
        person: "y1".into(),
        address: Some("仙台市青葉区一番町1-1".into()),
        phone: Some("090-0000-0000".into()),
        whereabouts: None,
    }]
}

const CSW: &str = "community_social_worker";

#[test]
fn builtin_policy_is_valid_and_its_toml_gives_the_same_rules() {
    let builtin = Policy::builtin();
    assert!(builtin.rules().len() >= 7);
    let from_toml = Policy::from_toml(Policy::builtin_text(), &PolicyEnv::default()).unwrap();
    assert_eq!(from_toml.rules(), builtin.rules());
    let roles = [
        "consultation_support_worker",
        "chief_consultation_support_worker",
        "community_social_worker",
        "outreach_support_worker",
        "manager",
        "clerk",
    ];
    let env = PolicyEnv::with_roles(roles.iter().map(|r| RoleCode::new(*r)));
    Policy::from_toml(Policy::builtin_text(), &env).expect("every role is a known one");
    // Round trip through the typed document.
    let again = Policy::from_json(
        &serde_json::to_string(&builtin.to_document()).unwrap(),
        &env,
    )
    .unwrap();
    assert_eq!(&again, builtin);
}

#[test]
fn builtin_policy_decides_as_a_practitioner_would() {
    let p = Policy::builtin();
    let read = |r: &Requester, rel, kind| p.decide(r, rel, kind, Action::Read).categories();
    let csw = worker("w1", "council", &[CSW]);
    // The case team sees everything, special care included.
    assert_eq!(
        read(&csw, CaseRelation::Primary, RecordKind::Household),
        InfoCategory::ALL.to_vec()
    );
    // A colleague of the same window: everything but 要配慮.
    assert_eq!(
        read(&csw, CaseRelation::SameAgency, RecordKind::Household),
        vec![Identity, Household, Finances, Relations]
    );
    // A clerk never sees 要配慮 data nor finances, whatever the relation.
    let clerk = worker("w2", "council", &["clerk"]);
    for rel in CaseRelation::ALL {
        for kind in RecordKind::ALL {
            let cats = read(&clerk, rel, kind);
            assert!(
                cats.iter().all(|c| !c.is_special_care() && *c != Finances),
                "{rel:?} {kind:?}: {cats:?}"
            );
        }
    }
    // Even when a disclosure showed special-care data to the clerk's agency.
    let d = p.decide_with(
        &clerk,
        &[CaseRelation::OtherAgency],
        &InfoCategory::ALL,
        RecordKind::Household,
        Action::Read,
    );
    assert!(d.categories().iter().all(|c| !c.is_special_care()));
    // Another agency: nothing of the household unless a disclosure showed it.
    assert!(read(&csw, CaseRelation::OtherAgency, RecordKind::Household).is_empty());
    assert_eq!(
        read(&csw, CaseRelation::OtherAgency, RecordKind::Referral),
        vec![Identity]
    );
    // No relation: nothing at all.
    for kind in RecordKind::ALL {
        assert!(read(&csw, CaseRelation::None, kind).is_empty());
    }
    // The administrator reads everything, the view log included, and each read is flagged.
    let admin = worker("w9", "city", &["manager"]);
    for rel in CaseRelation::ALL {
        let d = p.decide(&admin, rel, RecordKind::ViewLog, Action::Read);
        assert_eq!(d.categories(), InfoCategory::ALL.to_vec());
        assert!(d.review);
        assert!(p
            .decide(&admin, rel, RecordKind::Case, Action::Change)
            .is_empty());
    }
    // The team's reads are not flagged, and each category names its rule.
    let d = p.decide(
        &csw,
        CaseRelation::Primary,
        RecordKind::Plan,
        Action::Change,
    );
    assert!(!d.review);
    assert_eq!(d.rule_for(LegalCriminal).unwrap().as_str(), "team_full");
}

#[test]
fn several_relations_are_a_union_and_name_the_closest() {
    let p = Policy::builtin();
    let csw = worker("w1", "b", &[CSW]);
    let parties = CaseParties {
        primary: Some("w0".into()),
        secondary: Vec::new(),
        agency: Some("a".into()),
        other_agencies: vec!["b".into()],
        meeting_members: vec!["w1".into()],
    };
    let rels = parties.relations_of(&csw);
    assert_eq!(
        rels,
        vec![CaseRelation::MeetingMember, CaseRelation::OtherAgency]
    );
    // As a meeting member alone: no referral; as both: the referral's identity too.
    assert!(p
        .decide(
            &csw,
            CaseRelation::MeetingMember,
            RecordKind::Referral,
            Action::Change
        )
        .is_empty());
    let d = p.decide_with(&csw, &rels, &[], RecordKind::Referral, Action::Change);
    assert_eq!(d.categories(), vec![Identity]);
    assert_eq!(d.relation, CaseRelation::MeetingMember);
    assert_eq!(
        CaseParties::default().relations_of(&csw),
        vec![CaseRelation::None]
    );
}

const BROKEN_TOML: &str = r#"
remove = ["no_such_rule"]

[[rules]]
id = "Bad Id"
reason = ""
roles = []
relations = ["primary", "neighbour"]
kinds = ["household", "diary"]
actions = ["read", "peek"]
categories = ["identity", "health_disability"]
colour = "red"

[[rules]]
id = "ok_rule"
reason = "fine"
roles = "*"
relations = ["primary"]
kinds = "*"
actions = ["read"]
special_care = ["finances"]

[[rules]]
id = "ok_rule"
reason = "twice"
roles = ["community_social_worker", "community_social_worker"]
relations = ["primary"]
kinds = ["case"]
actions = ["read"]
"#;

#[test]
fn a_policy_with_several_problems_reports_every_one_with_its_path_and_line() {
    let err = Policy::from_toml(BROKEN_TOML, &PolicyEnv::default()).unwrap_err();
    assert_eq!(err.code(), "invalid_access_policy");
    assert_eq!(err.kind(), crate::coded::ErrorKind::RuleDocument);
    let AccessError::InvalidPolicy { problems } = &err else {
        panic!("{err:?}")
    };
    let got: Vec<(&str, &str, Option<u32>)> = problems
        .iter()
        .map(|p| (p.code.as_str(), p.path.as_str(), p.line))
        .collect();
    let expected = [
        ("unknown_rule", "$.remove[0]", Some(2)),
        ("unknown_field", "$.rules[0].colour", Some(12)),
        ("invalid_rule_id", "$.rules[0].id", Some(5)),
        ("empty_reason", "$.rules[0].reason", Some(6)),
        ("empty_list", "$.rules[0].roles", Some(7)),
        ("unknown_code", "$.rules[0].relations[1]", Some(8)),
        ("unknown_code", "$.rules[0].kinds[1]", Some(9)),
        ("unknown_code", "$.rules[0].actions[1]", Some(10)),
        (
            "special_care_in_categories",
            "$.rules[0].categories[1]",
            Some(11),
        ),
        ("not_special_care", "$.rules[1].special_care[0]", Some(21)),
        ("duplicate_rule_id", "$.rules[2].id", Some(24)),
        ("duplicate_entry", "$.rules[2].roles[1]", Some(26)),
        ("grants_nothing", "$.rules[2]", Some(23)),
    ];
    assert_eq!(got, expected, "{problems:#?}");
    // The error's path is the first problem's; its message carries no personal data.
    assert_eq!(err.path().as_deref(), Some("$.remove[0]"));
    let err = Policy::from_toml(
        "remove = [\"no_such_rule\"]\n",
        &PolicyEnv::with_roles([RoleCode::new("community_social_worker")]),
    )
    .unwrap_err();
    let AccessError::InvalidPolicy { problems } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(problems[0].code, "unknown_rule");
    assert_eq!(problems[0].path, "$.remove[0]");
    assert_eq!(problems[0].line, Some(1));
}

#[test]
fn json_documents_report_paths_and_unknown_roles() {
    let doc = r#"{"rules": [{"id": "x", "reason": "r", "roles": ["community_social_worker", "janitor"],
        "relations": "primary", "kinds": "*", "actions": ["read"], "categories": ["identity"],
        "review": "yes"}], "extra": 1}"#;
    let env = PolicyEnv::with_roles([RoleCode::new("community_social_worker")]);
    let err = Policy::from_json(doc, &env).unwrap_err();
    let AccessError::InvalidPolicy { problems } = &err else {
        panic!("{err:?}")
    };
    let got: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.code.as_str(), p.path.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("unknown_field", "$.extra"),
            ("unknown_role", "$.rules[0].roles[1]"),
            ("wrong_type", "$.rules[0].relations"),
            ("wrong_type", "$.rules[0].review"),
        ]
    );
    assert!(problems.iter().all(|p| p.line.is_none()));
    assert_eq!(
        Policy::from_json("{", &env).unwrap_err().code(),
        "malformed_document"
    );
}

#[test]
fn a_municipality_extends_replaces_and_removes_rules() {
    let ext = r#"
remove = ["clerk_registration"]

[[rules]]
id = "team_full"
reason = "this town: the team reads only"
roles = "*"
relations = ["primary"]
kinds = "*"
actions = ["read"]
categories = ["identity"]

[[rules]]
id = "intake_identity"
reason = "名寄せ"
roles = ["community_social_worker"]
relations = ["none"]
kinds = ["person"]
actions = ["read"]
categories = ["identity"]
"#;
    let p = Policy::builtin()
        .extend_toml(ext, &PolicyEnv::default())
        .unwrap();
    assert!(p.rule(&"clerk_registration".into()).is_none());
    assert_eq!(p.rules()[0].id.as_str(), "team_full", "replaced in place");
    assert_eq!(p.rules().last().unwrap().id.as_str(), "intake_identity");
    let csw = worker("w1", "a", &[CSW]);
    assert_eq!(
        p.decide(&csw, CaseRelation::None, RecordKind::Person, Action::Read)
            .categories(),
        vec![Identity]
    );
    assert!(p
        .decide(
            &csw,
            CaseRelation::Primary,
            RecordKind::Plan,
            Action::Change
        )
        .is_empty());
    // A rejected extension changes nothing: the caller keeps the policy it had.
    let before = Policy::builtin().clone();
    assert!(before
        .extend_toml("remove = [\"nope\"]", &PolicyEnv::default())
        .is_err());
    assert_eq!(&before, Policy::builtin());
}

fn tax() -> &'static Taxonomies {
    static TAX: std::sync::OnceLock<Taxonomies> = std::sync::OnceLock::new();
    TAX.get_or_init(Taxonomies::builtin)
}

fn access<'a>(protections: &'a Protections) -> Access<'a> {
    Access {
        policy: Policy::builtin(),
        protections,
        tax: tax(),
    }
}

/// DOMAIN.md §8 and §9: a worker of another agency opens Y-san's record. Before any disclosure
/// nothing is shown; after a consent-based disclosure of identity, household and finances the
/// record is redacted to those — no DV, no disability — and every read is in the view log.
#[test]
fn y_san_opened_by_a_worker_of_another_agency_is_redacted_and_logged() {
    let protections = Protections::default();
    let access = access(&protections);
    let mut log = ViewLog::new();
    let h = y_san();
    let case: CaseId = "case-y".into();
    let parties = CaseParties {
        primary: Some("csw-sato".into()),
        secondary: Vec::new(),
        agency: Some("council".into()),
        other_agencies: vec!["welfare_office".into()],
        meeting_members: Vec::new(),
    };
    let other = worker(
        "caseworker-ito",
        "welfare_office",
        &["consultation_support_worker"],
    );
    let rels = parties.relations_of(&other);
    assert_eq!(rels, vec![CaseRelation::OtherAgency]);
    let req = ReadRequest {
        requester: &other,
        relations: &rels,
        disclosed: &[],
        case: Some(&case),
        at: at(2024, 6, 3, 1),
    };
    let view = access.read_household(&req, &h, &contacts(), &mut log);
    assert_eq!(
        view,
        HouseholdView::default(),
        "nothing before a disclosure"
    );
    assert!(log.is_empty(), "nothing personal was read");

    let disclosed = [Identity, Household, Finances];
    let req = ReadRequest {
        disclosed: &disclosed,
        at: at(2024, 6, 10, 2),
        ..req
    };
    let view = access.read_household(&req, &h, &contacts(), &mut log);
    let json = serde_json::to_string(&view).unwrap();
    assert!(json.contains("山田 花子"), "identity was disclosed");
    assert!(json.contains("income_living_costs"));
    assert!(!json.contains("\"dv\""), "DV is legal_criminal (要配慮)");
    assert!(!json.contains("intellectual"), "the disability is 要配慮");
    assert!(!json.contains("developmental_concern"));
    assert!(
        !json.contains("special_needs_school"),
        "relations not disclosed"
    );
    assert_eq!(
        view.members[0].address.as_deref(),
        Some("仙台市青葉区一番町1-1")
    );
    assert_eq!(view.shown, disclosed.to_vec());

    assert_eq!(log.len(), 1);
    let e = &log.who_viewed(&"y1".into())[0];
    assert_eq!(e.worker.as_str(), "caseworker-ito");
    assert_eq!(e.agency.as_str(), "welfare_office");
    assert_eq!(e.relation, CaseRelation::OtherAgency);
    assert_eq!(e.case.as_ref(), Some(&case));
    assert_eq!(e.categories, disclosed.to_vec());
    assert_eq!(e.rules, vec![PolicyRuleId::from("disclosed_only")]);
    assert!(e.locating);
    assert_eq!(e.outcome, ViewOutcome::Shown);
    assert_eq!(e.persons.len(), 3);
    assert_eq!(log.viewed_by(&"caseworker-ito".into()).len(), 1);
    assert_eq!(log.case_views(&case).len(), 1);
    assert!(log.viewed_by(&"csw-sato".into()).is_empty());

    // The CSW on the case sees the whole record; that read is logged too.
    let csw = worker("csw-sato", "council", &[CSW]);
    let rels = parties.relations_of(&csw);
    let req = ReadRequest {
        requester: &csw,
        relations: &rels,
        disclosed: &[],
        case: Some(&case),
        at: at(2024, 6, 10, 3),
    };
    let view = access.read_household(&req, &h, &contacts(), &mut log);
    let json = serde_json::to_string(&view).unwrap();
    assert!(json.contains("\"dv\"") && json.contains("intellectual"));
    assert!(json.contains("special_needs_school"));
    let who: Vec<String> = log
        .who_viewed(&"y3".into())
        .iter()
        .map(|e| e.worker.to_string())
        .collect();
    assert_eq!(who, ["caseworker-ito", "csw-sato"]);
}

#[test]
fn a_protected_address_is_hidden_and_an_explicit_read_is_refused_and_logged() {
    let protections = Protections::new(vec![AddressProtection {
        person: "y1".into(),
        also: vec!["y2".into(), "y3".into()],
        from: d(2024, 4, 1),
        lifted_on: None,
        allowed: vec!["csw-sato".into()],
    }]);
    let access = access(&protections);
    let mut log = ViewLog::new();
    let h = y_san();
    let case: CaseId = "case-y".into();
    // A colleague at the same window (not named): the record, but no address, area or ties.
    let colleague = worker("csw-suzuki", "council", &[CSW]);
    let rels = [CaseRelation::SameAgency];
    let req = ReadRequest {
        requester: &colleague,
        relations: &rels,
        disclosed: &[],
        case: Some(&case),
        at: at(2024, 6, 10, 1),
    };
    let view = access.read_household(&req, &h, &contacts(), &mut log);
    let json = serde_json::to_string(&view).unwrap();
    assert!(json.contains("山田 花子"));
    for secret in ["一番町", "090-0000", "aoba", "special_needs_school"] {
        assert!(!json.contains(secret), "{secret} leaked: {json}");
    }
    assert!(
        !json.contains("address_restricted"),
        "the restriction itself is DV information"
    );
    assert_eq!(log.len(), 1);
    assert!(!log.get(0).unwrap().locating);

    let err = access
        .read_contact(&req, &h, &contacts()[0], &mut log)
        .unwrap_err();
    assert_eq!(err.code(), "address_restricted");
    assert_eq!(err.path().as_deref(), Some("$.person"));
    assert!(
        !err.to_string().contains("山田"),
        "no personal data in messages"
    );
    assert_eq!(log.len(), 2);
    let refused = log.get(1).unwrap();
    assert_eq!(refused.outcome, ViewOutcome::AddressRestricted);
    assert!(refused.locating && refused.rules.is_empty());
    assert_eq!(refused.persons, vec![PersonId::from("y1")]);

    // The named worker, on the team, sees the address — and sees that it is restricted.
    let sato = worker("csw-sato", "council", &[CSW]);
    let rels = [CaseRelation::Primary];
    let req = ReadRequest {
        requester: &sato,
        relations: &rels,
        ..req
    };
    let view = access.read_household(&req, &h, &contacts(), &mut log);
    assert_eq!(
        view.members[0].address.as_deref(),
        Some("仙台市青葉区一番町1-1")
    );
    assert_eq!(view.members[0].address_restricted, Some(true));
    assert!(view.area.is_some());
    let contact = access
        .read_contact(&req, &h, &contacts()[0], &mut log)
        .unwrap();
    assert_eq!(contact.phone.as_deref(), Some("090-0000-0000"));
    assert_eq!(log.len(), 4);

    // Before the protection starts (the date in Japan decides) the colleague sees the address.
    let req = ReadRequest {
        requester: &colleague,
        relations: &[CaseRelation::SameAgency],
        at: Utc.with_ymd_and_hms(2024, 3, 31, 14, 59, 0).unwrap(),
        ..req
    };
    assert!(access
        .read_contact(&req, &h, &contacts()[0], &mut log)
        .is_ok());
    let req = ReadRequest {
        at: Utc.with_ymd_and_hms(2024, 3, 31, 15, 0, 0).unwrap(),
        ..req
    };
    assert!(access
        .read_contact(&req, &h, &contacts()[0], &mut log)
        .is_err());

    // The administrator is not named: everything else, never the address.
    let admin = worker("boss", "city", &["manager"]);
    let req = ReadRequest {
        requester: &admin,
        relations: &[CaseRelation::None],
        ..req
    };
    let view = access.read_household(&req, &h, &contacts(), &mut log);
    assert!(view.members.iter().all(|m| m.address.is_none()));
    assert_eq!(view.members[0].address_restricted, Some(true));
    assert!(log.to_review().iter().any(|e| e.worker.as_str() == "boss"));
}

#[test]
fn explicit_reads_the_policy_does_not_open_are_refused_and_logged() {
    let protections = Protections::default();
    let access = access(&protections);
    let mut log = ViewLog::new();
    let h = y_san();
    let stranger = worker("w-x", "elsewhere", &[CSW]);
    let req = ReadRequest {
        requester: &stranger,
        relations: &[CaseRelation::None],
        disclosed: &[],
        case: None,
        at: at(2024, 6, 10, 1),
    };
    let err = access
        .read_contact(&req, &h, &contacts()[0], &mut log)
        .unwrap_err();
    assert_eq!(err.code(), "access_denied");
    assert_eq!(log.get(0).unwrap().outcome, ViewOutcome::AccessDenied);
    let err = access
        .read_contact(
            &req,
            &h,
            &ContactDetails {
                person: "nobody".into(),
                address: None,
                phone: None,
                whereabouts: None,
            },
            &mut log,
        )
        .unwrap_err();
    assert_eq!(err.code(), "unknown_person");
    assert_eq!(log.len(), 1);
}

#[test]
fn disclosure_views_lose_area_and_ties_of_a_protected_household() {
    let h = y_san();
    let mut view = crate::disclosure::CaseView {
        case: "c".into(),
        level: crate::disclosure::DisclosureLevel::Full,
        shown: InfoCategory::ALL.to_vec(),
        withheld: Vec::new(),
        household: Some("y".into()),
        area: Some(h.area.clone()),
        members: Vec::new(),
        issues: Vec::new(),
        ties: h.ties.clone(),
    };
    let none = Protections::default();
    assert!(!protect_case_view(&mut view, &h, &none, d(2024, 6, 1)));
    assert!(view.area.is_some());
    let p = Protections::new(vec![AddressProtection {
        person: "y1".into(),
        also: Vec::new(),
        from: d(2024, 4, 1),
        lifted_on: Some(d(2024, 5, 1)),
        allowed: Vec::new(),
    }]);
    assert!(
        !protect_case_view(&mut view, &h, &p, d(2024, 6, 1)),
        "lifted"
    );
    assert!(protect_case_view(&mut view, &h, &p, d(2024, 4, 30)));
    assert!(view.area.is_none() && view.ties.is_empty());
}

#[test]
fn protection_records_validate_their_period() {
    let mut p = AddressProtection {
        person: "y1".into(),
        also: Vec::new(),
        from: d(2024, 4, 1),
        lifted_on: Some(d(2024, 4, 1)),
        allowed: Vec::new(),
    };
    let err = p.validate().unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("empty_period", Some("$.lifted_on".into()))
    );
    p.lifted_on = Some(d(2024, 4, 2));
    assert!(p.validate().is_ok());
    assert!(p.in_force_on(d(2024, 4, 1)) && !p.in_force_on(d(2024, 4, 2)));
}

#[test]
fn the_view_log_exports_pseudonymised_rows() {
    let mut log = ViewLog::new();
    let r = worker("w1", "a1", &[CSW]);
    let persons = [PersonId::from("p1"), PersonId::from("p2")];
    let rules = [PolicyRuleId::from("team_full")];
    let case = CaseId::from("c1");
    log.append(&ViewEvent {
        at: at(2024, 6, 30, 16), // 2024-07-01 in Japan
        requester: &r,
        relation: CaseRelation::Primary,
        kind: RecordKind::Household,
        case: Some(&case),
        household: None,
        persons: &persons,
        categories: &[Identity, HealthDisability],
        locating: false,
        rules: &rules,
        outcome: ViewOutcome::Shown,
        review: false,
    });
    let key = crate::stats::Pseudonymiser::new(b"0123456789abcdef").unwrap();
    let rows = log.export(|domain, id| key.pseudonym(domain, id));
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row.date, d(2024, 7, 1));
    assert_eq!(row.worker, key.pseudonym("worker", "w1"));
    assert_eq!(row.case, Some(key.pseudonym("case", "c1")));
    assert_eq!(row.household, None);
    assert_eq!(
        row.persons,
        vec![key.pseudonym("person", "p1"), key.pseudonym("person", "p2")]
    );
    assert_eq!(row.categories, vec![Identity, HealthDisability]);
    let json = serde_json::to_string(&rows).unwrap();
    for id in ["\"w1\"", "\"a1\"", "\"c1\"", "\"p1\""] {
        assert!(!json.contains(id), "{id} leaked");
    }
    // The record keeps the millisecond.
    assert_eq!(log.get(0).unwrap().at, at(2024, 6, 30, 16));
}

#[test]
fn routing_explanations_lose_area_facts_of_a_protected_household() {
    use crate::routing::{Router, RoutingEnv, RuleSet, Situation};
    let rules = RuleSet::builtin()
        .extend_json(
            r#"{"rules": [{"id": "aoba_window", "description": {"ja": "青葉区", "en": "Aoba"},
                "priority": 50, "when": {"area": ["aoba"]}, "then": {"agency_kind": "social_welfare_council"}}]}"#,
            &RoutingEnv::builtin(),
        )
        .unwrap();
    let router = Router::compile(&rules, RoutingEnv::builtin()).unwrap();
    let h = y_san();
    let situation: Situation = serde_json::from_value(serde_json::json!({
        "consent": "none", "today": "2024-06-01", "urgency": "normal"
    }))
    .unwrap();
    let routing = router.evaluate(&h, &situation);
    let area_facts = |r: &crate::routing::Routing| {
        r.recommendations
            .iter()
            .flat_map(|x| &x.explanation.facts)
            .filter(|f| f.kind == "area")
            .count()
    };
    assert!(
        area_facts(&routing) > 0,
        "the rule explains itself by the area"
    );
    let p = Protections::new(vec![AddressProtection {
        person: "y2".into(),
        also: Vec::new(),
        from: d(2024, 4, 1),
        lifted_on: None,
        allowed: vec!["csw-sato".into()],
    }]);
    let mut named = routing.clone();
    assert!(!protect_routing(
        &mut named,
        &h,
        &p,
        Some(&"csw-sato".into()),
        d(2024, 6, 1)
    ));
    assert_eq!(named, routing);
    let mut anyone = routing.clone();
    assert!(protect_routing(&mut anyone, &h, &p, None, d(2024, 6, 1)));
    assert_eq!(area_facts(&anyone), 0);
    assert_eq!(anyone.recommendations.len(), routing.recommendations.len());
}

#[test]
fn changes_are_authorised_per_category_and_the_log_rebuilds_from_its_records() {
    let p = Policy::builtin();
    let clerk = worker("w2", "council", &["clerk"]);
    let rels = [CaseRelation::SameAgency];
    assert!(p
        .authorise(
            &clerk,
            &rels,
            RecordKind::Person,
            Action::Change,
            &[Identity]
        )
        .is_ok());
    let err = p
        .authorise(
            &clerk,
            &rels,
            RecordKind::Person,
            Action::Change,
            &[Identity, HealthDisability],
        )
        .unwrap_err();
    assert_eq!(err.code(), "access_denied");
    assert!(matches!(
        err,
        AccessError::AccessDenied {
            category: HealthDisability,
            ..
        }
    ));
    assert!(p
        .authorise(
            &clerk,
            &[CaseRelation::None],
            RecordKind::Case,
            Action::Read,
            &[]
        )
        .is_err());

    let protections = Protections::default();
    let access = access(&protections);
    let mut log = ViewLog::new();
    let csw = worker("csw-sato", "council", &[CSW]);
    let req = ReadRequest {
        requester: &csw,
        relations: &[CaseRelation::Primary],
        disclosed: &[],
        case: Some(&"case-y".into()),
        at: at(2024, 6, 10, 3),
    };
    access.read_household(&req, &y_san(), &contacts(), &mut log);
    access
        .read_contact(&req, &y_san(), &contacts()[0], &mut log)
        .unwrap();
    let stored: Vec<ViewRecord> = log.iter().collect();
    let text = serde_json::to_string(&stored).unwrap();
    let mut again = ViewLog::new();
    for r in serde_json::from_str::<Vec<ViewRecord>>(&text).unwrap() {
        again.append_record(&r);
    }
    assert_eq!(again.iter().collect::<Vec<_>>(), stored);
    assert_eq!(again.who_viewed(&"y1".into()).len(), 2);
}

#[test]
fn what_a_disclosure_showed_stays_open_while_its_basis_holds() {
    let consents: Vec<crate::consent::ConsentRecord> = serde_json::from_value(serde_json::json!([{
        "id": "k1", "person": "y1", "scope": ["identity", "household", "finances"],
        "recipients": [{"agency": "welfare_office"}], "legal_basis": "本人同意",
        "method": "written", "answer": "given", "answered_on": "2024-06-01",
        "withdrawn_on": "2024-09-01"
    }]))
    .unwrap();
    let records: Vec<crate::disclosure::ProvisionRecord> =
        serde_json::from_value(serde_json::json!([
            {"on": "2024-06-05", "provider": "council",
             "audience": {"type": "agency", "id": "welfare_office", "kind": "welfare_office"},
             "person": "y1", "case": "case-y", "purpose": "support", "level": "partial",
             "grants": [{"category": "identity", "basis": {"consent": "k1"}},
                        {"category": "finances", "basis": {"consent": "k1"}}]},
            {"on": "2024-06-06", "provider": "council",
             "audience": {"type": "agency", "id": "welfare_office", "kind": "welfare_office"},
             "person": "y1", "case": "case-y", "purpose": "support", "level": "partial",
             "grants": [{"category": "relations", "basis": {"statute": "社会福祉法第106条の6"}}]},
            {"on": "2024-06-06", "provider": "council",
             "audience": {"type": "agency", "id": "other", "kind": "welfare_office"},
             "person": "y1", "case": "case-y", "purpose": "support", "level": "partial",
             "grants": [{"category": "household", "basis": {"statute": "x"}}]}
        ]))
        .unwrap();
    let case: CaseId = "case-y".into();
    let agency: AgencyId = "welfare_office".into();
    assert_eq!(
        disclosed_to_agency(&records, &consents, &case, &agency, d(2024, 7, 1)),
        vec![Identity, Finances, Relations]
    );
    assert_eq!(
        disclosed_to_agency(&records, &consents, &case, &agency, d(2024, 9, 1)),
        vec![Relations],
        "the consent was withdrawn"
    );
    assert!(
        disclosed_to_agency(&records, &consents, &"other".into(), &agency, d(2024, 7, 1))
            .is_empty()
    );
}

#[test]
fn a_policy_has_at_most_max_rules() {
    let rule = |i: usize| PolicyRule {
        id: format!("r{i}").into(),
        reason: "r".into(),
        roles: Roles::Any(Wildcard::Any),
        relations: vec![CaseRelation::Primary],
        kinds: Kinds::Any(Wildcard::Any),
        actions: vec![Action::Read],
        categories: vec![Identity],
        special_care: Vec::new(),
        disclosed: false,
        review: false,
    };
    let doc = |n: usize| PolicyDocument {
        rules: (0..n).map(rule).collect(),
        remove: Vec::new(),
        commands: Vec::new(),
    };
    let empty = Policy::from_json(r#"{"rules": []}"#, &PolicyEnv::default()).unwrap();
    assert!(empty
        .extend(&doc(load::MAX_RULES), &PolicyEnv::default())
        .is_ok());
    let err = empty
        .extend(&doc(load::MAX_RULES + 1), &PolicyEnv::default())
        .unwrap_err();
    let AccessError::InvalidPolicy { problems } = err else {
        panic!()
    };
    assert_eq!(problems[0].code, "too_many_rules");
}

#[test]
fn the_builtin_policy_names_only_the_builtin_roles() {
    // The default policy and the roles of the worker area (core/data/roles.toml) are one
    // vocabulary: every role the policy names must be a role a worker can hold.
    let roles = crate::worker::Roles::builtin();
    let env = PolicyEnv::with_roles(roles.roles().iter().map(|r| r.code.clone()));
    Policy::from_toml(Policy::builtin_text(), &env).expect("the built-in policy names known roles");
}
