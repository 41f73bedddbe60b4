//! JSON Schema (schemars) of every interchange document: the contract bindings and web teams build
//! on. `tests/tests/schemas.rs` fails when the checked-in `schemas/` folder is stale; regenerate
//! with `UPDATE_SCHEMAS=1 cargo test -p tsunagu-conformance --test schemas`.

use schemars::{schema_for, Schema};

/// Every document type with its schema file name (without `.schema.json`).
pub fn documents() -> Vec<(&'static str, Schema)> {
    vec![
        ("household", schema_for!(crate::household::Household)),
        ("agency_directory", schema_for!(crate::agency::Directory)),
        ("taxonomy", schema_for!(crate::taxonomy::TaxonomyDocument)),
        (
            "pattern_findings",
            schema_for!(Vec<crate::patterns::PatternFinding>),
        ),
        ("case", schema_for!(crate::case::Case)),
        ("case_command", schema_for!(crate::case::CaseCommand)),
        ("support_plan", schema_for!(crate::plan::SupportPlan)),
        (
            "liaison_contact",
            schema_for!(crate::referral::LiaisonContact),
        ),
        ("referral", schema_for!(crate::referral::Referral)),
        (
            "referral_command",
            schema_for!(crate::referral::ReferralCommand),
        ),
        ("meeting", schema_for!(crate::meeting::Meeting)),
        (
            "meeting_types",
            schema_for!(crate::meeting::MeetingTypesDocument),
        ),
        ("consent_record", schema_for!(crate::consent::ConsentRecord)),
        (
            "disclosure_request",
            schema_for!(crate::disclosure::DisclosureRequest),
        ),
        (
            "provision_record",
            schema_for!(crate::disclosure::ProvisionRecord),
        ),
        ("case_view", schema_for!(crate::disclosure::CaseView)),
        ("command", schema_for!(crate::registry::Command)),
        ("event", schema_for!(crate::registry::Event)),
        ("receipt", schema_for!(crate::registry::Receipt)),
        ("rule_document", schema_for!(crate::routing::RuleDocument)),
        ("situation", schema_for!(crate::routing::Situation)),
        ("routing", schema_for!(crate::routing::Routing)),
        ("roles", schema_for!(crate::worker::RolesDocument)),
        ("worker", schema_for!(crate::worker::Worker)),
        ("case_team", schema_for!(crate::worker::CaseTeam)),
        ("access_policy", schema_for!(crate::access::PolicyDocument)),
        (
            "address_protection",
            schema_for!(crate::access::AddressProtection),
        ),
        ("household_view", schema_for!(crate::access::HouseholdView)),
        ("view_record", schema_for!(crate::access::ViewRecord)),
    ]
}
