//! The liaison contact log (連絡調整記録): every contact with another agency — date, agency,
//! channel, purpose — optionally tagged with the CSW role and function it served (Sendai's ten
//! roles and four functions), and the per-agency-kind tally that is the shape of Ishinomaki's
//! Table 1 (481 contacts in five sectors).

use super::ReferralError;
use crate::agency::Directory;
use crate::ids::*;
use crate::taxonomy::{Label, Taxonomies};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

fn label(ja: &str, en: &str) -> Label {
    Label {
        ja: ja.into(),
        en: en.into(),
    }
}

/// How the contact was made (連絡手段).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContactChannel {
    /// 電話.
    Phone,
    /// 来所・訪問 (meeting at either agency's office).
    Visit,
    /// 家庭訪問・同行訪問 (at the household's home, together with the agency).
    HomeVisit,
    /// 会議・ケース会議 (a meeting).
    Meeting,
    /// メール.
    Email,
    /// 文書・郵送.
    Letter,
    /// オンライン (video call, chat).
    Online,
}

impl ContactChannel {
    /// Every channel.
    pub const ALL: [ContactChannel; 7] = [
        ContactChannel::Phone,
        ContactChannel::Visit,
        ContactChannel::HomeVisit,
        ContactChannel::Meeting,
        ContactChannel::Email,
        ContactChannel::Letter,
        ContactChannel::Online,
    ];
    /// Stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            ContactChannel::Phone => "phone",
            ContactChannel::Visit => "visit",
            ContactChannel::HomeVisit => "home_visit",
            ContactChannel::Meeting => "meeting",
            ContactChannel::Email => "email",
            ContactChannel::Letter => "letter",
            ContactChannel::Online => "online",
        }
    }
    /// Labels.
    pub fn label(self) -> Label {
        match self {
            ContactChannel::Phone => label("電話", "Phone"),
            ContactChannel::Visit => label("来所・訪問", "Office visit"),
            ContactChannel::HomeVisit => label("家庭訪問・同行訪問", "Home visit"),
            ContactChannel::Meeting => label("会議", "Meeting"),
            ContactChannel::Email => label("メール", "Email"),
            ContactChannel::Letter => label("文書", "Letter"),
            ContactChannel::Online => label("オンライン", "Online"),
        }
    }
}

/// The ten roles of Sendai's community social worker (CSWの10の役割), in Sendai's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CswRole {
    /// 受け止める: receive the consultation, whatever it is.
    Receive,
    /// つかむ: grasp the situation and the needs behind it.
    Grasp,
    /// 見立てる: assess.
    Assess,
    /// きっかけをつくる: create an opportunity (a first step, a meeting).
    CreateOpportunity,
    /// 共有する: share (information, the picture of the case) with others.
    Share,
    /// 高める: empower (the person, the community).
    Empower,
    /// 結ぶ: connect people with resources.
    Connect,
    /// 調整する: coordinate between agencies.
    Coordinate,
    /// 伴走する: accompany over time.
    Accompany,
    /// 形づくる: shape new resources and systems.
    Shape,
}

impl CswRole {
    /// Every role, in Sendai's order.
    pub const ALL: [CswRole; 10] = [
        CswRole::Receive,
        CswRole::Grasp,
        CswRole::Assess,
        CswRole::CreateOpportunity,
        CswRole::Share,
        CswRole::Empower,
        CswRole::Connect,
        CswRole::Coordinate,
        CswRole::Accompany,
        CswRole::Shape,
    ];
    /// Stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            CswRole::Receive => "receive",
            CswRole::Grasp => "grasp",
            CswRole::Assess => "assess",
            CswRole::CreateOpportunity => "create_opportunity",
            CswRole::Share => "share",
            CswRole::Empower => "empower",
            CswRole::Connect => "connect",
            CswRole::Coordinate => "coordinate",
            CswRole::Accompany => "accompany",
            CswRole::Shape => "shape",
        }
    }
    /// Labels.
    pub fn label(self) -> Label {
        match self {
            CswRole::Receive => label("受け止める", "Receive"),
            CswRole::Grasp => label("つかむ", "Grasp"),
            CswRole::Assess => label("見立てる", "Assess"),
            CswRole::CreateOpportunity => label("きっかけをつくる", "Create an opportunity"),
            CswRole::Share => label("共有する", "Share"),
            CswRole::Empower => label("高める", "Empower"),
            CswRole::Connect => label("結ぶ", "Connect"),
            CswRole::Coordinate => label("調整する", "Coordinate"),
            CswRole::Accompany => label("伴走する", "Accompany"),
            CswRole::Shape => label("形づくる", "Shape"),
        }
    }
}

/// The four functions of Sendai's CSW (CSWの4つの機能).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CswFunction {
    /// 介護予防の体制づくりの調整: coordination of the care-prevention system.
    CarePreventionCoordination,
    /// 個別支援: individual support.
    IndividualSupport,
    /// 地域活動支援: community-activity support.
    CommunityActivitySupport,
    /// ボランティアコーディネート: volunteer coordination.
    VolunteerCoordination,
}

impl CswFunction {
    /// Every function.
    pub const ALL: [CswFunction; 4] = [
        CswFunction::CarePreventionCoordination,
        CswFunction::IndividualSupport,
        CswFunction::CommunityActivitySupport,
        CswFunction::VolunteerCoordination,
    ];
    /// Stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            CswFunction::CarePreventionCoordination => "care_prevention_coordination",
            CswFunction::IndividualSupport => "individual_support",
            CswFunction::CommunityActivitySupport => "community_activity_support",
            CswFunction::VolunteerCoordination => "volunteer_coordination",
        }
    }
    /// Labels.
    pub fn label(self) -> Label {
        match self {
            CswFunction::CarePreventionCoordination => label(
                "介護予防の体制づくりの調整",
                "Coordination of the care-prevention system",
            ),
            CswFunction::IndividualSupport => label("個別支援", "Individual support"),
            CswFunction::CommunityActivitySupport => {
                label("地域活動支援", "Community-activity support")
            }
            CswFunction::VolunteerCoordination => {
                label("ボランティアコーディネート", "Volunteer coordination")
            }
        }
    }
}

/// One liaison contact (連絡調整) with another agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LiaisonContact {
    /// Contact id.
    pub id: ContactId,
    /// The case it was about; `None` for network work not tied to one case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<CaseId>,
    /// Date of the contact.
    pub on: NaiveDate,
    /// The agency contacted (its kind decides the Table 1 row).
    pub agency: AgencyId,
    /// How.
    pub channel: ContactChannel,
    /// What for (free text; may hold personal information, never in error messages).
    pub purpose: String,
    /// The CSW role the contact served, where recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csw_role: Option<CswRole>,
    /// The CSW function the contact served, where recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<CswFunction>,
}

impl LiaisonContact {
    /// Check one contact: the agency is in `directory` (`unknown_agency` at `$.agency`), the date
    /// is not after `today` (`future_date`), the purpose is not blank (`empty_text`).
    pub fn validate(&self, directory: &Directory, today: NaiveDate) -> Result<(), ReferralError> {
        self.validate_at("$", directory, today)
    }

    fn validate_at(
        &self,
        at: &str,
        directory: &Directory,
        today: NaiveDate,
    ) -> Result<(), ReferralError> {
        directory.check(&self.agency, &format!("{at}.agency"))?;
        if self.on > today {
            return Err(ReferralError::FutureDate {
                subject: format!("contact `{}`", self.id),
                on: self.on,
                today,
                path: format!("{at}.on"),
            });
        }
        if self.purpose.trim().is_empty() {
            return Err(ReferralError::EmptyText {
                subject: format!("contact `{}`", self.id),
                path: format!("{at}.purpose"),
            });
        }
        Ok(())
    }
}

/// Check a whole log: every contact as in [`LiaisonContact::validate`] (paths `$[i].…`), and
/// ids unique (`duplicate_contact` at `$[i].id`). Stops at the first problem.
pub fn validate_contacts(
    contacts: &[LiaisonContact],
    directory: &Directory,
    today: NaiveDate,
) -> Result<(), ReferralError> {
    for (i, c) in contacts.iter().enumerate() {
        if contacts[..i].iter().any(|b| b.id == c.id) {
            return Err(ReferralError::DuplicateContact {
                id: c.id.clone(),
                path: format!("$[{i}].id"),
            });
        }
        c.validate_at(&format!("$[{i}]"), directory, today)?;
    }
    Ok(())
}

/// Contacts per agency kind, one row per kind of `tax` in table order (zero rows included, as
/// in Table 1). A contact whose agency is not in `directory` is an error (`unknown_agency` at
/// `$[i].agency`), so no contact is silently left out of the figures.
pub fn contacts_by_agency_kind(
    contacts: &[LiaisonContact],
    directory: &Directory,
    tax: &Taxonomies,
) -> Result<Vec<(AgencyKindCode, u64)>, ReferralError> {
    let mut rows: Vec<(AgencyKindCode, u64)> = tax
        .agency_kinds()
        .iter()
        .map(|k| (k.code.clone(), 0))
        .collect();
    for (i, c) in contacts.iter().enumerate() {
        let a = directory.check(&c.agency, &format!("$[{i}].agency"))?;
        // The directory was validated against a taxonomy; if it was another one, the kind may be
        // missing here: report it rather than drop the contact.
        let row = rows.iter_mut().find(|(k, _)| k == &a.kind).ok_or_else(|| {
            crate::taxonomy::TaxonomyError::UnknownCode {
                list: "agency_kinds",
                code: a.kind.to_string(),
                path: format!("$[{i}].agency"),
            }
        })?;
        row.1 += 1;
    }
    Ok(rows)
}

/// Sector subtotals (小計) of per-kind counts, one row per sector of `tax` in table order (zero
/// rows included). Kinds unknown to `tax` are not counted.
pub fn sector_subtotals(
    by_kind: &[(AgencyKindCode, u64)],
    tax: &Taxonomies,
) -> Vec<(SectorCode, u64)> {
    tax.sectors()
        .iter()
        .map(|s| {
            let n = by_kind
                .iter()
                .filter(|(k, _)| tax.sector_of(k) == Some(&s.code))
                .map(|(_, n)| n)
                .sum();
            (s.code.clone(), n)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::lifecycle::tests::{d, directory};
    use super::*;
    use crate::coded::Coded;

    fn contact(id: &str, agency: &str, on: NaiveDate) -> LiaisonContact {
        LiaisonContact {
            id: id.into(),
            case: Some("case1".into()),
            on,
            agency: agency.into(),
            channel: ContactChannel::Phone,
            purpose: "share the assessment".into(),
            csw_role: Some(CswRole::Share),
            function: Some(CswFunction::IndividualSupport),
        }
    }

    #[test]
    fn labels_and_codes() {
        assert_eq!(CswRole::ALL.len(), 10);
        assert_eq!(CswRole::CreateOpportunity.code(), "create_opportunity");
        assert_eq!(CswRole::Shape.label().ja, "形づくる");
        assert_eq!(CswRole::Receive.label().ja, "受け止める");
        for r in CswRole::ALL {
            assert_eq!(serde_json::to_value(r).unwrap(), r.code());
        }
        for f in CswFunction::ALL {
            assert_eq!(serde_json::to_value(f).unwrap(), f.code());
        }
        for c in ContactChannel::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.code());
        }
    }

    #[test]
    fn validation() {
        let dir = directory();
        let c = contact("c1", "hokatsu_a", d(4, 1));
        c.validate(&dir, d(4, 1)).unwrap();

        let e = contact("c1", "nowhere", d(4, 1))
            .validate(&dir, d(4, 1))
            .unwrap_err();
        assert_eq!(
            (e.code(), e.path().as_deref()),
            ("unknown_agency", Some("$.agency"))
        );
        let e = c.validate(&dir, d(3, 31)).unwrap_err();
        assert_eq!(
            (e.code(), e.path().as_deref()),
            ("future_date", Some("$.on"))
        );
        let mut blank = c.clone();
        blank.purpose = " ".into();
        assert_eq!(
            blank.validate(&dir, d(4, 1)).unwrap_err().code(),
            "empty_text"
        );

        let log = [c.clone(), contact("c2", "nowhere", d(4, 1))];
        let e = validate_contacts(&log, &dir, d(4, 1)).unwrap_err();
        assert_eq!(e.path().as_deref(), Some("$[1].agency"));
        let log = [c.clone(), c];
        let e = validate_contacts(&log, &dir, d(4, 1)).unwrap_err();
        assert_eq!(
            (e.code(), e.path().as_deref()),
            ("duplicate_contact", Some("$[1].id"))
        );
    }

    #[test]
    fn json_shape() {
        let c: LiaisonContact = serde_json::from_str(
            r#"{"id":"c1","on":"2024-04-01","agency":"npo","channel":"home_visit",
                "purpose":"p","csw_role":"accompany","function":"community_activity_support"}"#,
        )
        .unwrap();
        assert_eq!(c.case, None);
        assert_eq!(c.channel, ContactChannel::HomeVisit);
        assert_eq!(c.csw_role, Some(CswRole::Accompany));
        assert!(serde_json::from_str::<LiaisonContact>(
            r#"{"id":"c1","on":"2024-04-01","agency":"npo","channel":"fax","purpose":"p"}"#
        )
        .is_err());
    }

    #[test]
    fn tally_by_kind_and_sector() {
        let dir = directory();
        let tax = Taxonomies::builtin();
        let log = [
            contact("c1", "hokatsu_a", d(4, 1)),
            contact("c2", "hokatsu_b", d(4, 2)),
            contact("c3", "jiritsu", d(4, 3)),
            contact("c4", "npo", d(4, 3)),
            contact("c5", "npo", d(4, 4)),
        ];
        let rows = contacts_by_agency_kind(&log, &dir, &tax).unwrap();
        assert_eq!(rows.len(), tax.agency_kinds().len());
        let get = |k: &str| rows.iter().find(|(c, _)| c.as_str() == k).unwrap().1;
        assert_eq!(get("community_general_support_center"), 2);
        assert_eq!(get("self_reliance_support_office"), 1);
        assert_eq!(get("npo"), 2);
        assert_eq!(get("police"), 0);
        assert_eq!(rows.iter().map(|r| r.1).sum::<u64>(), 5);

        let sectors = sector_subtotals(&rows, &tax);
        let get = |s: &str| sectors.iter().find(|(c, _)| c.as_str() == s).unwrap().1;
        assert_eq!(get("community_welfare_medical"), 2);
        assert_eq!(get("government"), 1);
        assert_eq!(get("private"), 2);
        assert_eq!(get("police_justice"), 0);
        assert_eq!(sectors.len(), 5);

        let bad = [contact("c9", "nowhere", d(4, 1))];
        let e = contacts_by_agency_kind(&bad, &dir, &tax).unwrap_err();
        assert_eq!(
            (e.code(), e.path().as_deref()),
            ("unknown_agency", Some("$[0].agency"))
        );
    }
}
