//! The README's tour runs as a test: it must complete on a journal file, its key steps must say
//! what happened, and the reopened journal must replay to the same state.
#![cfg(feature = "sqlite")]

#[path = "../examples/tour.rs"]
mod tour;

#[test]
fn tour_runs_and_reports_each_step() {
    let mut out = Vec::new();
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("tour-test.journal.sqlite");
    tour::run_on_file(&mut out, &path).expect("tour completes");
    let text = String::from_utf8(out).unwrap();
    for expected in [
        "pattern multi_problem",
        // Routing with its explanations; her DV is past, so nothing is immediate.
        "register household h-y (DV recorded as past)",
        "route 1 multi_agency.composite",
        "because issues in 4 domains",
        "route 4 window.poverty",
        "because member y-mother has issue income_living_costs",
        "0 immediate recommendations",
        "refused: consent_required",
        "refused: not_authorised",
        "c-y → multi_layered_support_meeting",
        "Case c-y is active at window sendai-council",
        "best candidate r-parents",
        "match is now tried",
        "follow-ups due (定着支援): m-y (2 days overdue)",
        "state equals the state the commands produced",
        "佐藤 becomes 主担当 of case c-y",
        "refused: actor_required",
        "佐藤's worklist: 1 overdue",
        "定着支援（r-parents）",
        "訪問したが不在",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let routing = text
        .split("routing (振り分け)")
        .nth(1)
        .and_then(|t| t.split("open case c-y").next())
        .expect("the tour shows the routing");
    assert!(
        !routing.contains("route 1 immediate") && !routing.contains("(immediate"),
        "no immediate recommendation for a past DV:\n{routing}"
    );
    assert!(!routing.contains("because member y-mother has issue dv"));
    let book = tsunagu::registry::CaseBook::open_file(&path, "check").unwrap();
    // One provision record: the 支援会議 on the statute; the refused 重層的支援会議 left none.
    assert_eq!(book.registry().access_log(&"y-mother".into()).len(), 1);
    assert!(book.journal().len() > 20);
}
