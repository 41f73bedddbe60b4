//! `tests/vectors/errors/classes.json` lists every error code with its kind and its class in each
//! language. This checks it against the core: the same codes as `all_codes()`, each with the kind
//! `kind_of_code` gives and that an example error of the code reports, and each code's classes
//! those of its kind (`kinds`), so the vector cannot drift from the core.

use serde_json::Value;
use tsunagu::error::{all_codes, kind_of_code, ErrorKind};

fn vector() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/errors/classes.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("classes.json")).expect("JSON")
}

#[test]
fn every_code_is_listed_with_its_kind() {
    let doc = vector();
    let codes = doc["codes"].as_array().expect("codes");
    let listed: Vec<&str> = codes.iter().map(|c| c["code"].as_str().unwrap()).collect();
    assert_eq!(
        listed,
        all_codes(),
        "classes.json lists every code once, sorted"
    );
    for c in codes {
        let code = c["code"].as_str().unwrap();
        let kind = kind_of_code(code).expect("a kind");
        assert_eq!(c["kind"], kind.as_str(), "{code}");
        let example = tsunagu::Error::example(code).expect("an example");
        assert_eq!((example.code(), example.kind()), (code, kind));
        let classes = &doc["kinds"][kind.as_str()];
        for lang in ["python", "javascript", "kotlin", "swift"] {
            assert_eq!(c[lang], classes[lang], "{code} in {lang}");
        }
    }
}

#[test]
fn every_kind_has_a_class_in_every_language() {
    let doc = vector();
    for kind in ErrorKind::ALL {
        for lang in ["python", "javascript", "kotlin", "swift"] {
            assert!(
                !doc["kinds"][kind.as_str()][lang].is_null(),
                "{kind} has no {lang} class"
            );
        }
    }
}
