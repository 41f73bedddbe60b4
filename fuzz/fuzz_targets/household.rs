//! Household documents: any text is a valid household or a typed error; a valid household
//! routes and its composite patterns are detected without a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use tsunagu::household::Household;
use tsunagu::routing::{Router, RoutingEnv, RuleSet};

fn router() -> &'static Router {
    static ROUTER: OnceLock<Router> = OnceLock::new();
    ROUTER.get_or_init(|| Router::compile(&RuleSet::builtin(), RoutingEnv::builtin()).unwrap())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    let tax = &router().env().taxonomies;
    if let Ok(h) = Household::from_json(text, tax, today) {
        let _ = router().evaluate(&h, &tsunagu::routing::Situation::new(today));
    }
});
