//! The README's tour runs as a test: it must complete, and its key steps must say what happened.

#[path = "../examples/tour.rs"]
mod tour;

#[test]
fn tour_runs_and_reports_each_step() {
    let mut out = Vec::new();
    let reg = tour::run(&mut out).expect("tour completes");
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("pattern multi_problem"), "{text}");
    assert!(text.contains("refused: consent_required"), "{text}");
    assert!(text.contains("refused: not_authorised"), "{text}");
    assert!(
        text.contains("c-y → multi_layered_support_meeting"),
        "{text}"
    );
    let case = reg.case(&"c-y".into()).unwrap();
    assert_eq!(case.state().kind().code(), "active");
    assert_eq!(case.responsible_window().as_str(), "sendai-council");
    // One provision record: the 支援会議 on the statute; the refused 重層的支援会議 left none.
    assert_eq!(reg.access_log(&"y-mother".into()).len(), 1);
}
