//! The disclosure preview (情報提供の事前確認): what an audience may see of a case, decided and
//! redacted exactly as the `disclose` command would, without recording anything.

use super::CaseBook;
use crate::consent::InfoCategory;
use crate::disclosure::{self, CaseView, DisclosureDecision, DisclosureRequest};
use crate::journal::Store;
use crate::registry::RegistryError;
use crate::Error;
use serde::{Deserialize, Serialize};

/// A disclosure preview: the decision (level and the basis of every category) and the view the
/// audience would see if every allowed category were shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DisclosurePreview {
    /// What may be seen, and why.
    pub decision: DisclosureDecision,
    /// The redacted view of the case's household.
    pub view: CaseView,
}

impl<S: Store> CaseBook<S> {
    /// Preview a disclosure: decide with the book's consents and meeting types, and redact the
    /// case's household accordingly. Records nothing (the `disclose` command does).
    ///
    /// Errors: `not_found` at `$.case` (no such case), then those of [`disclosure::decide`]
    /// (`unknown_code` for a meeting type, `confidentiality_not_acknowledged`,
    /// `personal_info_not_allowed`, `consent_required`).
    pub fn preview_disclosure(
        &self,
        request: &DisclosureRequest,
    ) -> Result<DisclosurePreview, Error> {
        let registry = self.registry();
        let not_found = || -> Error {
            RegistryError::NotFound {
                entity: "case",
                id: request.case.to_string(),
                path: "$.case".into(),
            }
            .into()
        };
        let case = registry.case(&request.case).ok_or_else(not_found)?;
        let decision = disclosure::decide(request, registry.consents(), registry.meeting_types())?;
        let household = registry.household(case.household()).ok_or_else(not_found)?;
        let mut view = disclosure::redact(
            household,
            &decision,
            &InfoCategory::ALL,
            registry.taxonomies(),
        );
        // Address restriction (住所秘匿): as the `disclose` command hides it.
        crate::access::protect_case_view(&mut view, household, registry.protections(), request.on);
        Ok(DisclosurePreview { decision, view })
    }
}
