//! Property-based fuzzing of every text parser the bindings expose: arbitrary input is answered
//! with a value or a typed error, never a panic (a panic would cross a binding).

use proptest::prelude::*;
use tsunagu::calendar::{parse_era_date, parse_fiscal_year};
use tsunagu::error::{from_json, from_toml};
use tsunagu::household::Household;
use tsunagu::registry::Command;
use tsunagu::taxonomy::{Taxonomies, TaxonomyDocument};
use tsunagu::Coded;

fn era_like() -> impl Strategy<Value = String> {
    // Mixes the characters era dates are made of with arbitrary text.
    prop_oneof![
        "[明大昭平令和元年月日度RHSTMrhstm0-9０-９.．/ー\\-（）木㋿]{0,16}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn era_and_fiscal_parsers_never_panic(text in era_like()) {
        let _ = parse_era_date(&text);
        let _ = parse_fiscal_year(&text);
    }

    #[test]
    fn document_parsers_never_panic(text in any::<String>()) {
        let tax = Taxonomies::builtin();
        let _ = from_json::<Command>(&text);
        let _ = from_json::<Household>(&text);
        let _ = from_toml::<TaxonomyDocument>(&text);
        let _ = tax.clone().extend_json(&text);
        let _ = tax.clone().extend_toml(&text);
    }

    #[test]
    fn json_shaped_garbage_is_a_typed_error(key in "[a-z_]{1,12}", value in any::<i64>()) {
        let text = format!(r#"{{"command":"{key}","{key}":{value}}}"#);
        if let Err(e) = from_json::<Command>(&text) {
            prop_assert_eq!(e.code(), "malformed_document");
        }
    }
}
