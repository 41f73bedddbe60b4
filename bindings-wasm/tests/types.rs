//! `ts/types.d.ts` is generated from the JSON Schemas (schemars) of every type that crosses the
//! boundary; this test fails when the checked-in file is stale. Regenerate with
//! `UPDATE_TYPES=1 cargo test -p tsunagu-wasm --test types`.
//!
//! The generator covers what schemars emits for the core's serde types: objects with
//! `properties` / `required` / `additionalProperties`, `$ref` into `$defs`, `oneOf` / `anyOf`
//! unions, `const` and `enum` literals, nullable `type` arrays and arrays.

use schemars::{schema_for, Schema};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Every boundary type, by its TypeScript name.
fn roots() -> Vec<(&'static str, Schema)> {
    use tsunagu::taxonomy;
    use tsunagu::{agency, calendar, consent, disclosure, household, meeting, referral, registry};
    vec![
        ("EngineConfig", schema_for!(tsunagu_wasm::EngineConfig)),
        ("Household", schema_for!(household::Household)),
        ("AgencyDirectory", schema_for!(Vec<agency::Agency>)),
        ("TaxonomyDocument", schema_for!(taxonomy::TaxonomyDocument)),
        (
            "PatternSettings",
            schema_for!(tsunagu::patterns::PatternSettings),
        ),
        (
            "PatternFinding",
            schema_for!(tsunagu::patterns::PatternFinding),
        ),
        ("Problem", schema_for!(tsunagu_wasm::household::Problem)),
        ("EraDate", schema_for!(calendar::EraDate)),
        ("EraStyle", schema_for!(calendar::EraStyle)),
        ("SchoolStage", schema_for!(calendar::SchoolStage)),
        (
            "FiscalYearInfo",
            schema_for!(tsunagu_wasm::calendar::FiscalYearInfo),
        ),
        (
            "MeetingTypesDocument",
            schema_for!(meeting::MeetingTypesDocument),
        ),
        (
            "MeetingTypeInfo",
            schema_for!(tsunagu_wasm::meeting::MeetingTypeInfo),
        ),
        ("Command", schema_for!(registry::Command)),
        ("Receipt", schema_for!(registry::Receipt)),
        ("Event", schema_for!(registry::Event)),
        ("Referral", schema_for!(referral::Referral)),
        ("ReturnedReferral", schema_for!(referral::ReturnedReferral)),
        ("ConsentRecord", schema_for!(consent::ConsentRecord)),
        ("ProvisionRecord", schema_for!(disclosure::ProvisionRecord)),
        (
            "DisclosureRequest",
            schema_for!(disclosure::DisclosureRequest),
        ),
        ("RuleDocument", schema_for!(tsunagu::routing::RuleDocument)),
        ("Situation", schema_for!(tsunagu::routing::Situation)),
        ("Routing", schema_for!(tsunagu::routing::Routing)),
        (
            "DisclosurePreview",
            schema_for!(tsunagu::registry::DisclosurePreview),
        ),
        (
            "ReportSettings",
            schema_for!(tsunagu::stats::ReportSettings),
        ),
        ("AnnualReport", schema_for!(tsunagu::stats::AnnualReport)),
        ("Actor", schema_for!(tsunagu::worker::Actor)),
        ("Agency", schema_for!(agency::Agency)),
        ("WorkerRecord", schema_for!(tsunagu::worker::WorkerRecord)),
        ("PersonQuery", schema_for!(tsunagu::person::PersonQuery)),
        ("PersonRecord", schema_for!(tsunagu::person::PersonRecord)),
        (
            "PersonSearchResult",
            schema_for!(tsunagu_wasm::person::PersonSearchResult),
        ),
        (
            "CandidateWeights",
            schema_for!(tsunagu::person::CandidateWeights),
        ),
        ("CandidatePair", schema_for!(tsunagu::person::CandidatePair)),
        ("MergeRecord", schema_for!(tsunagu::person::MergeRecord)),
        (
            "WorklistQuery",
            schema_for!(tsunagu::worklist::WorklistQuery),
        ),
        ("Worklist", schema_for!(tsunagu::worklist::Worklist)),
        ("Task", schema_for!(tsunagu::worklist::Task)),
        (
            "TimelineSubject",
            schema_for!(tsunagu::record::TimelineSubject),
        ),
        (
            "TimelineFilter",
            schema_for!(tsunagu::record::TimelineFilter),
        ),
        ("TimelineItem", schema_for!(tsunagu::record::TimelineItem)),
        (
            "FormDefinition",
            schema_for!(tsunagu::forms::FormDefinition),
        ),
        ("FormExtension", schema_for!(tsunagu::forms::FormExtension)),
        ("Submission", schema_for!(tsunagu::forms::Submission)),
        ("FormRecord", schema_for!(tsunagu::forms::FormRecord)),
        ("PrintRow", schema_for!(tsunagu::forms::PrintRow)),
        (
            "ChoiceOption",
            schema_for!(tsunagu_wasm::forms::ChoiceOption),
        ),
        (
            "AccessConfig",
            schema_for!(tsunagu_wasm::access::AccessConfig),
        ),
        (
            "PolicyOptions",
            schema_for!(tsunagu_wasm::access::PolicyOptions),
        ),
        ("ReadArgs", schema_for!(tsunagu_wasm::access::ReadArgs)),
        (
            "ViewLogQuery",
            schema_for!(tsunagu_wasm::access::ViewLogQuery),
        ),
        (
            "PolicyDocument",
            schema_for!(tsunagu::access::PolicyDocument),
        ),
        ("Requester", schema_for!(tsunagu::access::Requester)),
        ("CaseRelation", schema_for!(tsunagu::access::CaseRelation)),
        ("RecordKind", schema_for!(tsunagu::access::RecordKind)),
        ("AccessAction", schema_for!(tsunagu::access::Action)),
        (
            "AccessDecision",
            schema_for!(tsunagu::access::AccessDecision),
        ),
        (
            "AddressProtection",
            schema_for!(tsunagu::access::AddressProtection),
        ),
        (
            "ContactDetails",
            schema_for!(tsunagu::access::ContactDetails),
        ),
        ("ContactView", schema_for!(tsunagu::access::ContactView)),
        ("HouseholdView", schema_for!(tsunagu::access::HouseholdView)),
        ("ViewRecord", schema_for!(tsunagu::access::ViewRecord)),
    ]
}

fn lit(v: &Value) -> String {
    serde_json::to_string(v).unwrap()
}

fn doc(v: &Map<String, Value>, indent: &str) -> String {
    match v.get("description").and_then(Value::as_str) {
        Some(d) => {
            let d = d.replace("*/", "*\\/");
            let lines: Vec<&str> = d.lines().collect();
            if lines.len() == 1 {
                format!("{indent}/** {} */\n", lines[0])
            } else {
                let mut s = format!("{indent}/**\n");
                for l in lines {
                    s.push_str(&format!("{indent} * {l}\n").replace(" \n", "\n"));
                }
                s + &format!("{indent} */\n")
            }
        }
        None => String::new(),
    }
}

fn ty(v: &Value, indent: &str) -> String {
    let Some(o) = v.as_object() else {
        return if v == &Value::Bool(true) {
            "unknown".into()
        } else {
            "never".into()
        };
    };
    if let Some(r) = o.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap().to_string();
    }
    if let Some(c) = o.get("const") {
        return lit(c);
    }
    if let Some(e) = o.get("enum").and_then(Value::as_array) {
        return e.iter().map(lit).collect::<Vec<_>>().join(" | ");
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alts) = o.get(key).and_then(Value::as_array) {
            let parts: Vec<String> = alts.iter().map(|a| ty(a, indent)).collect();
            return parts.join(" | ");
        }
    }
    if let Some(all) = o.get("allOf").and_then(Value::as_array) {
        let parts: Vec<String> = all.iter().map(|a| ty(a, indent)).collect();
        return parts.join(" & ");
    }
    let types: Vec<String> = match o.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(|t| t.as_str().map(String::from))
            .collect(),
        _ => vec![],
    };
    if types.is_empty() {
        return "unknown".into();
    }
    let parts: Vec<String> = types
        .iter()
        .map(|t| match t.as_str() {
            "string" => "string".into(),
            "integer" | "number" => "number".into(),
            "boolean" => "boolean".into(),
            "null" => "null".into(),
            "array" if o.contains_key("prefixItems") => {
                let items = o["prefixItems"]
                    .as_array()
                    .map_or(&[][..], |a| a.as_slice());
                let parts: Vec<String> = items.iter().map(|i| ty(i, indent)).collect();
                format!("[{}]", parts.join(", "))
            }
            "array" => {
                let item = o.get("items").map_or("unknown".into(), |i| ty(i, indent));
                if item.contains(' ') {
                    format!("({item})[]")
                } else {
                    format!("{item}[]")
                }
            }
            "object" => object(o, indent),
            other => panic!("unhandled schema type {other}"),
        })
        .collect();
    parts.join(" | ")
}

fn object(o: &Map<String, Value>, indent: &str) -> String {
    let props = o.get("properties").and_then(Value::as_object);
    let required: Vec<&str> = o
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let extra = match o.get("additionalProperties") {
        Some(Value::Object(s)) => Some(ty(&Value::Object(s.clone()), indent)),
        _ => None,
    };
    let Some(props) = props else {
        return format!("Record<string, {}>", extra.unwrap_or("unknown".into()));
    };
    let inner = format!("{indent}  ");
    let mut s = String::from("{\n");
    for (name, p) in props {
        if let Some(po) = p.as_object() {
            s.push_str(&doc(po, &inner));
        }
        let opt = if required.contains(&name.as_str()) {
            ""
        } else {
            "?"
        };
        s.push_str(&format!("{inner}{name}{opt}: {};\n", ty(p, &inner)));
    }
    if let Some(e) = extra {
        s.push_str(&format!("{inner}[key: string]: {e};\n"));
    }
    s.push_str(indent);
    s.push('}');
    s
}

fn rename_refs(v: &mut Value, renames: &BTreeMap<String, String>) {
    match v {
        Value::Object(o) => {
            if let Some(Value::String(r)) = o.get_mut("$ref") {
                let name = r.rsplit('/').next().unwrap_or_default().to_string();
                if let Some(new) = renames.get(&name) {
                    *r = format!("#/$defs/{new}");
                }
            }
            o.values_mut().for_each(|x| rename_refs(x, renames));
        }
        Value::Array(a) => a.iter_mut().for_each(|x| rename_refs(x, renames)),
        _ => {}
    }
}

fn generate() -> String {
    let mut defs: BTreeMap<String, Value> = BTreeMap::new();
    let mut out = String::from(
        "// Generated by bindings-wasm/tests/types.rs from the JSON Schemas of the boundary types.\n\
         // Do not edit: UPDATE_TYPES=1 cargo test -p tsunagu-wasm --test types\n\n\
         /** The error every export throws: a real `Error` with a stable `code`. */\n\
         export interface TsunaguError extends Error {\n  name: \"TsunaguError\";\n  \
         /** Stable snake_case code (`errorCodes()` lists them). */\n  code: string;\n  \
         /** JSON path of the offending field, or `null`. */\n  path: string | null;\n  \
         /** Kind of the code (`invalid`, `not_found`, `transition` …; `internal` for a panic). */\n  \
         kind: \"document\" | \"rule_document\" | \"invalid\" | \"rule\" | \"not_found\" | \"already_exists\" | \"transition\" | \"consent\" | \"conflict\" | \"storage\" | \"internal\";\n}\n",
    );
    for (name, schema) in roots() {
        let mut v = schema.to_value();
        let o = v.as_object_mut().unwrap();
        let mut local = match o.remove("$defs") {
            Some(Value::Object(d)) => d,
            _ => Map::new(),
        };
        o.remove("$schema");
        o.remove("title");
        // Two types of the same name in different modules (e.g. plan and consent both have a
        // `ConsentMethod`): the later one is prefixed with its root's name.
        // Renaming a type changes the types that refer to it: repeat until nothing collides.
        let mut renames: BTreeMap<String, String> = BTreeMap::new();
        loop {
            let new: Vec<String> = local
                .iter()
                .filter(|(k, dv)| {
                    !renames.contains_key(*k) && defs.get(*k).is_some_and(|prev| prev != *dv)
                })
                .map(|(k, _)| k.clone())
                .collect();
            if new.is_empty() {
                break;
            }
            let step: BTreeMap<String, String> = new
                .into_iter()
                .map(|k| (k.clone(), format!("{name}{k}")))
                .collect();
            rename_refs(&mut v, &step);
            for dv in local.values_mut() {
                rename_refs(dv, &step);
            }
            renames.extend(step);
        }
        for (k, dv) in std::mem::take(&mut local) {
            let k = renames.get(&k).cloned().unwrap_or(k);
            if let Some(prev) = defs.get(&k) {
                assert_eq!(prev, &dv, "two different schemas named {k}");
            }
            defs.insert(k, dv);
        }
        defs.insert(name.to_string(), v);
    }
    for (name, v) in &defs {
        out.push('\n');
        if let Some(o) = v.as_object() {
            out.push_str(&doc(o, ""));
        }
        let t = ty(v, "");
        let is_object = v.get("type") == Some(&Value::String("object".into()))
            && v.get("oneOf").is_none()
            && v.get("anyOf").is_none();
        if is_object && t.starts_with('{') {
            out.push_str(&format!("export interface {name} {t}\n"));
        } else {
            out.push_str(&format!("export type {name} = {t};\n"));
        }
    }
    out
}

#[test]
fn typescript_types_are_fresh() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/ts/types.d.ts");
    let fresh = generate();
    if std::env::var_os("UPDATE_TYPES").is_some() {
        std::fs::write(path, &fresh).unwrap();
        return;
    }
    let current = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        current == fresh,
        "ts/types.d.ts is stale: run UPDATE_TYPES=1 cargo test -p tsunagu-wasm --test types"
    );
}
