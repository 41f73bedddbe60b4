//! Routing rule documents in TOML: loaded alone and over the defaults; any text is a rule set
//! or a typed error, and a loaded set compiles and routes an empty household.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use tsunagu::routing::{RoutingEnv, RuleSet};

fn env() -> &'static (RoutingEnv, RuleSet) {
    static ENV: OnceLock<(RoutingEnv, RuleSet)> = OnceLock::new();
    ENV.get_or_init(|| (RoutingEnv::builtin(), RuleSet::builtin()))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (env, builtin) = env();
    let _ = RuleSet::from_toml(text, env);
    if let Ok(set) = builtin.extend_toml(text, env) {
        let _ = tsunagu::routing::Router::compile(&set, env.clone());
    }
});
