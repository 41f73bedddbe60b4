//! Convener designations (会議の招集者の指定): which agency a municipality has designated to
//! convene which meeting type, in which role, from which day and on which basis.
//!
//! The right to convene a meeting comes from here, not from the meeting record: a meeting
//! record names its convening agency and the registry looks the designation up (the role the
//! statistics count is the designation's). Typical entries: the municipality's 重層 office for
//! 支援会議 (社会福祉法第106条の6, role `municipality`) and for 重層的支援会議; the council's CSW
//! office as 多機関協働事業者 for 重層的支援会議.
//!
//! **Decisions.** (1) A designation has no end date: a municipality that moves the office
//! designates the new one; the old stays (meetings it convened stay valid). (2) A designation
//! of a municipal alias counts for its base type and the other way round (the caller passes the
//! type comparison, so this module needs no meeting-type table). (3) The first designation puts
//! the meeting register in force ([`Designations::in_force`]): from then on a disclosure to a
//! meeting names a held meeting and a referral is sent only with consent or a legal basis. Journals
//! written before designations existed (no designation at all) replay as they did, the same
//! setup-mode rule as actors (`worker::Staff::authorise`).

use crate::ids::*;
use crate::meeting::ConvenerRole;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A designation (指定) of an agency as convener of a meeting type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConvenerDesignation {
    /// The designated agency.
    pub agency: AgencyId,
    /// The meeting type (a base type or a municipal alias).
    pub meeting_type: MeetingTypeCode,
    /// The role it convenes in (must be one the type allows).
    pub role: ConvenerRole,
    /// First day in force.
    pub from: NaiveDate,
    /// The basis of the designation as the municipality cites it (e.g. `重層的支援体制整備事業実施要綱第5条`).
    pub basis: String,
}

/// Every convener designation of the municipality, in the order made.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(transparent)]
pub struct Designations {
    list: Vec<ConvenerDesignation>,
}

impl Designations {
    /// Whether any designation exists: the meeting register is in force (see the module docs).
    pub fn in_force(&self) -> bool {
        !self.list.is_empty()
    }

    /// Whether there is no designation (the register is not in force).
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// All designations, in the order made.
    pub fn all(&self) -> &[ConvenerDesignation] {
        &self.list
    }

    /// Whether `agency` holds a designation for the meeting type on `on`. `same_type` compares a
    /// designation's type with the meeting's (base and alias equal). The first matching
    /// designation in force is returned, so its role is the convener's.
    pub fn find(
        &self,
        agency: &AgencyId,
        on: NaiveDate,
        same_type: impl Fn(&MeetingTypeCode) -> bool,
    ) -> Option<&ConvenerDesignation> {
        self.list
            .iter()
            .find(|d| &d.agency == agency && d.from <= on && same_type(&d.meeting_type))
    }

    /// Whether the same agency is already designated for the same type (compared by `same_type`).
    pub fn contains(
        &self,
        agency: &AgencyId,
        same_type: impl Fn(&MeetingTypeCode) -> bool,
    ) -> bool {
        self.list
            .iter()
            .any(|d| &d.agency == agency && same_type(&d.meeting_type))
    }

    /// Add a designation (the registry checks it first).
    pub fn push(&mut self, designation: ConvenerDesignation) {
        self.list.push(designation);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_designation_holds_from_its_day_for_its_type_only() {
        let mut all = Designations::default();
        assert!(!all.in_force());
        all.push(ConvenerDesignation {
            agency: "city".into(),
            meeting_type: "support_meeting".into(),
            role: ConvenerRole::Municipality,
            from: d("2024-04-01"),
            basis: "要綱第5条".into(),
        });
        assert!(all.in_force());
        let same = |t: &MeetingTypeCode| t.as_str() == "support_meeting";
        assert!(all.find(&"city".into(), d("2024-04-01"), same).is_some());
        assert!(all.find(&"city".into(), d("2024-03-31"), same).is_none());
        assert!(all.find(&"csw".into(), d("2024-05-01"), same).is_none());
        let other = |t: &MeetingTypeCode| t.as_str() == "multi_layered_support_meeting";
        assert!(all.find(&"city".into(), d("2024-05-01"), other).is_none());
        assert!(all.contains(&"city".into(), same));
    }
}
