//! Tests of the routing module: loading, validation, predicates, explanations, scenarios.

use super::*;

#[test]
fn builtin_rules_are_valid() {
    let env = RoutingEnv::builtin();
    let set = RuleSet::from_toml(RuleSet::builtin_text(), &env);
    match set {
        Ok(set) => assert!(set.rules().len() > 10),
        Err(e) => panic!("{e:#?}"),
    }
}
