//! The serialised form of a partial report (by ids and codes, not by this partial's numbers),
//! which is also what equality compares.

use super::*;

/// The facts of one case by ids and codes (the serialised form).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
struct CaseWire {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    subject: Option<PersonId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    opened_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    first_consultation: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    outcome: Option<u8>,
    /// Sorted and without duplicates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    issues: Option<Versioned<Vec<IssueCode>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    open_at_start: Option<Versioned<bool>>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    reopened_in_year: bool,
}

/// Participation and community facts side by side in one object (`support` of the wire form).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
struct SupportWire {
    #[serde(flatten)]
    participation: ParticipationFacts,
    #[serde(flatten)]
    community: CommunityFacts,
}

/// A partial report by ids and codes: the serialised form, and what equality compares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct PartialWire {
    fiscal_year: FiscalYear,
    #[serde(default)]
    taxonomy_docs: BTreeMap<Position, TaxonomyDocument>,
    #[serde(default)]
    meeting_docs: BTreeMap<Position, MeetingTypesDocument>,
    #[serde(default)]
    agencies: IdMap<AgencyId, AgencyKindCode>,
    #[serde(default)]
    persons: IdMap<PersonId, Versioned<PersonFacts>>,
    #[serde(default)]
    cases: IdMap<CaseId, CaseWire>,
    #[serde(default)]
    referrals: IdMap<ReferralId, ReferralFacts>,
    #[serde(default)]
    meetings: BTreeMap<MeetingId, MeetingFacts>,
    #[serde(default)]
    contacts: IdMap<AgencyId, u64>,
    #[serde(default)]
    closures: BTreeMap<ClosureReasonCode, u64>,
    #[serde(default)]
    plans_made: u64,
    #[serde(default)]
    replans: u64,
    #[serde(default)]
    monitoring: u64,
    /// Participation and community facts, in one object as they always were serialised.
    #[serde(default)]
    support: SupportWire,
    /// Case-record facts (absent when empty, so older partials read and compare as before).
    #[serde(default, skip_serializing_if = "RecordFacts::is_empty")]
    record: RecordFacts,
    #[serde(default)]
    events: u64,
}

impl From<&PartialReport> for PartialWire {
    fn from(p: &PartialReport) -> Self {
        let cases = p
            .cases
            .iter()
            .map(|(k, c)| {
                let issues = c.issues.as_ref().map(|v| {
                    let mut codes: Vec<IssueCode> = v
                        .value
                        .iter()
                        .map(|i| p.issue_codes.key(i as usize).clone())
                        .collect();
                    codes.sort_unstable();
                    Versioned {
                        at: v.at,
                        value: codes,
                    }
                });
                let wire = CaseWire {
                    subject: c.subject.map(|s| p.persons.key(s as usize).clone()),
                    opened_on: c.opened_on,
                    first_consultation: c.first_consultation,
                    outcome: c.outcome,
                    issues,
                    open_at_start: c.open_at_start.clone(),
                    reopened_in_year: c.reopened_in_year,
                };
                (k.clone(), wire)
            })
            // A case without facts is no case (a ledger numbers every case of its journal).
            .filter(|(_, w)| *w != CaseWire::default())
            .collect();
        PartialWire {
            fiscal_year: p.fiscal_year,
            taxonomy_docs: p.taxonomy_docs.clone(),
            meeting_docs: p.meeting_docs.clone(),
            agencies: p.agencies.clone(),
            persons: p
                .persons
                .iter()
                .filter_map(|(k, v)| v.clone().map(|v| (k.clone(), v)))
                .collect(),
            cases,
            referrals: p
                .referrals
                .iter()
                .filter(|(_, v)| **v != ReferralFacts::default())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            meetings: p.meetings.clone(),
            contacts: p
                .contacts
                .iter()
                .filter(|(_, n)| **n > 0)
                .map(|(k, n)| (k.clone(), *n))
                .collect(),
            closures: p
                .closures
                .iter()
                .filter(|(_, n)| **n > 0)
                .map(|(k, n)| (k.clone(), *n))
                .collect(),
            plans_made: p.plans_made,
            replans: p.replans,
            monitoring: p.monitoring,
            support: SupportWire {
                participation: p.participation.clone(),
                community: p.community.clone(),
            },
            record: p.record.clone(),
            events: p.events,
        }
    }
}

impl From<PartialWire> for PartialReport {
    fn from(w: PartialWire) -> Self {
        let mut p = PartialReport::new(w.fiscal_year);
        p.taxonomy_docs = w.taxonomy_docs;
        p.meeting_docs = w.meeting_docs;
        p.agencies = w.agencies;
        for (k, v) in w.persons {
            p.persons.intern_owned(k, || Some(v));
        }
        for (k, c) in w.cases {
            let subject = c.subject.map(|s| p.persons.intern_owned(s, || None) as u32);
            let issues = c.issues.map(|v| {
                let mut set = IssueSet::default();
                for code in v.value {
                    set.insert(p.issue_codes.intern_owned(code, || ()) as u32);
                }
                Versioned {
                    at: v.at,
                    value: set,
                }
            });
            let facts = CaseFacts {
                subject,
                opened_on: c.opened_on,
                first_consultation: c.first_consultation,
                outcome: c.outcome,
                issues,
                open_at_start: c.open_at_start,
                reopened_in_year: c.reopened_in_year,
            };
            p.cases.intern_owned(k, || facts);
        }
        for (k, v) in w.referrals {
            p.referrals.intern_owned(k, || v);
        }
        p.meetings = w.meetings;
        for (k, n) in w.contacts {
            p.contacts.intern_owned(k, || n);
        }
        for (k, n) in w.closures {
            *p.closures.get_or_insert_owned(k, || 0) += n;
        }
        p.plans_made = w.plans_made;
        p.replans = w.replans;
        p.monitoring = w.monitoring;
        p.participation = w.support.participation;
        p.community = w.support.community;
        p.record = w.record;
        p.events = w.events;
        p
    }
}

impl PartialEq for PartialReport {
    /// By ids and codes: the same facts, whatever the partials' internal numbering.
    fn eq(&self, other: &Self) -> bool {
        PartialWire::from(self) == PartialWire::from(other)
    }
}

impl Serialize for PartialReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        PartialWire::from(self).serialize(s)
    }
}

impl<'de> Deserialize<'de> for PartialReport {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        PartialWire::deserialize(d).map(PartialReport::from)
    }
}
