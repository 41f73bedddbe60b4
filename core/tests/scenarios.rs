//! Scenario tests from the seeds (DOMAIN.md §8): Y-san's and Kobayashi-san's households are built
//! from the shared fixtures, the patterns a practitioner would name are detected, and each case
//! walks its lifecycle through the registry. A registry replayed from the accepted events equals
//! the registry the commands produced.

use serde_json::{json, Value};
use tsunagu::household::Household;
use tsunagu::patterns::{detect_patterns, Pattern, PatternSettings};
use tsunagu::taxonomy::Taxonomies;

const KOBAYASHI: &str = include_str!("../../tests/fixtures/kobayashi_household.json");

mod common;
use common::{d, Book, AGENCIES, Y_SAN};

fn patterns_of(text: &str, today: &str) -> Vec<Pattern> {
    let tax = Taxonomies::builtin();
    let h: Household = serde_json::from_str(text).unwrap();
    h.validate(&tax, d(today)).unwrap();
    let dir = tsunagu::agency::Directory::from_json(AGENCIES, &tax).unwrap();
    detect_patterns(&h, &tax, &dir, &PatternSettings::default(), d(today))
        .into_iter()
        .map(|f| f.pattern)
        .collect()
}

#[test]
fn y_san_household_is_multi_problem_without_young_carer() {
    let found = patterns_of(Y_SAN, "2023-06-05");
    assert!(found.contains(&Pattern::MultiProblem), "{found:?}");
    assert!(!found.contains(&Pattern::YoungCarer));
    assert!(!found.contains(&Pattern::EightyFifty));
    // Every need has a window in Sendai's directory: no 制度の狭間.
    assert!(!found.contains(&Pattern::ServiceGap), "{found:?}");
}

#[test]
fn kobayashi_household_is_double_care_and_multi_problem() {
    let found = patterns_of(KOBAYASHI, "2023-10-01");
    assert!(found.contains(&Pattern::DoubleCare), "{found:?}");
    assert!(found.contains(&Pattern::MultiProblem), "{found:?}");
    assert!(!found.contains(&Pattern::YoungCarer));
}

#[test]
fn kobayashi_case_walks_to_transferred_closure_only_after_acceptance() {
    let mut b = Book::with_agencies("2023-04-01");
    let h: Value = serde_json::from_str(KOBAYASHI).unwrap();
    b.ok(
        "2023-10-02",
        json!({ "command": "register_household", "household": h }),
    );
    b.ok(
        "2023-10-02",
        json!({ "command": "open_case", "case": "c-k", "household": "h-k", "subject": "k-mother",
        "responsible_window": "sendai-council",
        "intake": { "channel": "phone", "receiving_window": "sendai-council", "on": "2023-10-02",
                    "chief_complaint": "母の退院後の介護と、医療費の支払いが不安" } }),
    );
    assert_eq!(b.state("c-k"), "intake");
    // Deciding before any assessment is an illegal transition, and changes nothing.
    let (code, _) = b.err("2023-10-03", json!({ "command": "case", "case": "c-k", "action": { "action": "decide", "outcome": "handed_over" } }));
    assert_eq!(code, "illegal_transition");
    b.case("2023-10-03", "c-k", json!({ "action": "begin_assessment" }));
    b.case("2023-10-03", "c-k", json!({ "action": "record_assessment", "assessment": {
        "on": "2023-10-03", "wishes": "仕事を続けながら母を家で看たい", "urgency": "normal",
        "issues": [ { "member": "k-grandmother", "issues": ["hospital_discharge", "long_term_care"] },
                    { "member": "k-mother", "issues": ["medical_costs", "income_living_costs"] } ] } }));
    b.case(
        "2023-10-04",
        "c-k",
        json!({ "action": "decide", "outcome": "handed_over" }),
    );
    assert_eq!(b.state("c-k"), "handing_over");
    // "Not our field" is never a closing reason: transferred needs an accepted referral.
    let (code, _) = b.err("2023-10-05", json!({ "command": "case", "case": "c-k", "action": { "action": "close", "reason": "transferred", "on": "2023-10-05" } }));
    assert_eq!(code, "referral_not_accepted");
    b.ok("2023-10-05", json!({ "command": "propose_referral", "proposal": { "id": "r-k", "case": "c-k", "household": "h-k",
        "from": "sendai-council", "to": "izumi-houkatsu", "transfers_responsibility": true,
        "purpose": "退院前の要介護認定と福祉用具の調整", "on": "2023-10-05" } }));
    b.ok("2023-10-05", json!({ "command": "referral", "referral": "r-k", "actor": "sendai-council", "action": { "action": "send", "on": "2023-10-05" } }));
    // The receiver declines: the referral returns to the sender's queue with next options.
    b.ok("2023-10-06", json!({ "command": "referral", "referral": "r-k", "actor": "izumi-houkatsu",
        "action": { "action": "decline", "on": "2023-10-06", "reason": { "code": "no_capacity" } } }));
    let queue = b.reg.sender_queue(d("2023-10-06"));
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].sender.as_str(), "sendai-council");
    assert!(!queue[0].next_options.is_empty());
    assert!(queue[0]
        .next_options
        .iter()
        .all(|a| a.as_str() != "izumi-houkatsu"));
    let (code, _) = b.err("2023-10-06", json!({ "command": "case", "case": "c-k", "action": { "action": "close", "reason": "transferred", "on": "2023-10-06", "referral": "r-k" } }));
    assert_eq!(code, "referral_not_accepted");
    // A second referral, to the hospital's discharge support, is accepted.
    b.ok("2023-10-07", json!({ "command": "propose_referral", "proposal": { "id": "r-k2", "case": "c-k", "household": "h-k",
        "from": "sendai-council", "to": "hospital-msw", "transfers_responsibility": true,
        "purpose": "退院支援と高額療養費の申請", "on": "2023-10-07" } }));
    b.ok("2023-10-07", json!({ "command": "referral", "referral": "r-k2", "actor": "sendai-council", "action": { "action": "send", "on": "2023-10-07" } }));
    assert!(
        b.reg.sender_queue(d("2023-10-07")).is_empty(),
        "a newer sent referral clears the queue"
    );
    let (code, _) = b.err("2023-10-08", json!({ "command": "referral", "referral": "r-k2", "actor": "izumi-houkatsu", "action": { "action": "accept", "on": "2023-10-08" } }));
    assert_eq!(code, "not_authorised");
    b.ok("2023-10-09", json!({ "command": "referral", "referral": "r-k2", "actor": "hospital-msw", "action": { "action": "accept", "on": "2023-10-09" } }));
    b.case("2023-10-10", "c-k", json!({ "action": "close", "reason": "transferred", "on": "2023-10-10", "referral": "r-k2" }));
    assert_eq!(b.state("c-k"), "closed");
    // A closed case accepts nothing but reopening.
    let (code, _) = b.err(
        "2023-10-11",
        json!({ "command": "case", "case": "c-k", "action": { "action": "begin_assessment" } }),
    );
    assert_eq!(code, "illegal_transition");
    b.case(
        "2024-05-01",
        "c-k",
        json!({ "action": "reopen", "on": "2024-05-01" }),
    );
    assert_eq!(b.state("c-k"), "assessment");
    b.assert_replays();
}

#[test]
fn outreach_case_starts_before_engagement_and_carries_over_the_fiscal_year() {
    let mut b = Book::with_agencies("2023-04-01");
    let h = json!({ "id": "h-8050", "area": { "daily_life_area": "sendai-aoba" }, "members": [
        { "id": "p1", "relation": "head", "approx_age": 82, "employment": "retired" },
        { "id": "p2", "relation": "child", "approx_age": 52, "employment": "unemployed", "engagement": "not_engaging", "issues": ["hikikomori"] } ] });
    b.ok(
        "2024-02-01",
        json!({ "command": "register_household", "household": h }),
    );
    let found: Vec<Pattern> = b
        .reg
        .patterns(&"h-8050".into(), d("2024-02-01"))
        .unwrap()
        .into_iter()
        .map(|f| f.pattern)
        .collect();
    assert!(found.contains(&Pattern::EightyFifty), "{found:?}");
    b.ok("2024-02-01", json!({ "command": "open_outreach_case", "case": "c-o", "household": "h-8050", "subject": "p2",
        "responsible_window": "sendai-council",
        "outreach": { "on": "2024-02-01", "source": "community_report", "concern": "民生委員から: 息子さんを長く見かけない" } }));
    assert_eq!(b.state("c-o"), "outreach");
    let (code, _) = b.err(
        "2024-02-02",
        json!({ "command": "case", "case": "c-o", "action": { "action": "begin_assessment" } }),
    );
    assert_eq!(code, "illegal_transition");
    b.case("2024-03-15", "c-o", json!({ "action": "engage", "intake": { "channel": "home_visit", "receiving_window": "sendai-council",
        "chief_complaint": "（父）息子の将来が心配", "on": "2024-03-15" } }));
    assert_eq!(b.state("c-o"), "intake");
    // Carried into 令和6年度 (2024) on 2024-04-01; not into a year that has not begun.
    let (code, _) = b.err("2024-03-20", json!({ "command": "case", "case": "c-o", "action": { "action": "carry_over", "into": 2024 } }));
    assert_eq!(code, "invalid_carry_over");
    b.case(
        "2024-04-01",
        "c-o",
        json!({ "action": "carry_over", "into": 2024 }),
    );
    assert_eq!(
        b.reg.case(&"c-o".into()).unwrap().fiscal_years(),
        &[2023, 2024]
    );
    b.assert_replays();
}

#[test]
fn bad_input_is_a_typed_error_with_a_path_and_changes_nothing() {
    let mut b = Book::with_agencies("2023-04-01");
    let mut h: Value = serde_json::from_str(Y_SAN).unwrap();
    h["members"][2]["birth_date"] = json!("2030-01-01");
    let r = b.run(
        "2023-06-05",
        json!({ "command": "register_household", "household": h }),
    );
    let e = r.unwrap_err();
    assert_eq!(e.code(), "birth_date_in_future");
    assert_eq!(e.path().as_deref(), Some("$.members[2].birth_date"));
    assert!(b.reg.households().next().is_none());
    let (code, _) = b.err("2023-06-05", json!({ "command": "open_case", "case": "c", "household": "nope", "subject": "x",
        "responsible_window": "sendai-council",
        "intake": { "channel": "walk_in", "receiving_window": "sendai-council", "chief_complaint": "x", "on": "2023-06-05" } }));
    assert_eq!(code, "not_found");
}
