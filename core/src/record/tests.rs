//! Tests of the record's own rules: the built-in kinds, their extension, and the outreach
//! stage invariants over any sequence of steps.

use super::*;
use crate::coded::Coded;
use crate::ids::CaseId;
use chrono::{Duration, NaiveDate};
use proptest::prelude::*;

#[test]
fn builtin_kinds_cover_the_practice_and_extend_without_replacing() {
    let k = RecordKinds::builtin();
    for code in [
        "interview",
        "phone",
        "home_visit",
        "accompanied_support",
        "visit_not_home",
        "letter",
        "email",
    ] {
        assert!(k.entry_kind(&code.into()).is_some(), "{code}");
    }
    assert_eq!(
        k.entry_kind(&"visit_not_home".into()).unwrap().contact,
        Reach::None
    );
    assert_eq!(
        k.entry_kind(&"home_visit".into()).unwrap().label().ja,
        "家庭訪問"
    );
    assert!(k.attachment_kind(&"disaster_certificate".into()).is_some());
    assert_eq!(k.limits().max_blob_bytes, 1_048_576);

    let ext: RecordKindsDocument = crate::coded::from_toml(
        r#"
        limits = { max_blob_bytes = 2048 }
        [[entry_kinds]]
        code = "online"
        ja = "オンライン面談"
        en = "Online interview"
        contact = "remote"
        "#,
    )
    .unwrap();
    let k2 = k.extended(&ext, "$").unwrap();
    assert_eq!(k2.limits().max_blob_bytes, 2048);
    assert_eq!(k2.entry_kinds().len(), k.entry_kinds().len() + 1);
    let mut bad = ext.clone();
    bad.entry_kinds[0].code = "Online".into();
    let e = k.extended(&bad, "$.kinds").unwrap_err();
    assert_eq!(
        (e.code(), e.path().as_deref()),
        ("invalid_code", Some("$.kinds.entry_kinds[0].code"))
    );
    bad.entry_kinds[0].code = "phone".into();
    assert_eq!(k.extended(&bad, "$").unwrap_err().code(), "duplicate_code");
    bad.entry_kinds[0].code = "new_one".into();
    bad.entry_kinds[0].ja = " ".into();
    let e = k.extended(&bad, "$").unwrap_err();
    assert_eq!(
        (e.code(), e.path().as_deref()),
        ("empty_text", Some("$.entry_kinds[0].ja"))
    );
}

fn step(kind: u8, day: u16, n: u8, i: usize) -> OutreachCommand {
    let on = NaiveDate::from_ymd_opt(2024, 4, 1).unwrap() + Duration::days(i64::from(day));
    let stage = RelationshipStage::ALL[usize::from(n) % 4];
    match kind % 5 {
        0 | 1 => OutreachCommand::Attempt {
            attempt: OutreachAttempt {
                id: format!("a{i}").into(),
                on,
                at: None,
                method: "home_visit".into(),
                outcome: AttemptOutcome::ALL[usize::from(n) % 6],
                stage: (n % 3 == 0).then_some(stage),
                note: None,
                by: None,
            },
        },
        2 => OutreachCommand::SetStage {
            on,
            stage,
            by: None,
        },
        3 => OutreachCommand::KeepConnected { on },
        _ => OutreachCommand::StopKeepingConnected { on },
    }
}

proptest! {
    /// Whatever steps come, in any order: a stage above 未接触 only once the person was reached,
    /// never 未接触 again after; stage changes in date order and chained (each from the stage
    /// before); keeping-connected periods ordered and at most the last one open; a rejected
    /// step leaves the track as it was.
    #[test]
    fn outreach_track_invariants(
        raw in proptest::collection::vec((any::<u8>(), 0u16..200, any::<u8>()), 0..60),
        planned in any::<bool>(),
    ) {
        let case = CaseId::from("c");
        let plan = crate::ids::PlanId::from("p");
        let kinds = RecordKinds::builtin();
        let mut t = OutreachTrack::default();
        for (i, &(k, d, n)) in raw.iter().enumerate() {
            let cmd = step(k, d, n, i);
            match t.applied(&case, &cmd, planned.then_some(&plan), &kinds, "$.action") {
                Ok(next) => t = next,
                Err(e) => {
                    prop_assert!(e.path().is_none_or(|p| p.starts_with("$.action")));
                    if planned && matches!(cmd, OutreachCommand::KeepConnected { .. }) {
                        prop_assert_eq!(e.code(), "case_has_plan");
                    }
                }
            }
            prop_assert_eq!(t.stage > RelationshipStage::NotContacted, t.reached_on.is_some());
            let mut stage = RelationshipStage::NotContacted;
            for w in &t.stages {
                prop_assert_eq!(w.from, stage);
                prop_assert_ne!(w.from, w.to);
                stage = w.to;
            }
            prop_assert_eq!(stage, t.stage);
            prop_assert!(t.stages.windows(2).all(|w| w[0].on <= w[1].on));
            for (j, p) in t.kept.iter().enumerate() {
                prop_assert!(p.to.is_none_or(|to| to >= p.from));
                prop_assert!(p.to.is_some() || j + 1 == t.kept.len());
                if j > 0 {
                    prop_assert!(p.from >= t.kept[j - 1].to.unwrap());
                }
            }
            if planned {
                prop_assert!(t.kept.is_empty());
            }
        }
    }
}
