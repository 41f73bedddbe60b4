//! Erasure (消去) of a household's personal data after retention (保存年限), by destroying its
//! data key, and which events are sealed under which key.
//!
//! # What is sealed, under whose key, what stays in clear
//!
//! - **One data key per household** (`household:<id>`), not per person: a case is seen with the
//!   whole household (8050, ヤングケアラー), its records name several members, and retention is
//!   counted from the closure of the household's last case — so the household is what is kept
//!   and what is erased together. (A per-person key would have to split one contact record
//!   between several keys.)
//! - **Sealed**: every command that names a household (`household`, as an id or a document) or a
//!   case (`case`, resolved to the case's household) anywhere in its JSON, in a book opened with a
//!   master key ([`CaseBook::open_sealed`](super::CaseBook::open_sealed)). The first such name
//!   in the command's JSON decides (keys in code-point order: `case` before `household`).
//! - **Not sealed** (stay in clear): configuration (taxonomies, agencies, meeting types, roles,
//!   kanji variants, record kinds, social resources), workers and teams without a case, community
//!   activities (counts only), and commands that name neither a household nor a case — among them,
//!   today, the person master (`register_person` …), referral steps that name only the referral,
//!   and matches. Those are the next to seal (a key per person master record); see RELIABILITY.md.
//!   The erasure itself (`erase_household`) is in clear: who, when, why, which rule.
//! - **The clear projection** of a sealed event is the event with every string under a personal
//!   field (`core/data/sealed_fields.toml`: names, readings, addresses, phones, free text) made
//!   empty. Ids, dates, codes (issues, closure reasons, contact kinds) and birth dates stay:
//!   the annual report and the ledger fold the projection exactly as they folded the event, so
//!   **counts stay in statistics, content is gone**. Birth dates stay because the report's age
//!   bands need them; with the names, addresses and text gone a birth date and an internal id no
//!   longer single out a person outside the municipality's own records.
//!
//! # Replay after an erasure
//!
//! The book's replay skips a tombstone (an event whose key was destroyed): the erased
//! household, its cases, plans and records are not in the registry any more; the household is
//! noted as tombstoned so the erasure event replays. Statistics fold the tombstone's projection.
//! The journal is untouched, so it verifies.

use super::command::{Apply, RecordedDates};
use super::rules::not_found;
use super::{Command, Event, Receipt, Registry};
use crate::ids::HouseholdId;
use crate::journal::SealAs;
use crate::retention::{ErasureRecord, RetentionError};
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::OnceLock;

const SEALED_FIELDS_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/data/sealed_fields.json"));

/// Erase a household's personal data (世帯の個人データの消去): destroys the household's data key
/// once it is past retention on `today`. Journalled in clear (who: the event's actor; when: its
/// date; why: `reason`; under which rule: `rule`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EraseHousehold {
    /// The household.
    pub household: HouseholdId,
    /// The retention rule (保存年限の規定) under which it is erased.
    pub rule: String,
    /// Why, without personal data (e.g. `保存年限経過（定期消去）`).
    pub reason: String,
}

impl Apply for EraseHousehold {
    fn recorded_dates(&self) -> RecordedDates {
        Vec::new()
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        if let Some(done) = reg.erasures.records.get(&self.household) {
            return Err(RetentionError::AlreadyErased { on: done.on }.into());
        }
        if reg.erasures.policy.rule(&self.rule).is_none() {
            return Err(RetentionError::UnknownRule {
                rule: self.rule.clone(),
            }
            .into());
        }
        if !reg.households.contains_key(&self.household)
            && !reg.erasures.tombstoned.contains(&self.household)
        {
            return Err(not_found("household", &self.household, "$.household"));
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, today: NaiveDate) -> Result<Receipt, Error> {
        // On replay after the key was destroyed the household's events are tombstones: its
        // state is gone, and the retention check was made when the erasure was accepted.
        if reg.households.contains_key(&self.household) {
            let cases = reg
                .cases
                .values()
                .filter(|c| c.household() == &self.household);
            let due = reg.erasures.policy.household_due(&self.household, cases);
            match due {
                Some(d) if d.due_on <= today => {}
                other => {
                    return Err(RetentionError::NotReached {
                        on: today,
                        due_on: other.map(|d| d.due_on),
                    }
                    .into())
                }
            }
        }
        let by = reg.actor().cloned();
        reg.erasures.records.insert(
            self.household.clone(),
            ErasureRecord {
                household: self.household.clone(),
                on: today,
                rule: self.rule.clone(),
                reason: self.reason.clone(),
                by,
            },
        );
        Ok(Receipt::Recorded)
    }
}

/// The data key id of a household.
pub fn household_key(household: &HouseholdId) -> String {
    format!("household:{household}")
}

/// The household a key id names.
pub(crate) fn household_of_key(key: &str) -> Option<HouseholdId> {
    key.strip_prefix("household:")
        .map(|h| HouseholdId::new(h.to_string()))
}

fn sealed_fields() -> &'static BTreeSet<String> {
    static FIELDS: OnceLock<BTreeSet<String>> = OnceLock::new();
    FIELDS.get_or_init(|| {
        #[derive(Deserialize)]
        struct Doc {
            fields: BTreeSet<String>,
        }
        serde_json::from_str::<Doc>(SEALED_FIELDS_JSON)
            .expect("built-in sealed fields are valid")
            .fields
    })
}

/// How `event` is sealed in a book whose registry is `reg` (the state the event applies to or
/// produced): under its household's key with its clear projection, or `None` (in clear).
pub fn seal_plan(reg: &Registry, event: &Event) -> Option<SealAs<Event>> {
    if matches!(event.command, Command::EraseHousehold(_)) {
        return None;
    }
    let mut value = serde_json::to_value(&event.command).ok()?;
    let household = household_named(reg, &value)?;
    blank(&mut value, false);
    let command: Command = serde_json::from_value(value).ok()?;
    Some(SealAs {
        key_id: household_key(&household),
        clear: Event {
            on: event.on,
            command,
            by: event.by.clone(),
        },
    })
}

/// The first household named in a command's JSON: a `household` id or document, or a `case`
/// of a registered case.
fn household_named(reg: &Registry, value: &Value) -> Option<HouseholdId> {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let found = match (k.as_str(), v) {
                    ("household", Value::String(id)) => Some(HouseholdId::new(id.clone())),
                    ("household", Value::Object(doc)) => doc
                        .get("id")
                        .and_then(Value::as_str)
                        .map(|id| HouseholdId::new(id.to_string())),
                    ("case", Value::String(id)) => reg
                        .cases
                        .get(&crate::ids::CaseId::new(id.clone()))
                        .map(|c| c.household().clone()),
                    _ => None,
                };
                if let Some(h) = found.or_else(|| household_named(reg, v)) {
                    return Some(h);
                }
            }
            None
        }
        Value::Array(items) => items.iter().find_map(|v| household_named(reg, v)),
        _ => None,
    }
}

/// Make every string under a personal field empty.
fn blank(value: &mut Value, personal: bool) {
    match value {
        Value::String(s) if personal => s.clear(),
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                blank(v, personal || sealed_fields().contains(k.as_str()));
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| blank(v, personal)),
        _ => {}
    }
}

impl Registry {
    /// Households past retention on `on` (保存年限の経過した世帯), by household id: every case
    /// closed and every case's period ended (see [`crate::retention`]). Erased households are
    /// not listed.
    pub fn past_retention(&self, on: NaiveDate) -> Vec<crate::retention::PastRetention> {
        let mut by_household: std::collections::BTreeMap<&HouseholdId, Vec<&crate::case::Case>> =
            std::collections::BTreeMap::new();
        for case in self.cases.values() {
            by_household.entry(case.household()).or_default().push(case);
        }
        by_household
            .into_iter()
            .filter(|(h, _)| !self.erasures.records.contains_key(*h))
            .filter_map(|(h, cases)| self.erasures.policy.household_due(h, cases))
            .filter(|d| d.due_on <= on)
            .collect()
    }

    /// The retention policy in force and the erasure records.
    pub fn erasures(&self) -> &crate::retention::Erasures {
        &self.erasures
    }

    /// Replay met a tombstone sealed under `key`: note its household (its state is gone).
    pub(crate) fn note_tombstone(&mut self, key: &str) {
        if let Some(h) = household_of_key(key) {
            self.erasures.tombstoned.insert(h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                collect(&p, out);
            } else if p.extension().is_some_and(|e| e == "json") {
                out.push(p);
            }
        }
    }

    /// Every accepted command of every conformance vector that names a household or a case of
    /// one is sealed (its projection parses as a command: nothing names a household and stays in
    /// clear by accident), its projection keeps the command's kind, date and actor, and holds no
    /// string of a personal field.
    #[test]
    fn every_vector_command_naming_a_household_is_sealed_with_a_parsing_projection() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
        let mut files = Vec::new();
        collect(&root, &mut files);
        let (mut sealed, mut checked) = (0, 0);
        for file in files {
            let doc: Value =
                serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
            let mut reg = Registry::new();
            let mut steps: Vec<(String, Value)> = Vec::new();
            if let Some(agencies) = doc["given"]["agencies"].as_array() {
                for a in agencies {
                    steps.push((
                        "2020-04-01".into(),
                        serde_json::json!({ "command": "register_agency", "agency": a }),
                    ));
                }
            }
            for c in doc["given"]["commands"].as_array().into_iter().flatten() {
                steps.push((
                    c["today"].as_str().unwrap_or("").into(),
                    c["command"].clone(),
                ));
            }
            for w in doc["when"].as_array().into_iter().flatten() {
                if w["op"] == "execute" {
                    steps.push((
                        w["args"]["today"].as_str().unwrap_or("").into(),
                        w["args"]["command"].clone(),
                    ));
                }
            }
            for (today, v) in steps {
                let (Ok(command), Ok(on)) = (
                    serde_json::from_value::<Command>(v.clone()),
                    today.parse::<NaiveDate>(),
                ) else {
                    continue;
                };
                if reg.execute(&command, on).is_err() {
                    continue;
                }
                checked += 1;
                let event = Event::new(on, command);
                let names = household_named(&reg, &v).is_some()
                    && !matches!(event.command, Command::EraseHousehold(_));
                let plan = seal_plan(&reg, &event);
                assert_eq!(plan.is_some(), names, "{}: {}", file.display(), v);
                if let Some(plan) = plan {
                    sealed += 1;
                    assert_eq!(plan.clear.on, event.on);
                    assert_eq!(plan.clear.command.name(), event.command.name());
                    let mut clear = serde_json::to_value(&plan.clear.command).unwrap();
                    let before = clear.clone();
                    blank(&mut clear, false);
                    assert_eq!(clear, before, "projection still has personal text");
                }
            }
        }
        assert!(
            checked > 100 && sealed > 30,
            "{checked} checked, {sealed} sealed"
        );
    }
}
