//! Access (閲覧・変更の権限, issue 16): the access policy as data, the decision for a requester,
//! redacted reads of a household and of a person's contact details (住所秘匿 applied), and the
//! view log every read appends to (閲覧ログ) — the core's `access` module, held by one `Access`
//! object per page. Pure: dates and times come in as arguments.

use crate::convert::{from_js, from_js_or_default, json_text, to_js_value};
use crate::error::{to_js, JsResult};
use chrono::{DateTime, Utc};
use tsunagu::access::{
    self, Action, AddressProtection, CaseRelation, ContactDetails, Policy, PolicyEnv, Protections,
    ReadRequest, RecordKind, Requester, ViewLog,
};
use tsunagu::household::Household;
use tsunagu::ids::{CaseId, PersonId, WorkerId};
use tsunagu::privacy::InfoCategory;
use tsunagu::taxonomy::{Taxonomies, TaxonomyDocument};
use wasm_bindgen::prelude::*;

/// How `new Access(config?)` starts.
#[derive(Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessConfig {
    /// Extension of the built-in taxonomy (the labels and categories reads use).
    #[serde(default)]
    pub taxonomy: Option<TaxonomyDocument>,
}

/// Options of `loadPolicy`.
#[derive(Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyOptions {
    /// Whether the document extends the built-in policy (default `true`; `false`: the document
    /// alone).
    #[serde(default)]
    pub builtin: Option<bool>,
    /// The role codes in force when they are not the built-in ones (a municipality's roles).
    #[serde(default)]
    pub roles: Option<Vec<tsunagu::ids::RoleCode>>,
}

/// What a read is: who, their relations to the case, what disclosures showed them, the case
/// and when.
#[derive(serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadArgs {
    /// Who reads.
    pub requester: Requester,
    /// Every relation they hold to the case (empty: none).
    #[serde(default)]
    pub relations: Vec<CaseRelation>,
    /// Categories disclosures of the case showed their agency.
    #[serde(default)]
    pub disclosed: Vec<InfoCategory>,
    /// The case the read is made in.
    #[serde(default)]
    pub case: Option<CaseId>,
    /// When (UTC instant; the date in Japan decides protections and ages).
    pub at: DateTime<Utc>,
}

/// Which view-log records `viewLog` returns: of a person, by a worker, of a case, or all.
#[derive(Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ViewLogQuery {
    /// Who looked at this person.
    #[serde(default)]
    pub person: Option<PersonId>,
    /// What this worker looked at.
    #[serde(default)]
    pub worker: Option<WorkerId>,
    /// The views made in this case.
    #[serde(default)]
    pub case: Option<CaseId>,
}

/// The access policy, address restrictions and view log of a page.
#[wasm_bindgen]
pub struct Access {
    policy: Policy,
    protections: Protections,
    log: ViewLog,
    tax: Taxonomies,
}

#[wasm_bindgen]
impl Access {
    /// The built-in policy, no address restriction, an empty view log.
    ///
    /// Codes: `malformed_document` and the taxonomy codes.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "AccessConfig | undefined")] config: JsValue,
    ) -> JsResult<Access> {
        let config: AccessConfig = from_js_or_default(config, "$")?;
        let mut tax = Taxonomies::builtin();
        if let Some(ext) = config.taxonomy {
            tax = tax.extended(ext).map_err(to_js)?;
        }
        Ok(Access {
            policy: Policy::builtin().clone(),
            protections: Protections::default(),
            log: ViewLog::new(),
            tax,
        })
    }

    /// Load a municipality's policy document on the built-in policy (or alone, `{builtin:
    /// false}`); all or nothing. Returns the number of rules in force.
    ///
    /// Codes: `malformed_document`, `invalid_access_policy` (every problem in `problems`).
    #[wasm_bindgen(js_name = loadPolicy)]
    pub fn load_policy(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "PolicyDocument")] document: JsValue,
        #[wasm_bindgen(unchecked_param_type = "PolicyOptions | undefined")] options: JsValue,
    ) -> JsResult<u32> {
        let text = json_text(&document, "$")?;
        let options: PolicyOptions = from_js_or_default(options, "$.options")?;
        let env = match options.roles {
            Some(r) => PolicyEnv::with_roles(r),
            None => PolicyEnv::default(),
        };
        let base = match options.builtin {
            Some(false) => Policy::from_json(r#"{"rules": []}"#, &env).map_err(to_js)?,
            _ => Policy::builtin().clone(),
        };
        self.policy = base.extend_json(&text, &env).map_err(to_js)?;
        Ok(self.policy.rules().len() as u32)
    }

    /// Set the address restrictions (DV等支援措置) in force (each validated; all or nothing).
    /// Returns how many.
    ///
    /// Codes: `malformed_document` and the protection codes.
    #[wasm_bindgen(js_name = setProtections)]
    pub fn set_protections(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "AddressProtection[]")] protections: JsValue,
    ) -> JsResult<u32> {
        let records: Vec<AddressProtection> = from_js(protections, "$")?;
        for r in &records {
            r.validate().map_err(to_js)?;
        }
        self.protections = Protections::new(records);
        Ok(self.protections.records.len() as u32)
    }

    /// The decision for a requester holding `relations` to a case, on a record kind and
    /// action: which information categories are open, and by which rule.
    ///
    /// Codes: `malformed_document`.
    #[wasm_bindgen(unchecked_return_type = "AccessDecision")]
    pub fn decide(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Requester")] requester: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CaseRelation[] | undefined")] relations: JsValue,
        #[wasm_bindgen(unchecked_param_type = "InfoCategory[] | undefined")] disclosed: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RecordKind")] kind: JsValue,
        #[wasm_bindgen(unchecked_param_type = "AccessAction")] action: JsValue,
    ) -> JsResult<JsValue> {
        let requester: Requester = from_js(requester, "$.requester")?;
        let relations: Vec<CaseRelation> = from_js_or_default(relations, "$.relations")?;
        let disclosed: Vec<InfoCategory> = from_js_or_default(disclosed, "$.disclosed")?;
        let kind: RecordKind = from_js(kind, "$.kind")?;
        let action: Action = from_js(action, "$.action")?;
        to_js_value(
            &self
                .policy
                .decide_with(&requester, &relations, &disclosed, kind, action),
        )
    }

    /// Read a household as `read` says: decided, redacted (addresses under restriction
    /// hidden) and logged (one view-log entry when anything was shown). Never refused.
    ///
    /// Codes: `malformed_document`.
    #[wasm_bindgen(js_name = readHousehold, unchecked_return_type = "HouseholdView")]
    pub fn read_household(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "ReadArgs")] read: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Household")] household: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ContactDetails[] | undefined")] contacts: JsValue,
    ) -> JsResult<JsValue> {
        let read: ReadArgs = from_js(read, "$.read")?;
        let household: Household = from_js(household, "$.household")?;
        let contacts: Vec<ContactDetails> = from_js_or_default(contacts, "$.contacts")?;
        let req = request(&read);
        let (policy, protections, tax, log) =
            (&self.policy, &self.protections, &self.tax, &mut self.log);
        let access = access::Access {
            policy,
            protections,
            tax,
        };
        to_js_value(&access.read_household(&req, &household, &contacts, log))
    }

    /// Read one person's contact details (address, phone, whereabouts) explicitly: refused
    /// `access_denied` when the policy does not open identity, `address_restricted` (and
    /// logged) under an address restriction, else shown and logged.
    ///
    /// Codes: `malformed_document`, `access_denied`, `address_restricted`, `unknown_person`.
    #[wasm_bindgen(js_name = readContact, unchecked_return_type = "ContactView")]
    pub fn read_contact(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "ReadArgs")] read: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Household")] household: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ContactDetails")] contact: JsValue,
    ) -> JsResult<JsValue> {
        let read: ReadArgs = from_js(read, "$.read")?;
        let household: Household = from_js(household, "$.household")?;
        let contact: ContactDetails = from_js(contact, "$.contact")?;
        let req = request(&read);
        let (policy, protections, tax, log) =
            (&self.policy, &self.protections, &self.tax, &mut self.log);
        let access = access::Access {
            policy,
            protections,
            tax,
        };
        let view = access.read_contact(&req, &household, &contact, log);
        to_js_value(&view.map_err(to_js)?)
    }

    /// The view log: who looked at `person`, what `worker` looked at, the views in `case`, or
    /// every record (no query).
    ///
    /// Codes: `malformed_document`.
    #[wasm_bindgen(js_name = viewLog, unchecked_return_type = "ViewRecord[]")]
    pub fn view_log(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ViewLogQuery | undefined")] query: JsValue,
    ) -> JsResult<JsValue> {
        let q: ViewLogQuery = from_js_or_default(query, "$")?;
        let records = if let Some(p) = &q.person {
            self.log.who_viewed(p)
        } else if let Some(w) = &q.worker {
            self.log.viewed_by(w)
        } else if let Some(c) = &q.case {
            self.log.case_views(c)
        } else {
            self.log.iter().collect()
        };
        to_js_value(&records)
    }
}

fn request(read: &ReadArgs) -> ReadRequest<'_> {
    ReadRequest {
        requester: &read.requester,
        relations: &read.relations,
        disclosed: &read.disclosed,
        case: read.case.as_ref(),
        at: read.at,
    }
}
