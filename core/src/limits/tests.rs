use super::*;
use crate::coded::Coded;

#[test]
fn the_defaults_are_the_documented_ones_and_valid() {
    let l = Limits::default();
    assert_eq!(l.document_bytes, 16 << 20);
    assert_eq!(l.nesting_depth, 64);
    assert_eq!(l.household_members, 200);
    assert_eq!(l.rules_per_document, 5_000);
    assert_eq!(l.conditions_per_rule, 256);
    assert_eq!(l.jsonl_line_bytes, DEFAULT_JSONL_LINE_BYTES);
    assert_eq!(l.id_bytes, 128);
    l.validate().unwrap();
}

#[test]
fn a_municipality_changes_only_what_it_names() {
    let l = Limits::from_toml("household_members = 400\n").unwrap();
    assert_eq!(l.household_members, 400);
    assert_eq!(l.rules_per_document, Limits::default().rules_per_document);
    let l = Limits::from_json(r#"{"id_bytes": 64}"#).unwrap();
    assert_eq!(l.id_bytes, 64);
    let e = Limits::from_toml("nesting_depth = 500\n").unwrap_err();
    assert_eq!(e.code(), "invalid_limit");
    assert_eq!(e.path().as_deref(), Some("$.nesting_depth"));
    assert_eq!(
        Limits::from_json(r#"{"id_bytes": 0}"#).unwrap_err().code(),
        "invalid_limit"
    );
    assert_eq!(
        Limits::from_json(r#"{"members": 3}"#).unwrap_err().code(),
        "malformed_document"
    );
}

#[test]
fn an_exceeded_limit_names_itself_its_value_and_the_path() {
    let e = Limits::default()
        .check(Limit::HouseholdMembers, 201, "$.members")
        .unwrap_err();
    assert_eq!(e.code(), "limit_exceeded");
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert_eq!(e.path().as_deref(), Some("$.members"));
    let text = e.to_string();
    assert!(
        text.contains("household_members") && text.contains("200"),
        "{text}"
    );
    assert!(Limits::default()
        .check(Limit::HouseholdMembers, 200, "$.members")
        .is_ok());
}

#[test]
fn json_depth_counts_brackets_outside_strings_only() {
    assert_eq!(json_depth(r#"{"a":[1,{"b":2}]}"#, 3), None);
    assert_eq!(
        json_depth(r#"{"a":[1,{"b":2}]}"#, 2),
        Some(TooDeep { depth: 3, line: 1 })
    );
    assert_eq!(json_depth(r#"{"a":"[[[[[[\"[[[["}"#, 1), None);
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(json_depth(&deep, 64).map(|d| d.depth), Some(65));
    let e = Limits::default().check_json_text(&deep).unwrap_err();
    assert_eq!(e.code(), "limit_exceeded");
    assert_eq!(e.limit(), Some(Limit::NestingDepth));
}

#[test]
fn toml_depth_counts_headers_and_inline_values() {
    let text = "[a.b]\nx = [[1], {y = \"[[[\"}] # [[[[\n[[rules]]\nid = 'x[['\n";
    assert_eq!(toml_depth(text, 4), None);
    assert_eq!(toml_depth(text, 3).map(|d| (d.depth, d.line)), Some((4, 2)));
    let header = format!("[{}]\n", ["a"; 10].join("."));
    assert_eq!(toml_depth(&header, 9).map(|d| d.depth), Some(10));
    let multi = "s = \"\"\"\n[[[[\n\"\"\"\nt = [[[1]]]\n";
    assert_eq!(toml_depth(multi, 3), None);
    assert_eq!(toml_depth(multi, 2).map(|d| d.line), Some(4));
}

#[test]
fn document_bytes_are_checked_before_parsing() {
    let small = Limits::default().with(Limit::DocumentBytes, 10);
    let e = small
        .from_json_text::<serde_json::Value>(r#"{"a": "0123456789"}"#)
        .unwrap_err();
    assert_eq!(e.limit(), Some(Limit::DocumentBytes));
    assert_eq!(e.path().as_deref(), Some("$"));
    assert!(small.from_json_text::<serde_json::Value>("[1]").is_ok());
}
