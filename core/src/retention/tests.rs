use super::*;

#[test]
fn builtin_policy_is_valid_and_counts_from_the_next_april() {
    let p = RetentionPolicy::builtin();
    p.validate().unwrap();
    assert_eq!(p.rule_for("resolved").unwrap().id, "case_record");
    assert_eq!(
        p.rule_for("information_provided").unwrap().id,
        "consultation_only"
    );
    let on = |s: &str| s.parse::<NaiveDate>().unwrap();
    // Closed in FY2023 (2023-04-01 … 2024-03-31): five years from 2024-04-01.
    assert_eq!(due_on(on("2023-06-30"), 5), Some(on("2029-04-01")));
    assert_eq!(due_on(on("2024-03-31"), 5), Some(on("2029-04-01")));
    assert_eq!(due_on(on("2024-04-01"), 5), Some(on("2030-04-01")));
}

#[test]
fn a_bad_policy_lists_every_problem() {
    let err = RetentionPolicy::from_toml(
        r#"
        [[rule]]
        id = "a"
        record_kind = "case_record"
        ja = "a"
        years = 0
        basis = "x"
        [[rule]]
        id = "a"
        record_kind = "case_record"
        ja = "b"
        years = 5
        basis = "x"
        "#,
    )
    .unwrap_err();
    assert_eq!(err.code(), "invalid_retention_policy");
    let RetentionError::InvalidPolicy { problems } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        problems,
        &vec![
            "$.rule[0].years".to_string(),
            "$.rule[1].id".to_string(),
            "$.rule".to_string()
        ]
    );
    let err = RetentionPolicy::from_toml("[[rule]]\nid = 1").unwrap_err();
    assert_eq!(err.code(), "malformed_document");
}
