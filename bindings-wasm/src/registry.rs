//! Registry (台帳): the whole state of one municipality's records and the one `Command` type
//! that changes it — a thin shell over the core's [`CaseBook`] in memory (the journal of every
//! accepted command, hash-chained, is the core's; nothing is kept here).
//!
//! **Actors (issue 16).** `registry.asActor(worker, agency)` is the same book acting as one
//! worker of one agency (the core's `CaseBook::as_actor`): a `Registry` handle sharing the book,
//! whose `execute` records the actor on every event. While no worker is registered (setup mode)
//! the plain `execute` is accepted; after the first, a command without an actor is
//! `actor_required` (a `TsunaguError` of kind `rule`), and an actor who is not a registered,
//! active worker of the agency named is `unknown_worker` / `worker_not_of_agency` /
//! `worker_inactive`. The person master (`person`, `searchPersons`, 名寄せ), the timeline and
//! the worklist are read from the same book (`src/person.rs`, `src/worklist.rs`).

use crate::convert::{date, from_js, from_js_or_default, text, to_js_value};
use crate::error::{malformed, to_js, JsResult};
use chrono::{DateTime, Utc};
use std::cell::{Ref, RefCell, RefMut};
use std::rc::Rc;
use tsunagu::calendar::{self, FiscalYear};
use tsunagu::disclosure::DisclosureRequest;
use tsunagu::forms::FormSet;
use tsunagu::registry::{BatchError, CaseBook, Command, Event};
use tsunagu::stats::{AgeBands, ReportSettings};
use tsunagu::worker::Actor;
use wasm_bindgen::prelude::*;

/// The device id the page's book records as.
const DEVICE: &str = "wasm";

/// The page's clock (the core never reads one).
fn clock() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// A rejected batch: the core's error with its path under the event (`$[2].command.case`).
fn batch_error(e: BatchError) -> JsValue {
    let path = e.path();
    let js = to_js(e.error);
    let path = path.map_or(JsValue::NULL, JsValue::from);
    let _ = js_sys::Reflect::set(&js, &"path".into(), &path);
    js
}

/// The registry (台帳): `execute` commands, read the state back.
#[wasm_bindgen]
pub struct Registry {
    /// The book, shared with the handles `asActor` made from it.
    book: Rc<RefCell<CaseBook>>,
    /// The forms in force (様式: the national sheets and the municipality's extensions),
    /// shared likewise (`src/forms.rs`).
    forms: Rc<RefCell<FormSet>>,
    /// The actor this handle executes as (`None`: the plain book).
    actor: Option<Actor>,
}

impl Registry {
    fn wrap(book: CaseBook) -> Registry {
        Registry {
            book: Rc::new(RefCell::new(book)),
            forms: Rc::new(RefCell::new(FormSet::builtin())),
            actor: None,
        }
    }

    /// The forms in force, read.
    pub(crate) fn forms_ref(&self) -> Ref<'_, FormSet> {
        self.forms.borrow()
    }

    /// The forms in force, to extend.
    pub(crate) fn forms_mut(&self) -> RefMut<'_, FormSet> {
        self.forms.borrow_mut()
    }

    /// The book, read. A JS call never re-enters the binding while one runs, so the borrow is
    /// always free.
    pub(crate) fn book(&self) -> Ref<'_, CaseBook> {
        self.book.borrow()
    }

    /// The book, to append to.
    pub(crate) fn book_mut(&self) -> RefMut<'_, CaseBook> {
        self.book.borrow_mut()
    }

    /// Execute commands as one unit (all or nothing) by this handle's actor.
    pub(crate) fn execute_all(
        &self,
        commands: Vec<Command>,
        on: chrono::NaiveDate,
    ) -> JsResult<Vec<tsunagu::registry::Receipt>> {
        let mut book = self.book_mut();
        let at = book.recording_time(clock());
        book.execute_batch_as(commands, on, at, self.actor.as_ref())
            .map_err(to_js)
    }
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
        // Opening an empty memory store reads nothing and cannot fail.
        let inner = CaseBook::in_memory(DEVICE).unwrap_or_else(|_| unreachable!());
        Registry::wrap(inner)
    }

    /// Rebuild a registry by replaying journal events (`{ on, command }`), all or nothing.
    ///
    /// Codes: those of `execute`, with the path under the event (`$[3].command.case`).
    #[wasm_bindgen]
    pub fn replay(
        #[wasm_bindgen(unchecked_param_type = "Event[]")] events: JsValue,
    ) -> JsResult<Registry> {
        let events: Vec<Event> = from_js(events, "$")?;
        let inner = CaseBook::from_events(DEVICE, events, clock()).map_err(batch_error)?;
        Ok(Registry::wrap(inner))
    }

    /// This registry acting as `worker` of `agency`: a handle on the same book whose `execute`
    /// (and `executeAll`, and a form's `execute`) records the actor on every event. Nothing is
    /// checked here; each command checks its actor (`unknown_worker`, `worker_not_of_agency`,
    /// `worker_inactive`).
    ///
    /// Codes: `malformed_document` (an argument that is not a string).
    #[wasm_bindgen(js_name = asActor)]
    pub fn as_actor(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] worker: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] agency: JsValue,
    ) -> JsResult<Registry> {
        let actor = Actor::new(
            text(&worker, "worker")?.as_str(),
            text(&agency, "agency")?.as_str(),
        );
        Ok(Registry {
            book: Rc::clone(&self.book),
            forms: Rc::clone(&self.forms),
            actor: Some(actor),
        })
    }

    /// The actor this handle executes as (`{worker, agency}`), or `null` for the plain book.
    #[wasm_bindgen(unchecked_return_type = "Actor | null")]
    pub fn actor(&self) -> JsResult<JsValue> {
        to_js_value(&self.actor)
    }

    /// Execute commands on `today` as one unit (all or nothing, the core's `execute_batch`);
    /// returns the receipts. A rejected command's error has the command's own path and nothing
    /// changes.
    ///
    /// Codes: those of `execute`.
    #[wasm_bindgen(js_name = executeAll, unchecked_return_type = "Receipt[]")]
    pub fn execute_all_js(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Command[]")] commands: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] today: JsValue,
    ) -> JsResult<JsValue> {
        let commands: Vec<Command> = from_js(commands, "$")?;
        let on = date(&today, "today")?;
        to_js_value(&self.execute_all(commands, on)?)
    }

    /// Execute one command on `today`; returns the receipt. A rejected command changes nothing.
    ///
    /// Codes: `malformed_document`, `not_found`, `already_exists` and every code of the module
    /// the command belongs to (`illegal_transition`, `not_authorised`, `consent_required` …).
    #[wasm_bindgen(unchecked_return_type = "Receipt")]
    pub fn execute(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Command")] command: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] today: JsValue,
    ) -> JsResult<JsValue> {
        let command: Command = from_js(command, "$")?;
        let on = date(&today, "today")?;
        let mut book = self.book_mut();
        let at = book.recording_time(clock());
        let receipt = book.execute_as(command, on, at, self.actor.as_ref());
        to_js_value(&receipt.map_err(to_js)?)
    }

    /// The journal events of every accepted command, in order (`{ on, command }`): the input of
    /// `Registry.replay` and `annualReport`.
    #[wasm_bindgen(unchecked_return_type = "Event[]")]
    pub fn events(&self) -> JsResult<JsValue> {
        to_js_value(&self.book().payloads().map_err(to_js)?)
    }

    /// A registered household, or `null`.
    #[wasm_bindgen(unchecked_return_type = "Household | null")]
    pub fn household(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> JsResult<JsValue> {
        let id = text(&id, "id")?;
        to_js_value(&self.book().registry().household(&id.into()))
    }

    /// Every registered household.
    #[wasm_bindgen(unchecked_return_type = "Household[]")]
    pub fn households(&self) -> JsResult<JsValue> {
        to_js_value(&self.book().registry().households().collect::<Vec<_>>())
    }

    /// Every registered agency (関係機関): for choosing one by name, never typing its id.
    #[wasm_bindgen(unchecked_return_type = "Agency[]")]
    pub fn agencies(&self) -> JsResult<JsValue> {
        to_js_value(self.book().registry().directory().agencies())
    }

    /// Every registered worker (職員) with their status: for choosing one by name.
    #[wasm_bindgen(unchecked_return_type = "WorkerRecord[]")]
    pub fn workers(&self) -> JsResult<JsValue> {
        to_js_value(&self.book().registry().staff().iter().collect::<Vec<_>>())
    }

    /// Every referral.
    #[wasm_bindgen(unchecked_return_type = "Referral[]")]
    pub fn referrals(&self) -> JsResult<JsValue> {
        to_js_value(&self.book().registry().referrals())
    }

    /// Every consent record.
    #[wasm_bindgen(unchecked_return_type = "ConsentRecord[]")]
    pub fn consents(&self) -> JsResult<JsValue> {
        to_js_value(self.book().registry().consents())
    }

    /// Every provision record (第三者提供記録) left by disclosures.
    #[wasm_bindgen(unchecked_return_type = "ProvisionRecord[]")]
    pub fn provisions(&self) -> JsResult<JsValue> {
        to_js_value(self.book().registry().provisions())
    }

    /// Composite patterns of a registered household on `today`.
    ///
    /// Codes: `malformed_document`, `not_found`.
    #[wasm_bindgen(unchecked_return_type = "PatternFinding[]")]
    pub fn patterns(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] household: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] today: JsValue,
    ) -> JsResult<JsValue> {
        let household = text(&household, "household")?;
        let today = date(&today, "today")?;
        let found = self
            .book()
            .registry()
            .patterns(&household.as_str().into(), today);
        to_js_value(&found.map_err(to_js)?)
    }

    /// Declined, revoked or stalled referrals back in their senders' queues, with next options.
    #[wasm_bindgen(js_name = senderQueue, unchecked_return_type = "ReturnedReferral[]")]
    pub fn sender_queue(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] today: JsValue,
    ) -> JsResult<JsValue> {
        to_js_value(&self.book().registry().sender_queue(date(&today, "today")?))
    }

    /// Preview a disclosure: decide with the registry's consents and meeting types, and redact
    /// the case's household accordingly. Records nothing (the `disclose` command does).
    ///
    /// Codes: `malformed_document`, `not_found` (case), `unknown_code` (meeting type),
    /// `confidentiality_not_acknowledged`, `personal_info_not_allowed`, `consent_required`.
    #[wasm_bindgen(js_name = previewDisclosure, unchecked_return_type = "DisclosurePreview")]
    pub fn preview_disclosure(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DisclosureRequest")] request: JsValue,
    ) -> JsResult<JsValue> {
        let request: DisclosureRequest = from_js(request, "$")?;
        to_js_value(&self.book().preview_disclosure(&request).map_err(to_js)?)
    }

    /// The annual report of a fiscal year from this registry's events (as `annualReport`).
    ///
    /// Codes: those of `annualReport`.
    #[wasm_bindgen(js_name = annualReport, unchecked_return_type = "AnnualReport")]
    pub fn annual_report(
        &self,
        #[wasm_bindgen(js_name = fiscalYear, unchecked_param_type = "number | string")]
        fiscal_year: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ReportSettings | undefined")] settings: JsValue,
    ) -> JsResult<JsValue> {
        let (fy, s) = (fiscal_year_arg(&fiscal_year)?, settings_arg(settings)?);
        to_js_value(&self.book().annual_report(fy, &s).map_err(to_js)?)
    }
}

/// A fiscal year given as its starting year (`2020`) or as text (`"令和2年度"`, `"R2年度"`,
/// `"2020年度"`).
pub(crate) fn fiscal_year_arg(value: &JsValue) -> JsResult<FiscalYear> {
    if let Some(y) = value.as_f64() {
        if y.fract() != 0.0 || y.abs() > f64::from(i32::MAX) {
            return Err(to_js(malformed(
                "$.fiscal_year".into(),
                format!("expected a whole year, got {y}"),
            )));
        }
        return FiscalYear::new(y as i32).map_err(to_js);
    }
    match value.as_string() {
        Some(text) => calendar::parse_fiscal_year(&text).map_err(to_js),
        None => Err(to_js(malformed(
            "$.fiscal_year".into(),
            "expected a year number or a fiscal-year label such as 令和2年度".into(),
        ))),
    }
}

/// Report settings (`{ age_bands?, network_meeting_types? }`), the age bands validated.
pub(crate) fn settings_arg(value: JsValue) -> JsResult<ReportSettings> {
    let s: ReportSettings = from_js_or_default(value, "$.settings")?;
    AgeBands::new(s.age_bands.bands().to_vec()).map_err(to_js)?;
    Ok(s)
}
