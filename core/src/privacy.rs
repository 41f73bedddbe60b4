//! Privacy vocabulary (個人情報の語彙): the words consent, disclosure and meetings share.
//!
//! - [`InfoCategory`] — the category of personal information (情報の区分) a consent covers and a
//!   disclosure reveals; two of them are special-care-required information (要配慮個人情報).
//! - [`Recipient`] — to whom a consent lets information go (提供先: an agency, every agency of a
//!   kind, or the members of a meeting type).
//! - [`Audience`] — who would actually see the information in a disclosure (提供先: one agency,
//!   or the members of one meeting).
//!
//! These sit below [`crate::consent`] (which records consents to recipients),
//! [`crate::meeting`] (whose types open categories by statute) and [`crate::disclosure`] (which
//! decides what an audience may see), so none of the three needs another for its words. Whether a
//! recipient covers an audience is consent's rule (`Recipient::covers`, in [`crate::consent`]).

use crate::ids::*;
use serde::{Deserialize, Serialize};

/// Category of personal information (情報の区分) a consent covers and a disclosure reveals.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum InfoCategory {
    /// Identity (本人を特定する情報): name, ids, birth date, nationality.
    Identity,
    /// Household situation (世帯の状況): composition, relations to the head, area, employment,
    /// single parenthood, caring roles, engagement, everyday issues.
    Household,
    /// Health and disability (心身の状況・障害) — 要配慮個人情報: care level, disability
    /// certificates, hospitalisation, health issues.
    HealthDisability,
    /// Finances (経済状況): public assistance, income, debt, rent, tax.
    Finances,
    /// Legal and criminal matters (犯罪被害・法的問題) — 要配慮個人情報: DV and abuse
    /// (犯罪により害を被った事実), legal trouble.
    LegalCriminal,
    /// Relations (人間関係・つながり): the eco-map, family and neighbourhood relations.
    Relations,
}

impl InfoCategory {
    /// Every category, in order.
    pub const ALL: [InfoCategory; 6] = [
        InfoCategory::Identity,
        InfoCategory::Household,
        InfoCategory::HealthDisability,
        InfoCategory::Finances,
        InfoCategory::LegalCriminal,
        InfoCategory::Relations,
    ];

    /// Special-care-required personal information (要配慮個人情報, 個人情報保護法第2条第3項).
    pub fn is_special_care(self) -> bool {
        matches!(
            self,
            InfoCategory::HealthDisability | InfoCategory::LegalCriminal
        )
    }

    /// Stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            InfoCategory::Identity => "identity",
            InfoCategory::Household => "household",
            InfoCategory::HealthDisability => "health_disability",
            InfoCategory::Finances => "finances",
            InfoCategory::LegalCriminal => "legal_criminal",
            InfoCategory::Relations => "relations",
        }
    }
}

/// To whom a consent lets information go (提供先).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    /// One agency.
    Agency(AgencyId),
    /// Every agency of a kind (e.g. `community_general_support_center`).
    AgencyKind(AgencyKindCode),
    /// The members of a meeting of this type (a base type or a municipal alias; an alias and its
    /// base name the same meetings).
    MeetingType(MeetingTypeCode),
}

/// Who would see the information (提供先).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Audience {
    /// A single agency (another window, a service provider …); it needs the person's consent.
    Agency {
        /// The agency.
        id: AgencyId,
        /// Its kind (consents may name a whole kind).
        kind: AgencyKindCode,
    },
    /// The members of a meeting of a type.
    Meeting {
        /// The type (a base type or a municipal alias).
        meeting_type: MeetingTypeCode,
        /// Every participant acknowledged confidentiality.
        participants_acknowledged: bool,
    },
}

impl std::fmt::Display for Audience {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Audience::Agency { id, .. } => write!(f, "agency `{id}`"),
            Audience::Meeting { meeting_type, .. } => write!(f, "meeting `{meeting_type}`"),
        }
    }
}
