//! What the case lifecycle needs to know about other entities (taxonomies, agencies, referrals,
//! plans) without owning them.

use crate::agency::Directory;
use crate::ids::*;
use crate::plan::PlanStatus;
use crate::taxonomy::Taxonomies;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A referral (つなぎ) of a case that the receiving window has accepted (受入済み).
///
/// The referral module owns referrals; the case lifecycle only needs this summary to allow a
/// warm hand-off: a transfer of responsibility, or closure with a reason that
/// `requires_accepted_referral` (such as `transferred`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptedReferral {
    /// Referral id.
    pub id: ReferralId,
    /// The case referred.
    pub case: CaseId,
    /// Sending window.
    pub from: AgencyId,
    /// Receiving window, which accepted.
    pub to: AgencyId,
    /// Date of acceptance.
    pub accepted_on: NaiveDate,
}

/// Cross-entity facts the lifecycle checks ([`super::Case::apply`]); implemented by whatever
/// holds the taxonomies, the agency directory, referrals and plans (a journal, a test fixture).
pub trait CaseContext {
    /// The taxonomies in force (channels, issue categories, closure reasons).
    fn taxonomies(&self) -> &Taxonomies;
    /// Whether an agency id is in the directory.
    fn agency_exists(&self, id: &AgencyId) -> bool;
    /// The referral `id` of `case`, if it exists and was accepted (and not revoked since).
    fn accepted_referral(&self, case: &CaseId, id: &ReferralId) -> Option<AcceptedReferral>;
    /// The current version of plan `id`, if it exists.
    fn plan_status(&self, id: &PlanId) -> Option<PlanStatus>;
}

/// A plain in-memory [`CaseContext`]: for tests, vectors and small embeddings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SimpleContext {
    /// Taxonomies (the built-ins by default).
    #[serde(default)]
    pub taxonomies: Taxonomies,
    /// Agency ids in the directory.
    #[serde(default)]
    pub agencies: BTreeSet<AgencyId>,
    /// Accepted referrals.
    #[serde(default)]
    pub referrals: Vec<AcceptedReferral>,
    /// Plans (any versions; the highest version of an id counts).
    #[serde(default)]
    pub plans: Vec<PlanStatus>,
}

impl SimpleContext {
    /// Built-in taxonomies and the given agency ids; no referrals or plans.
    pub fn with_agencies<I, A>(agencies: I) -> Self
    where
        I: IntoIterator<Item = A>,
        A: Into<AgencyId>,
    {
        SimpleContext {
            taxonomies: Taxonomies::builtin(),
            agencies: agencies.into_iter().map(Into::into).collect(),
            referrals: Vec::new(),
            plans: Vec::new(),
        }
    }

    /// The given taxonomies and every agency of `directory`.
    pub fn from_directory(taxonomies: Taxonomies, directory: &Directory) -> Self {
        SimpleContext {
            taxonomies,
            agencies: directory.agencies().iter().map(|a| a.id.clone()).collect(),
            referrals: Vec::new(),
            plans: Vec::new(),
        }
    }
}

impl CaseContext for SimpleContext {
    fn taxonomies(&self) -> &Taxonomies {
        &self.taxonomies
    }
    fn agency_exists(&self, id: &AgencyId) -> bool {
        self.agencies.contains(id)
    }
    fn accepted_referral(&self, case: &CaseId, id: &ReferralId) -> Option<AcceptedReferral> {
        self.referrals
            .iter()
            .find(|r| &r.id == id && &r.case == case)
            .cloned()
    }
    fn plan_status(&self, id: &PlanId) -> Option<PlanStatus> {
        self.plans
            .iter()
            .filter(|p| &p.plan == id)
            .max_by_key(|p| p.version)
            .cloned()
    }
}
