//! Routing (振り分け): where a household's situation should go, with the facts behind every
//! recommendation, from the built-in rules or a municipality's rule document.

use crate::convert::{from_js, json_text, to_js_value};
use crate::error::{to_js, JsResult};
use crate::Engine;
use tsunagu::household::Household;
use tsunagu::routing::{Router, RoutingEnv, RuleSet, Situation};
use wasm_bindgen::prelude::*;

impl Engine {
    /// The routing environment: the engine's taxonomy and directory; with no agencies loaded, the
    /// core's reference directory (`RoutingEnv::builtin`) stands in, as the core documents.
    fn routing_env(&self) -> RoutingEnv {
        if self.directory.agencies().is_empty() {
            let mut env = RoutingEnv::builtin();
            env.taxonomies = self.tax.clone();
            env
        } else {
            RoutingEnv::new(self.tax.clone(), self.directory.clone())
        }
    }

    /// The compiled router (compiled once per configuration).
    pub(crate) fn router(&self) -> JsResult<&Router> {
        if let Some(r) = self.router.get() {
            return Ok(r);
        }
        let env = self.routing_env();
        let mut set = if self.builtin_rules {
            RuleSet::builtin()
        } else {
            RuleSet::empty()
        };
        // Each document is validated from its JSON text by the core, so a document of the wrong
        // shape reports every problem (`invalid_rule_document`) as it does in Rust.
        for doc in &self.rule_docs {
            set = set.extend_json(doc, &env).map_err(to_js)?;
        }
        let router = Router::compile(&set, env).map_err(to_js)?;
        Ok(self.router.get_or_init(|| router))
    }
}

#[wasm_bindgen]
impl Engine {
    /// Replace the municipality's rule document (extends or overrides the built-in rules by id);
    /// `null` returns to the built-in rules. Validated now; on error nothing changes.
    ///
    /// Codes: `malformed_document`, `invalid_rule_document` (every problem in the message and in
    /// the error's `problems`: `{code, rule, path}`), `rule_set_too_large`.
    #[wasm_bindgen(js_name = setRules)]
    pub fn set_rules(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "RuleDocument | null")] rules: JsValue,
    ) -> JsResult<()> {
        let docs = if rules.is_null() || rules.is_undefined() {
            Vec::new()
        } else {
            vec![json_text(&rules, "$")?]
        };
        self.replace_rules(docs)
    }

    /// Apply one more rule document on top of the rules in force (the documents accumulate, as
    /// `RuleSet::extend_json` on the current set). Validated now; on error nothing changes.
    ///
    /// Codes: those of `setRules`.
    #[wasm_bindgen(js_name = extendRules)]
    pub fn extend_rules(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "RuleDocument")] rules: JsValue,
    ) -> JsResult<()> {
        let mut docs = self.rule_docs.clone();
        docs.push(json_text(&rules, "$")?);
        self.replace_rules(docs)
    }

    /// Number of rules in force (the base rules with the configured documents applied).
    ///
    /// Codes: those of `setRules` for the configured rules.
    #[wasm_bindgen(js_name = ruleCount)]
    pub fn rule_count(&self) -> JsResult<u32> {
        Ok(self.router()?.rules().len() as u32)
    }

    /// Route a household in a situation (`{ urgency?, consent?, receiving_window?, today }`):
    /// ranked recommendations (never empty: no consultation is turned away), each with the rule,
    /// agency kind / project, urgency, the meeting that fits next and the explanation.
    ///
    /// Codes: `malformed_document`, and those of `setRules` for the configured rules.
    #[wasm_bindgen(unchecked_return_type = "Routing")]
    pub fn route(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Household")] household: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Situation")] situation: JsValue,
    ) -> JsResult<JsValue> {
        let h: Household = from_js(household, "$")?;
        let s: Situation = from_js(situation, "$.situation")?;
        to_js_value(&self.router()?.evaluate(&h, &s))
    }
}

impl Engine {
    /// Install `docs` as the rule documents if the resulting rules compile; else change nothing.
    fn replace_rules(&mut self, docs: Vec<String>) -> JsResult<()> {
        let previous = std::mem::replace(&mut self.rule_docs, docs);
        let stale = std::mem::take(&mut self.router);
        if let Err(e) = self.router() {
            self.rule_docs = previous;
            self.router = stale;
            return Err(e);
        }
        Ok(())
    }
}
