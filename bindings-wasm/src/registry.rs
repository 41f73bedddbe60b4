//! Registry (台帳): the whole state of one municipality's records and the one `Command` type
//! that changes it. A thin shell over [`tsunagu::registry::Registry`].

use crate::convert::{date, from_js, to_js_value};
use crate::error::{to_js, JsResult};
use tsunagu::registry::{Command, Event};
use wasm_bindgen::prelude::*;

/// The registry (台帳): `execute` commands, read the state back.
#[wasm_bindgen]
pub struct Registry {
    pub(crate) inner: tsunagu::registry::Registry,
    /// The journal: every accepted command with its date, in order (what `replay` takes back).
    pub(crate) events: Vec<Event>,
}

impl Default for Registry {
    fn default() -> Self {
        Registry::new()
    }
}

#[wasm_bindgen]
impl Registry {
    /// An empty registry (built-in taxonomy and meeting types, no agencies).
    #[wasm_bindgen(constructor)]
    pub fn new() -> Registry {
        Registry {
            inner: tsunagu::registry::Registry::new(),
            events: Vec::new(),
        }
    }

    /// Rebuild a registry by replaying journal events (`{ on, command }`).
    ///
    /// Codes: those of `execute`.
    #[wasm_bindgen]
    pub fn replay(
        #[wasm_bindgen(unchecked_param_type = "Event[]")] events: JsValue,
    ) -> JsResult<Registry> {
        let events: Vec<Event> = from_js(events, "$")?;
        let inner = tsunagu::registry::Registry::replay(events.iter()).map_err(to_js)?;
        Ok(Registry { inner, events })
    }

    /// Execute one command on `today`; returns the receipt. A rejected command changes nothing.
    ///
    /// Codes: `malformed_document`, `not_found`, `already_exists` and every code of the module
    /// the command belongs to (`illegal_transition`, `not_authorised`, `consent_required` …).
    #[wasm_bindgen(unchecked_return_type = "Receipt")]
    pub fn execute(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Command")] command: JsValue,
        today: &str,
    ) -> JsResult<JsValue> {
        let command: Command = from_js(command, "$")?;
        let on = date(today, "today")?;
        let receipt = self.inner.execute(&command, on).map_err(to_js)?;
        self.events.push(Event { on, command });
        to_js_value(&receipt)
    }

    /// The journal events of every accepted command, in order (`{ on, command }`): the input of
    /// `Registry.replay` and `annualReport`.
    #[wasm_bindgen(unchecked_return_type = "Event[]")]
    pub fn events(&self) -> JsResult<JsValue> {
        to_js_value(&self.events)
    }

    /// A registered household, or `null`.
    #[wasm_bindgen(unchecked_return_type = "Household | null")]
    pub fn household(&self, id: &str) -> JsResult<JsValue> {
        to_js_value(&self.inner.household(&id.into()))
    }

    /// Every registered household.
    #[wasm_bindgen(unchecked_return_type = "Household[]")]
    pub fn households(&self) -> JsResult<JsValue> {
        to_js_value(&self.inner.households().collect::<Vec<_>>())
    }

    /// Every referral.
    #[wasm_bindgen(unchecked_return_type = "Referral[]")]
    pub fn referrals(&self) -> JsResult<JsValue> {
        to_js_value(&self.inner.referrals())
    }

    /// Every consent record.
    #[wasm_bindgen(unchecked_return_type = "ConsentRecord[]")]
    pub fn consents(&self) -> JsResult<JsValue> {
        to_js_value(self.inner.consents())
    }

    /// Every provision record (第三者提供記録) left by disclosures.
    #[wasm_bindgen(unchecked_return_type = "ProvisionRecord[]")]
    pub fn provisions(&self) -> JsResult<JsValue> {
        to_js_value(self.inner.provisions())
    }

    /// Composite patterns of a registered household on `today`.
    ///
    /// Codes: `malformed_document`, `not_found`.
    #[wasm_bindgen(unchecked_return_type = "PatternFinding[]")]
    pub fn patterns(&self, household: &str, today: &str) -> JsResult<JsValue> {
        let found = self
            .inner
            .patterns(&household.into(), date(today, "today")?)
            .map_err(to_js)?;
        to_js_value(&found)
    }

    /// Declined, revoked or stalled referrals back in their senders' queues, with next options.
    #[wasm_bindgen(js_name = senderQueue, unchecked_return_type = "ReturnedReferral[]")]
    pub fn sender_queue(&self, today: &str) -> JsResult<JsValue> {
        to_js_value(&self.inner.sender_queue(date(today, "today")?))
    }
}
