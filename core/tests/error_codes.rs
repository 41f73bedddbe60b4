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

/// Every code has exactly one kind; the code → kind table is a public contract beside the codes
/// (bindings choose their error class by kind).
#[test]
fn every_code_has_one_kind() {
    let codes = tsunagu::error::all_codes();
    let table: Vec<&str> = tsunagu::error::KINDS.iter().map(|(c, _)| *c).collect();
    assert_eq!(table, codes, "KINDS lists every code once, sorted");
    let kinds: std::collections::BTreeMap<&str, &str> = tsunagu::error::KINDS
        .iter()
        .map(|(c, k)| (*c, k.as_str()))
        .collect();
    for kind in tsunagu::error::ErrorKind::ALL {
        assert!(
            tsunagu::error::KINDS.iter().any(|(_, k)| k == kind),
            "kind {kind} has no code"
        );
    }
    for code in &codes {
        let e = tsunagu::Error::example(code).expect("an example of every code");
        assert_eq!(e.code(), *code);
        assert_eq!(Some(e.kind()), tsunagu::error::kind_of_code(code));
    }
    insta::assert_json_snapshot!("error_kinds", kinds);
}
