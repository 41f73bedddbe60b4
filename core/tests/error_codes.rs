//! Error codes are a public contract: never renamed or reused. This snapshot fails when the list
//! changes; review the change, then accept it with `cargo insta accept` (or INSTA_UPDATE=always).

#[test]
fn error_codes_are_stable_snake_case_and_unique() {
    let codes = tsunagu::error::all_codes();
    for c in &codes {
        assert!(
            !c.is_empty() && c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'),
            "code {c:?} is not snake_case"
        );
        assert_ne!(*c, "not_implemented", "a stub error code is still listed");
    }
    insta::assert_json_snapshot!("error_codes", codes);
}
