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
        "refused: consent_required",
        "refused: not_authorised",
        "c-y → multi_layered_support_meeting",
        "Case c-y is active at window sendai-council",
        "best candidate r-parents",
        "match is now tried",
        "follow-ups due (定着支援): m-y (2 days overdue)",
        "state equals the state the commands produced",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let book = tsunagu::registry::CaseBook::open_file(&path, "check").unwrap();
    // One provision record: the 支援会議 on the statute; the refused 重層的支援会議 left none.
    assert_eq!(book.registry().access_log(&"y-mother".into()).len(), 1);
    assert!(book.journal().len() > 20);
}
