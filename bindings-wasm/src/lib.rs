//! WebAssembly binding for tsunagu (つなぐ): conversion only.
//!
//! JS objects go in and out as JSON text in the core's own document shapes (snake_case fields,
//! as in `schemas/`), never trusted: see `src/convert.rs` for the limits on hostile input; function
//! names are camelCase. Every error is a
//! `TsunaguError` (see [`error`]). No rule lives here: each export converts its arguments, calls
//! the core and converts the result.
//!
//! - Free functions: the calendar helpers ([`calendar`]), [`version`], [`error_codes`].
//! - [`Engine`]: a thin shell over the configuration a page sets once — the taxonomy (built-in,
//!   optionally extended), the agency directory, the meeting types — with one `impl` block per
//!   core module ([`taxonomy`], [`agency`], [`household`], [`meeting`], [`routing`]).
//! - Feature `records` (default): `registry::Registry`, a thin shell over the core's `CaseBook`
//!   in memory (the state of a municipality's records, its `Command`s, the disclosure preview,
//!   acting as a worker with `asActor`), with the person master (`person`), the worklist and
//!   timeline (`worklist`) and the forms (`forms`) read from it; the access policy and view log
//!   (`access`); and the annual report from journal events (`report`). Deserialising the whole `Command` tree is about half of the
//!   module, so the widgets' build (`bindings-wasm/lite`, the package's main module) leaves it out.
#![warn(missing_docs)]

#[cfg(feature = "records")]
pub mod access;
pub mod agency;
pub mod calendar;
mod convert;
pub mod error;
#[cfg(feature = "records")]
pub mod forms;
pub mod household;
pub mod meeting;
#[cfg(feature = "records")]
pub mod person;
#[cfg(feature = "records")]
pub mod registry;
#[cfg(feature = "records")]
pub mod report;
pub mod routing;
pub mod taxonomy;
#[cfg(feature = "records")]
pub mod worklist;

use convert::{from_js_or_default, to_js_value};
use error::JsResult;
use tsunagu::agency::{Agency, Directory};
use tsunagu::meeting::{MeetingTypes, MeetingTypesDocument};
use tsunagu::taxonomy::{Taxonomies, TaxonomyDocument};
use wasm_bindgen::prelude::*;

/// TypeScript types of the documents, generated from `schemas/` by `scripts/gen-types.mjs`.
#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = include_str!("../ts/types.d.ts");

#[wasm_bindgen(start)]
fn start() {
    error::install_panic_guard();
}

/// The core's version.
#[wasm_bindgen]
pub fn version() -> String {
    tsunagu::VERSION.to_string()
}

/// Every error code a `TsunaguError` can carry: the core's codes and `internal_panic`.
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Vec<String> {
    let mut codes: Vec<String> = tsunagu::error::all_codes()
        .into_iter()
        .map(String::from)
        .collect();
    codes.push(error::INTERNAL_PANIC.to_string());
    codes.sort();
    codes
}

/// What an [`Engine`] starts from.
#[derive(Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EngineConfig {
    /// Extension of the built-in taxonomy.
    #[serde(default)]
    pub taxonomy: Option<TaxonomyDocument>,
    /// The agency directory (default: empty).
    #[serde(default)]
    pub agencies: Option<Vec<Agency>>,
    /// Extension of the built-in meeting types (municipal aliases).
    #[serde(default)]
    pub meeting_types: Option<MeetingTypesDocument>,
    /// The municipality's routing rules (extend or override the built-in rules by id).
    #[serde(default)]
    #[schemars(with = "Option<tsunagu::routing::RuleDocument>")]
    pub rules: Option<serde_json::Value>,
    /// Whether the built-in rules are the base the documents extend (default `true`; `false`:
    /// only the supplied documents, as `RuleSet::empty`).
    #[serde(default)]
    pub builtin_rules: Option<bool>,
}

/// Core state configured once per page: taxonomy and agency directory.
///
/// `new Engine()` starts from the built-in taxonomy, an empty directory and the built-in routing
/// rules; `config` may give `{ taxonomy?, agencies?, meeting_types?, rules?, builtin_rules? }`
/// (the taxonomy and meeting types extend the built-in ones, `rules` extends the built-in rules).
#[wasm_bindgen]
pub struct Engine {
    tax: Taxonomies,
    directory: Directory,
    meeting_types: MeetingTypes,
    builtin_rules: bool,
    /// Rule documents (JSON text) applied in order on the base rules.
    rule_docs: Vec<String>,
    router: std::cell::OnceCell<tsunagu::routing::Router>,
}

#[wasm_bindgen]
impl Engine {
    /// Build an engine. Codes: those of `extendTaxonomy`, `setAgencies` and `setRules`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "EngineConfig | undefined")] config: JsValue,
    ) -> JsResult<Engine> {
        let config: EngineConfig = from_js_or_default(config, "$")?;
        let mut tax = Taxonomies::builtin();
        if let Some(ext) = config.taxonomy {
            tax = tax.extended(ext).map_err(error::to_js)?;
        }
        let directory = match config.agencies {
            Some(list) => Directory::new(list, &tax).map_err(error::to_js)?,
            None => Directory::default(),
        };
        let mut meeting_types = MeetingTypes::builtin();
        if let Some(ext) = config.meeting_types {
            meeting_types = meeting_types.extended(ext).map_err(error::to_js)?;
        }
        let engine = Engine {
            tax,
            directory,
            meeting_types,
            builtin_rules: config.builtin_rules.unwrap_or(true),
            rule_docs: config.rules.iter().map(|d| d.to_string()).collect(),
            router: std::cell::OnceCell::new(),
        };
        if !engine.rule_docs.is_empty() || !engine.builtin_rules {
            engine.router()?;
        }
        Ok(engine)
    }
}

#[doc(hidden)]
/// Panics on purpose, to test the panic guard (see [`error`]). Not part of the API.
#[wasm_bindgen(js_name = __panicForTest)]
pub fn panic_for_test() -> JsResult<JsValue> {
    let v: Vec<u8> = Vec::new();
    let i = v.len() + 3;
    to_js_value(&v[i])
}
