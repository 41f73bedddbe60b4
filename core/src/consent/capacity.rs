//! Who gives a consent (同意者) and whether they can: the person themself, a representative
//! with the basis of their authority (任意代理人 with a power of attorney, 成年後見人・保佐人・補助人
//! with the family court's ruling, 親権者 for a minor), and a minor's own consent given together
//! with a parent's (未成年者の同意と親権者の同意).
//!
//! [`check_capacity`] is pure: the registry passes whether the person is a minor on the day
//! (under 18, 民法第4条; from the birth date, else the approximate age; unknown age counts as an
//! adult, as a worker cannot refuse a consent on a guess).
//!
//! **Decisions.** (1) A representative's consent names the basis of the authority as text
//! (`委任状 2023-11-16`, `後見開始の審判 令和5年(家)第123号`): a blank basis is refused
//! (`proxy_without_basis`); the engine does not judge the document. (2) A minor's own consent
//! needs a parent's consent with it (`minor_without_parent_consent`), unless a parent gives it
//! as the representative (`given_by` = 親権者). Decision for practice: guidelines on personal
//! information treat children of about 12–15 and older as able to judge for themselves, but a
//! support plan's sharing across agencies is a legal act for which 親権者 consent is the safe
//! default; a municipality that wants otherwise records the parent's consent anyway. (3) 親権者
//! as representative of an adult is refused (`parent_of_adult`): parental authority ends at
//! majority, and an adult's representative is a guardian or a proxy. (4) Other household
//! members consent to the sharing of their *own* information in their own records (the record's
//! `person` is theirs); one member's consent never covers another's information.

use super::{ConsentError, ConsentMethod, ConsentTerms};
use crate::ids::*;
use serde::{Deserialize, Serialize};

/// A representative's standing (代理の根拠となる立場).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Representative {
    /// A proxy by power of attorney (任意代理人).
    Proxy,
    /// An adult guardian (成年後見人).
    Guardian,
    /// A curator (保佐人) with the power of representation.
    Curator,
    /// An assistant (補助人) with the power of representation.
    Assistant,
    /// A person with parental authority (親権者) of a minor.
    Parent,
}

/// Who gave a consent on the person's behalf (代理人による同意).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentGiver {
    /// The representative's standing.
    pub standing: Representative,
    /// The representative, when a registered person (a family member …); an outside guardian
    /// (a lawyer, a social worker) is not registered and is named by the basis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonId>,
    /// The basis of the authority (委任状, 後見開始の審判 …), as cited.
    pub basis: String,
}

/// A parent's consent given together with a minor's own (親権者の同意).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParentConsent {
    /// The parent, when a registered person (usually a household member).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonId>,
    /// How the parent consented.
    pub method: ConsentMethod,
}

/// Check who gives the consent in `terms`, the person being a minor on its day or not.
///
/// Errors (paths under `$.action.terms`): `proxy_without_basis`, `parent_of_adult`,
/// `minor_without_parent_consent`.
pub fn check_capacity(
    terms: &ConsentTerms,
    minor: bool,
    consent: &super::ConsentId,
) -> Result<(), ConsentError> {
    match &terms.given_by {
        Some(g) if g.basis.trim().is_empty() => Err(ConsentError::ProxyWithoutBasis {
            consent: consent.clone(),
            path: "$.action.terms.given_by.basis".into(),
        }),
        Some(g) if g.standing == Representative::Parent && !minor => {
            Err(ConsentError::ParentOfAdult {
                consent: consent.clone(),
                path: "$.action.terms.given_by.standing".into(),
            })
        }
        Some(_) => Ok(()),
        None if minor && terms.parent.is_none() => Err(ConsentError::MinorWithoutParent {
            consent: consent.clone(),
            path: "$.action.terms.parent".into(),
        }),
        None => Ok(()),
    }
}

/// Whether a person of this age is a minor (未成年者: under 18, 民法第4条).
pub fn is_minor(age: Option<u32>) -> bool {
    age.is_some_and(|a| a < 18)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coded::Coded;

    fn code(terms: &ConsentTerms, minor: bool) -> Option<&'static str> {
        check_capacity(terms, minor, &"c".into())
            .err()
            .map(|e| e.code())
    }

    #[test]
    fn who_may_consent() {
        let base = crate::consent::tests::terms(
            "p",
            &[crate::privacy::InfoCategory::Identity],
            crate::privacy::Recipient::Agency("a".into()),
        );
        assert_eq!(code(&base, false), None);
        assert_eq!(code(&base, true), Some("minor_without_parent_consent"));
        let with_parent = ConsentTerms {
            parent: Some(ParentConsent {
                person: None,
                method: ConsentMethod::Verbal,
            }),
            ..base.clone()
        };
        assert_eq!(code(&with_parent, true), None);
        let by = |standing, basis: &str| ConsentTerms {
            given_by: Some(ConsentGiver {
                standing,
                person: None,
                basis: basis.into(),
            }),
            ..base.clone()
        };
        assert_eq!(code(&by(Representative::Parent, "親権"), true), None);
        assert_eq!(
            code(&by(Representative::Parent, "親権"), false),
            Some("parent_of_adult")
        );
        assert_eq!(code(&by(Representative::Guardian, "審判"), false), None);
        assert_eq!(
            code(&by(Representative::Proxy, "  "), false),
            Some("proxy_without_basis")
        );
        assert!(is_minor(Some(17)) && !is_minor(Some(18)) && !is_minor(None));
    }
}
