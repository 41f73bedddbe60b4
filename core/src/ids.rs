//! Identifiers (ID) and taxonomy codes: string newtypes, so a person id can never be passed where
//! an agency id is expected.
//!
//! Ids are opaque strings chosen by the embedding system (a municipal case system usually has its
//! own numbering). Codes are the stable keys of taxonomy entries (`hikikomori`,
//! `community_general_support_center` …); whether a code exists is checked against a
//! [`crate::taxonomy::Taxonomies`] at validation time, not at parse time, so documents stay
//! readable when a municipality extends its taxonomy.

macro_rules! string_newtype {
    ($( $(#[$doc:meta])* $name:ident ),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash,
                 serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
        #[serde(transparent)]
        pub struct $name(pub String);

        // Kotlin and Swift see the id as its string (a type alias).
        #[cfg(feature = "uniffi")]
        uniffi::custom_newtype!($name, String);

        impl $name {
            /// Build from anything string-like.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }
            /// The raw string.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_string())
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    )*};
}

string_newtype! {
    /// Meeting type code (会議の種類), e.g. `support_meeting`; also the code of a municipal alias
    /// such as Sendai's `sendai_tsunagaru_support` (つながる会議).
    MeetingTypeCode,
    /// Household (世帯) id.
    HouseholdId,
    /// Person (本人 / 世帯員) id.
    PersonId,
    /// Case (ケース) id.
    CaseId,
    /// Support plan (支援プラン) id; versions of one plan share it.
    PlanId,
    /// Agency (関係機関) id in the directory.
    AgencyId,
    /// Worker (相談員, CSW …) id.
    WorkerId,
    /// Referral (つなぎ) id.
    ReferralId,
    /// Liaison contact (連絡調整) id.
    ContactId,
    /// Area code (小地域, 日常生活圏域, 区 …) as the municipality numbers them.
    AreaCode,
    /// Issue category code (地域生活課題の分類), e.g. `hikikomori`.
    IssueCode,
    /// Agency kind code (関係機関の種別), e.g. `community_general_support_center`.
    AgencyKindCode,
    /// Sector code (分野) grouping agency kinds, e.g. `government`.
    SectorCode,
    /// Component project code (事業), e.g. `multi_agency`.
    ProjectCode,
    /// Intake channel code (受付経路), e.g. `phone`.
    ChannelCode,
    /// Closure reason code (終結理由), e.g. `resolved`.
    ClosureReasonCode,
    /// Long-term-care level code (要介護度), e.g. `care_3`.
    CareLevelCode,
    /// Disability certificate kind code (障害者手帳の種類), e.g. `mental`.
    CertificateKindCode,
    /// Worker role code (職種・役割), e.g. `consultation_support_worker` (相談支援員); roles are
    /// data that a municipality extends.
    RoleCode,
}

/// Lets other modules define their own ids and codes with the same pattern.
pub(crate) use string_newtype;
