//! Fixtures (テスト用データ): datasets for tests, benchmarks and the bindings' test suites: the Ishinomaki 2020 journal
//! (seeds 003) and a seeded synthetic journal of any size.
//!
//! Both are *valid journals*: every event replays through [`crate::registry::Registry`]
//! (checked by tests), and events are dated on the day they were recorded.

use crate::agency::Agency;
use crate::calendar::FiscalYear;
use crate::case::{Assessment, CaseCommand, Intake, MemberIssues, Outcome, Urgency};
use crate::household::{Area, Household, Person, Relation};
use crate::ids::*;
use crate::meeting::{Convener, ConvenerRole, Meeting, MeetingTypesDocument, Participant};
use crate::plan::{MonitoringRecord, SupportPlan};
use crate::referral::{ContactChannel, LiaisonContact, ReferralCommand, ReferralProposal};
use crate::registry::{
    CaseAction, Command, ConsentToPlan, CreatePlan, Event, ExtendMeetingTypes, HoldMeeting,
    LogContact, OpenCase, ProposeReferral, RecordMonitoring, ReferralAction, RegisterAgency,
    RegisterHousehold,
};
use chrono::{Days, NaiveDate};
use serde_json::json;

fn ev(on: NaiveDate, command: Command) -> Event {
    Event::new(on, command)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("fixture dates are valid")
}

fn plus(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_add_days(Days::new(days))
        .expect("fixture dates stay in range")
}

fn agency(id: &str, kind: &str) -> Agency {
    serde_json::from_value(json!({ "id": id, "name": format!("agency {id}"), "kind": kind }))
        .expect("fixture agency parses")
}

fn household(id: &str, person: &str, birth: Option<NaiveDate>) -> Household {
    let mut p = Person::new(person, Relation::Head);
    p.birth_date = birth;
    Household {
        id: id.into(),
        area: Area::default(),
        members: vec![p],
        issues: vec![],
        ties: vec![],
    }
}

fn plan(id: &str, case: &str, on: NaiveDate, agency: &str) -> SupportPlan {
    serde_json::from_value(json!({
        "id": id, "case": case, "version": 1, "created_on": on,
        "chief_complaint": "生活が苦しい", "wishes": "安心して暮らしたい", "policy": "伴走する",
        "approaches": ["problem_solving", "staying_connected"],
        "short_term_goals": [ { "id": "g1", "text": "生活の安定", "target_date": plus(on, 180) } ],
        "actions": [ { "id": "a1", "description": "訪問と連絡調整", "responsible": { "type": "agency", "agency": agency },
                       "schedule": { "text": "月1回" }, "goals": ["g1"] } ],
        "monitoring": { "first_on": plus(on, 30), "interval_days": 60 }
    }))
    .expect("fixture plan parses")
}

fn monitoring(on: NaiveDate) -> MonitoringRecord {
    serde_json::from_value(json!({ "on": on, "by": "worker-1", "decision": "continue",
        "progress": [ { "goal": "g1", "progress": "in_progress" } ] }))
    .expect("fixture monitoring parses")
}

/// The events of one case up to its outcome decision (and, for continuing support, a plan
/// adopted); returns the date of the last event.
#[allow(clippy::too_many_arguments)]
fn case_events(
    out: &mut Vec<Event>,
    case: &str,
    hh: &str,
    person: &str,
    window: &str,
    on: NaiveDate,
    issues: Vec<IssueCode>,
    outcome: Outcome,
) -> NaiveDate {
    out.push(ev(
        on,
        Command::OpenCase(OpenCase {
            case: case.into(),
            household: hh.into(),
            subject: person.into(),
            responsible_window: window.into(),
            intake: Intake {
                channel: "phone".into(),
                receiving_window: window.into(),
                chief_complaint: "相談".into(),
                on,
            },
        }),
    ));
    out.push(ev(
        on,
        Command::Case(CaseAction {
            case: case.into(),
            action: CaseCommand::BeginAssessment,
        }),
    ));
    out.push(ev(
        on,
        Command::Case(CaseAction {
            case: case.into(),
            action: CaseCommand::RecordAssessment {
                assessment: Assessment {
                    on,
                    issues: vec![MemberIssues {
                        member: Some(person.into()),
                        issues,
                    }],
                    strengths: vec![],
                    wishes: "暮らしを立て直したい".into(),
                    urgency: Urgency::Normal,
                },
            },
        }),
    ));
    out.push(ev(
        on,
        Command::Case(CaseAction {
            case: case.into(),
            action: CaseCommand::Decide { outcome },
        }),
    ));
    if outcome != Outcome::ContinuingSupport {
        return on;
    }
    let p = format!("p-{case}");
    out.push(ev(
        on,
        Command::CreatePlan(CreatePlan {
            plan: plan(&p, case, on, window),
        }),
    ));
    out.push(ev(
        on,
        Command::ConsentToPlan(ConsentToPlan {
            plan: p.as_str().into(),
            consent: serde_json::from_value(json!({ "on": on, "method": "signature" }))
                .expect("consent parses"),
        }),
    ));
    out.push(ev(
        on,
        Command::Case(CaseAction {
            case: case.into(),
            action: CaseCommand::AdoptPlan {
                plan: p.as_str().into(),
            },
        }),
    ));
    on
}

// ------------------------------------------------------------------------------ Ishinomaki

/// Table 1 of seeds 003 (相談支援機関等との連絡調整, 石巻市 2020年度): agency kind → contacts.
pub const ISHINOMAKI_TABLE_1: &[(&str, u64)] = &[
    ("city_public_assistance_division", 54),
    ("city_disability_welfare_division", 3),
    ("city_long_term_care_insurance_division", 3),
    ("city_child_support_division", 1),
    ("city_board_of_education", 0),
    ("city_housing_division", 18),
    ("city_abuse_prevention_center", 5),
    ("citizens_consultation_center", 6),
    ("city_welfare_general_affairs_division", 7),
    ("city_health_promotion_division", 10),
    ("branch_office", 33),
    ("city_other", 12),
    ("other_government", 2),
    ("hello_work", 0),
    ("community_general_support_center", 28),
    ("life_support_coordinator", 0),
    ("disability_consultation_office", 6),
    ("care_manager", 15),
    ("care_service_provider", 17),
    ("disability_service_provider", 0),
    ("social_welfare_council", 2),
    ("medical_institution_pharmacy", 127),
    ("welfare_commissioner", 4),
    ("neighbourhood_association", 0),
    ("welfare_cooperator", 0),
    ("neighbour", 1),
    ("nursery_kindergarten", 0),
    ("elementary_school", 0),
    ("junior_high_school", 0),
    ("high_school", 21),
    ("police", 0),
    ("public_prosecutors_office", 0),
    ("lawyer", 11),
    ("landlord_real_estate", 3),
    ("private_business", 8),
    ("karakoro_station", 20),
    ("npo", 21),
    ("private_other", 43),
];

/// Sector subtotals (計) of Table 1: 154 / 200 / 21 / 11 / 95, total 481.
pub const ISHINOMAKI_SECTORS: &[(&str, u64)] = &[
    ("government", 154),
    ("community_welfare_medical", 200),
    ("childcare_education", 21),
    ("police_justice", 11),
    ("private", 95),
];

/// The four 相談支援包括化推進ネットワーク会議 of 2020年度 (表2).
pub const ISHINOMAKI_NETWORK_MEETINGS: [(i32, u32, u32); 4] =
    [(2020, 6, 23), (2020, 8, 20), (2020, 10, 6), (2021, 3, 17)];

/// Case meetings convened by the 相談支援包括化推進員 (the source's 12回).
pub const ISHINOMAKI_CASE_MEETINGS_BY_PROMOTER: u64 = 12;
/// Case meetings convened by others, the city included (the source's 5回).
pub const ISHINOMAKI_CASE_MEETINGS_BY_OTHERS: u64 = 5;

/// Ages at intake of the 24 first consultations: more than 80 % aged 40 or over, half 65 or over
/// (seeds 003, 図2 as described in the text; the graph itself is not in the source).
const ISHINOMAKI_AGES: [u32; 24] = [
    17, 26, 33, 38, 42, 45, 48, 51, 55, 58, 61, 63, 66, 68, 69, 70, 72, 73, 74, 76, 79, 81, 84, 88,
];

/// The Ishinomaki 2020 journal (seeds 003): 24 first consultations (2 a month) — 13 single
/// (information only) and 11 continuing (each with a plan) —, 481 liaison contacts with the
/// continuing cases distributed exactly as Table 1, 12 + 5 case meetings and the four network
/// meetings (an alias of `promotion_meeting` named 相談支援包括化推進ネットワーク会議).
///
/// The source is inconsistent on case meetings: "推進員主体のケース会議が12回、…その他主体による
/// ものが5回の計9回" (12 + 5 = 17 ≠ 9). The dataset holds the two itemised figures (17 meetings);
/// the report's total is their sum, 17. It also speaks of 11 continuing consultations (ア, イ) and
/// of records kept for "継続相談に至っている相談者13名" (オ); the dataset follows ア and イ (11).
pub fn ishinomaki_2020() -> Vec<Event> {
    let setup = date(2020, 4, 1);
    let window = "ishinomaki-promoter";
    let city = "ishinomaki-city-hall";
    let houkatsu = "ishinomaki-community_general_support_center";
    let mut out = vec![];
    out.push(ev(
        setup,
        Command::RegisterAgency(RegisterAgency {
            agency: agency(window, "multi_agency_coordinator"),
        }),
    ));
    out.push(ev(
        setup,
        Command::RegisterAgency(RegisterAgency {
            agency: agency(city, "comprehensive_window"),
        }),
    ));
    for (kind, _) in ISHINOMAKI_TABLE_1 {
        out.push(ev(
            setup,
            Command::RegisterAgency(RegisterAgency {
                agency: agency(&format!("ishinomaki-{kind}"), kind),
            }),
        ));
    }
    let alias: MeetingTypesDocument = serde_json::from_value(json!({ "aliases": [ {
        "code": "ishinomaki_network_meeting", "ja": "相談支援包括化推進ネットワーク会議",
        "en": "Network meeting for comprehensive consultation support (Ishinomaki)", "base": "promotion_meeting" } ] }))
    .expect("alias parses");
    out.push(ev(
        setup,
        Command::ExtendMeetingTypes(ExtendMeetingTypes { document: alias }),
    ));

    // Cases: two a month, 5th and 20th; even indices continue (11), odd ones are single (13).
    let issue_sets: [&[&str]; 6] = [
        &["health_disability", "income_living_costs", "housing"],
        &["health_disability", "income_living_costs"],
        &["income_living_costs", "housing", "debt"],
        &["health_disability", "family_relations"],
        &["housing", "long_term_care"],
        &[
            "health_disability",
            "income_living_costs",
            "community_relations",
        ],
    ];
    let mut continuing = vec![];
    let mut case_events_all = vec![];
    for i in 0..24u32 {
        let month = i / 2;
        let (y, m) = if month < 9 {
            (2020, month + 4)
        } else {
            (2021, month - 8)
        };
        let on = date(y, m, if i % 2 == 0 { 5 } else { 20 });
        let (hh, person, case) = (
            format!("ih-{i:02}"),
            format!("ip-{i:02}"),
            format!("ic-{i:02}"),
        );
        let age = ISHINOMAKI_AGES[i as usize];
        let birth = on
            .checked_sub_months(chrono::Months::new(age * 12 + 3))
            .expect("birth date");
        case_events_all.push(ev(
            on,
            Command::RegisterHousehold(RegisterHousehold {
                household: household(&hh, &person, Some(birth)),
            }),
        ));
        let cont = i % 2 == 0 && i <= 20;
        let outcome = if cont {
            Outcome::ContinuingSupport
        } else {
            Outcome::InformationOnly
        };
        let issues = issue_sets[i as usize % 6]
            .iter()
            .map(|s| IssueCode::from(*s))
            .collect();
        case_events(
            &mut case_events_all,
            &case,
            &hh,
            &person,
            window,
            on,
            issues,
            outcome,
        );
        if cont {
            continuing.push((case, on));
        }
    }
    out.extend(case_events_all);

    // 481 contacts, Table 1 row by row, round-robin over the continuing cases.
    let kinds: Vec<&str> = ISHINOMAKI_TABLE_1
        .iter()
        .flat_map(|(k, n)| std::iter::repeat_n(*k, *n as usize))
        .collect();
    let mut dated = vec![];
    for (k, kind) in kinds.iter().enumerate() {
        let (case, start) = &continuing[k % continuing.len()];
        let on = plus(*start, 3 + (k / continuing.len()) as u64);
        dated.push(ev(
            on,
            Command::LogContact(LogContact {
                contact: LiaisonContact {
                    id: format!("icon-{k:03}").into(),
                    case: Some(case.as_str().into()),
                    on,
                    agency: format!("ishinomaki-{kind}").into(),
                    channel: if k % 3 == 0 {
                        ContactChannel::Visit
                    } else {
                        ContactChannel::Phone
                    },
                    purpose: "支援方針の共有".into(),
                    csw_role: None,
                    function: None,
                },
            }),
        ));
    }
    // Monitoring of each plan 40 days in.
    for (case, start) in &continuing {
        let on = plus(*start, 40);
        dated.push(ev(
            on,
            Command::Case(CaseAction {
                case: case.as_str().into(),
                action: CaseCommand::StartMonitoring,
            }),
        ));
        dated.push(ev(
            on,
            Command::RecordMonitoring(RecordMonitoring {
                plan: format!("p-{case}").into(),
                record: monitoring(on),
            }),
        ));
        dated.push(ev(
            on,
            Command::Case(CaseAction {
                case: case.as_str().into(),
                action: CaseCommand::ContinueSupport,
            }),
        ));
    }
    // Case meetings: 12 by the promoter, 3 by the city, 2 by a 地域包括支援センター.
    let conveners = std::iter::repeat_n((window, ConvenerRole::MultiAgencyOperator), 12)
        .chain(std::iter::repeat_n((city, ConvenerRole::Municipality), 3))
        .chain(std::iter::repeat_n((houkatsu, ConvenerRole::AnyAgency), 2));
    for (n, (agency_id, role)) in conveners.enumerate() {
        let (case, start) = &continuing[n % continuing.len()];
        let on = plus(*start, 10 + n as u64);
        dated.push(ev(
            on,
            Command::HoldMeeting(HoldMeeting {
                meeting: Meeting {
                    id: format!("icm-{n:02}").into(),
                    meeting_type: "case_conference".into(),
                    date: on,
                    convener: Convener {
                        agency: agency_id.into(),
                        role,
                    },
                    participants: vec![Participant {
                        agency: window.into(),
                        acknowledged_confidentiality: true,
                    }],
                    cases: vec![case.as_str().into()],
                    decisions: vec![],
                    next_review: None,
                },
            }),
        ));
    }
    for (n, (y, m, d)) in ISHINOMAKI_NETWORK_MEETINGS.iter().enumerate() {
        let on = date(*y, *m, *d);
        dated.push(ev(
            on,
            Command::HoldMeeting(HoldMeeting {
                meeting: Meeting {
                    id: format!("inet-{n}").into(),
                    meeting_type: "ishinomaki_network_meeting".into(),
                    date: on,
                    convener: Convener {
                        agency: window.into(),
                        role: ConvenerRole::MultiAgencyOperator,
                    },
                    participants: vec![Participant {
                        agency: city.into(),
                        acknowledged_confidentiality: false,
                    }],
                    cases: vec![],
                    decisions: vec![],
                    next_review: None,
                },
            }),
        ));
    }
    // A journal is in recording order: merge the dated events into the case events by date
    // (stable: same-day events keep their order, case events first).
    dated.sort_by_key(|e| e.on);
    let mut merged = Vec::with_capacity(out.len() + dated.len());
    let mut it = dated.into_iter().peekable();
    for e in out {
        while it.peek().is_some_and(|d| d.on < e.on) {
            merged.extend(it.next());
        }
        merged.push(e);
    }
    merged.extend(it);
    merged
}

// ------------------------------------------------------------------------------ synthetic

/// A small deterministic PRNG (xorshift64*), so fixtures need no extra crate.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// Seeded generator (a zero seed is replaced by a constant).
    pub fn new(seed: u64) -> Self {
        Rng(if seed == 0 {
            0x9e37_79b9_7f4a_7c15
        } else {
            seed
        })
    }
    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

/// Shape of a synthetic journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synthetic {
    /// Seed.
    pub seed: u64,
    /// Number of cases (one single-person household each).
    pub cases: u64,
    /// Number of liaison contacts, spread over the cases.
    pub contacts: u64,
    /// The fiscal year most cases fall in; about a fifth open in the year before.
    pub fiscal_year: FiscalYear,
}

/// The agencies of a synthetic journal: one per Table 1 kind (weighted as Table 1) and a window.
fn synthetic_agencies() -> Vec<Agency> {
    let mut v = vec![
        agency("syn-window", "multi_agency_coordinator"),
        agency("syn-city", "comprehensive_window"),
    ];
    v.extend(
        ISHINOMAKI_TABLE_1
            .iter()
            .map(|(k, _)| agency(&format!("syn-{k}"), k)),
    );
    v
}

impl Synthetic {
    /// The events, generated case by case (each case's events in date order), streamed to
    /// `sink` one at a time so a ten-million-contact journal never needs to be in memory. This
    /// order is fine for folding, but it is not replayable through the registry, which checks
    /// every earlier contact's date against each new contact's `today` (so contacts must be
    /// recorded in date order across cases); [`Synthetic::events`] gives the replayable order.
    pub fn generate(&self, mut sink: impl FnMut(Event)) {
        let mut rng = Rng::new(self.seed);
        let fy = self.fiscal_year;
        let setup = fy.prev().unwrap_or(fy).start();
        for a in synthetic_agencies() {
            sink(ev(
                setup,
                Command::RegisterAgency(RegisterAgency { agency: a }),
            ));
        }
        let weights: Vec<(&str, u64)> = ISHINOMAKI_TABLE_1
            .iter()
            .map(|(k, n)| (*k, n + 1))
            .collect();
        let total_w: u64 = weights.iter().map(|(_, w)| w).sum();
        let issues = [
            "health_disability",
            "income_living_costs",
            "housing",
            "debt",
            "family_relations",
            "long_term_care",
            "job_search",
            "hikikomori",
            "mental_health",
            "social_isolation",
        ];
        let closures = [
            "resolved",
            "person_declined",
            "moved",
            "died",
            "lost_contact",
        ];
        let per_case = |i: u64| -> u64 {
            // Contacts for case i: spread `contacts` evenly (the remainder to the first cases).
            let base = self.contacts / self.cases.max(1);
            base + u64::from(i < self.contacts % self.cases.max(1))
        };
        let mut contact_no = 0u64;
        for i in 0..self.cases {
            let (hh, person, case) = (format!("h{i}"), format!("p{i}"), format!("c{i}"));
            // 20 % in the previous year, the rest in this one.
            let year_start = if rng.below(5) == 0 { setup } else { fy.start() };
            let on = plus(year_start, rng.below(330));
            let birth = if rng.below(20) == 0 {
                None
            } else {
                Some(plus(date(1925, 1, 1), rng.below(365 * 85)).min(plus(on, 0)))
            };
            let mut events = vec![ev(
                on,
                Command::RegisterHousehold(RegisterHousehold {
                    household: household(&hh, &person, birth),
                }),
            )];
            let n_issues = 1 + rng.below(3) as usize;
            let case_issues: Vec<IssueCode> = (0..n_issues)
                .map(|k| IssueCode::from(issues[(i as usize + k * 3) % issues.len()]))
                .collect();
            let outcome = match rng.below(10) {
                0..=4 => Outcome::InformationOnly,
                5 => Outcome::HandedOver,
                _ => Outcome::ContinuingSupport,
            };
            let mut last = case_events(
                &mut events,
                &case,
                &hh,
                &person,
                "syn-window",
                on,
                case_issues,
                outcome,
            );
            if outcome == Outcome::HandedOver {
                // Hand over to the city; it accepts or declines.
                let r = format!("r{i}");
                events.push(ev(
                    last,
                    Command::ProposeReferral(ProposeReferral {
                        proposal: ReferralProposal {
                            id: r.as_str().into(),
                            case: case.as_str().into(),
                            household: hh.as_str().into(),
                            from: "syn-window".into(),
                            to: "syn-city".into(),
                            purpose: "制度へのつなぎ".into(),
                            transfers_responsibility: false,
                            on: last,
                        },
                    }),
                ));
                events.push(ev(
                    last,
                    Command::Referral(ReferralAction {
                        referral: r.as_str().into(),
                        actor: Some("syn-window".into()),
                        action: ReferralCommand::Send {
                            on: last,
                            follow_up_on: None,
                        },
                    }),
                ));
                let answer = plus(last, 1 + rng.below(10));
                let action = if rng.below(3) == 0 {
                    ReferralCommand::Decline {
                        on: answer,
                        reason: serde_json::from_value(json!({ "code": "no_capacity" }))
                            .expect("reason parses"),
                    }
                } else {
                    ReferralCommand::Accept { on: answer }
                };
                events.push(ev(
                    answer,
                    Command::Referral(ReferralAction {
                        referral: r.as_str().into(),
                        actor: Some("syn-city".into()),
                        action,
                    }),
                ));
                last = answer;
            }
            let n = per_case(i);
            for _ in 0..n {
                let mut pick = rng.below(total_w);
                let kind = weights
                    .iter()
                    .find(|(_, w)| {
                        if pick < *w {
                            true
                        } else {
                            pick -= w;
                            false
                        }
                    })
                    .map_or("private_other", |(k, _)| k);
                let c_on = plus(last, rng.below(3));
                last = c_on;
                events.push(ev(
                    c_on,
                    Command::LogContact(LogContact {
                        contact: LiaisonContact {
                            id: format!("k{contact_no}").into(),
                            case: Some(case.as_str().into()),
                            on: c_on,
                            agency: format!("syn-{kind}").into(),
                            channel: ContactChannel::ALL[rng.below(7) as usize],
                            purpose: "連絡調整".into(),
                            csw_role: None,
                            function: None,
                        },
                    }),
                ));
                contact_no += 1;
            }
            if outcome == Outcome::ContinuingSupport && rng.below(2) == 0 {
                let m_on = plus(last, 30);
                events.push(ev(
                    m_on,
                    Command::Case(CaseAction {
                        case: case.as_str().into(),
                        action: CaseCommand::StartMonitoring,
                    }),
                ));
                events.push(ev(
                    m_on,
                    Command::RecordMonitoring(RecordMonitoring {
                        plan: format!("p-{case}").into(),
                        record: monitoring(m_on),
                    }),
                ));
                events.push(ev(
                    m_on,
                    Command::Case(CaseAction {
                        case: case.as_str().into(),
                        action: CaseCommand::ContinueSupport,
                    }),
                ));
                last = m_on;
            }
            if outcome != Outcome::InformationOnly && rng.below(3) == 0 {
                let c_on = plus(last, 1 + rng.below(200));
                let reason = closures[rng.below(closures.len() as u64) as usize];
                events.push(ev(
                    c_on,
                    Command::Case(CaseAction {
                        case: case.as_str().into(),
                        action: CaseCommand::Close {
                            reason: reason.into(),
                            on: c_on,
                            referral: None,
                        },
                    }),
                ));
                if rng.below(4) == 0 {
                    let r_on = plus(c_on, 1 + rng.below(100));
                    events.push(ev(
                        r_on,
                        Command::Case(CaseAction {
                            case: case.as_str().into(),
                            action: CaseCommand::Reopen { on: r_on },
                        }),
                    ));
                }
            }
            if i % 97 == 0 && outcome == Outcome::ContinuingSupport {
                events.push(ev(
                    on,
                    Command::HoldMeeting(HoldMeeting {
                        meeting: Meeting {
                            id: format!("m{i}").into(),
                            meeting_type: "case_conference".into(),
                            date: on,
                            convener: Convener {
                                agency: "syn-window".into(),
                                role: ConvenerRole::MultiAgencyOperator,
                            },
                            participants: vec![],
                            cases: vec![case.as_str().into()],
                            decisions: vec![],
                            next_review: None,
                        },
                    }),
                ));
            }
            for e in events {
                sink(e);
            }
        }
    }

    /// All events in a vector, in recording (date) order: stably sorted by date, so each case
    /// keeps its own order. Replays through the registry.
    pub fn events(&self) -> Vec<Event> {
        let mut v = Vec::new();
        self.generate(|e| v.push(e));
        v.sort_by_key(|e| e.on);
        v
    }
}
