//! From a filled form to domain commands (様式から記録へ): what each national sheet produces, as a
//! `Vec<Command>` the caller runs with [`crate::registry::CaseBook::execute_batch`] (one
//! transaction: all or nothing), always ending with the form record itself
//! ([`crate::registry::RecordForm`]), so nothing the worker wrote is lost.
//!
//! | form | commands |
//! |---|---|
//! | 相談受付・申込票 (`intake`) | `register_household` when the household is new (本人, the listed 世帯員; the 本人's consultation items as their issues), `open_case`, `consent` (given or refused: the refusal is recorded too) |
//! | アセスメントシート (`assessment`) | `case` begin_assessment (from intake), `case` record_assessment, `update_household` with the issues found |
//! | プラン(案) (`plan`) | `case` decide continuing_support (from assessment) or start_monitoring/replan (a re-plan), `create_plan` or `replan`, `case` adopt_plan once the person consented |
//! | 評価・終結 (`evaluation`) | `record_monitoring`, then `case` close / continue_support / replan as decided |
//! | a municipality's own form | the record only |
//!
//! Decisions a practitioner would make, written down:
//! - Issues marked *past* (Y-san's DV) stay in the form record only; *current* and *suspected*
//!   ones go into the assessment and the household document, so routing and pattern detection
//!   see a suspicion before it is confirmed.
//! - The intake's consultation items become the 本人's issues only when the household is new;
//!   an existing household document is never overwritten by an intake (the assessment updates it).
//! - The intake consent covers every information category for the 重層的支援会議
//!   (`multi_layered_support_meeting`), the wording of the national form; a narrower or wider
//!   consent is its own `consent` command. Its id is `<record>-consent`.
//! - A plan's goals without an id get `long_1`, `short_1` …; role rows become actions `role_1` ….
//! - The consulter (相談者) is kept in the form record; only the 本人 and the listed 世帯員 join a
//!   new household.

use super::definition::{FieldId, FormKind};
use super::error::FormProblem;
use super::submission::{parse_date, FormRecord};
use crate::case::{Assessment, CaseCommand, CaseStateKind, Intake, MemberIssues, Outcome, Urgency};
use crate::consent::{ConsentCommand, ConsentId, ConsentMethod, ConsentTerms};
use crate::household::{Household, Issue, IssueSource, IssueStatus, Person, Relation};
use crate::ids::*;
use crate::plan::{
    Action, ActionId, Approach, ConsentMethod as PlanConsentMethod, Goal, GoalId, GoalProgress,
    MonitoringDecision, MonitoringRecord, MonitoringSchedule, Party, PlanConsent, Progress,
    Schedule, SupportPlan,
};
use crate::privacy::{InfoCategory, Recipient};
use crate::registry::{
    CaseAction, Command, ConsentAction, CreatePlan, OpenCase, RecordForm, RecordMonitoring,
    RegisterHousehold, Registry, RegistryError, Replan, UpdateHousehold,
};
use crate::Error;
use chrono::NaiveDate;
use serde_json::Value;
use std::collections::BTreeMap;

/// The legal basis written on a consent the intake form records.
pub const INTAKE_CONSENT_BASIS: &str = "個人情報の保護に関する法律第27条第1項（本人の同意）";

/// Reads normalised values and collects problems.
struct Reader<'a> {
    values: &'a BTreeMap<FieldId, Value>,
    problems: Vec<FormProblem>,
}

fn text_of(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_string)
}

impl<'a> Reader<'a> {
    fn get(&self, id: &str) -> Option<&'a Value> {
        self.values.get(&FieldId::from(id))
    }
    fn text(&self, id: &str) -> Option<String> {
        text_of(self.get(id))
    }
    /// A value the definition requires (checked by the binding check): present after validation.
    fn req_text(&mut self, id: &str) -> String {
        match self.text(id) {
            Some(t) => t,
            None => {
                self.missing(&format!("$.values.{id}"), id);
                String::new()
            }
        }
    }
    fn date(&self, id: &str) -> Option<NaiveDate> {
        self.get(id).and_then(Value::as_str).and_then(parse_date)
    }
    fn req_date(&mut self, id: &str) -> NaiveDate {
        self.date(id).unwrap_or_else(|| {
            self.missing(&format!("$.values.{id}"), id);
            NaiveDate::MIN
        })
    }
    fn rows(&self, id: &str) -> &'a [Value] {
        self.get(id)
            .and_then(Value::as_array)
            .map_or(&[][..], |v| v.as_slice())
    }
    fn selected(&self, id: &str) -> Vec<String> {
        let v = self.get(id);
        let arr = v
            .and_then(|v| v.get("selected"))
            .or(v)
            .and_then(Value::as_array);
        arr.into_iter()
            .flatten()
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect()
    }
    fn missing(&mut self, path: &str, what: &str) {
        self.problems.push(FormProblem::new(
            "missing_field",
            path,
            format!("`{what}` is needed here"),
        ));
    }
}

fn row_text(row: &Value, key: &str) -> Option<String> {
    text_of(row.get(key))
}

fn row_date(row: &Value, key: &str) -> Option<NaiveDate> {
    row.get(key).and_then(Value::as_str).and_then(parse_date)
}

fn relation(code: &str) -> Option<Relation> {
    serde_json::from_value(Value::String(code.into())).ok()
}

/// A household member from a normalised person object (`relation` overrides its own).
fn member(person: &Value, relation: Relation) -> Person {
    let mut p = Person::new(
        PersonId::from(person.get("id").and_then(Value::as_str).unwrap_or_default()),
        relation,
    );
    p.name = row_text(person, "name");
    p.birth_date = row_date(person, "birth_date");
    p.approx_age = person
        .get("approx_age")
        .and_then(Value::as_u64)
        .map(|a| a as u32);
    p
}

fn person_id(v: &Value) -> Option<PersonId> {
    v.get("id").and_then(Value::as_str).map(PersonId::from)
}

fn case_action(case: &CaseId, action: CaseCommand) -> Command {
    CaseAction {
        case: case.clone(),
        action,
    }
    .into()
}

fn need<T: Clone>(v: &Option<T>, path: &str, r: &mut Reader<'_>) -> Option<T> {
    if v.is_none() {
        r.missing(path, path.trim_start_matches("$."));
    }
    v.clone()
}

/// The commands a validated form produces against `reg` (read only), the form record last.
pub(crate) fn commands(record: &FormRecord, reg: &Registry) -> Result<Vec<Command>, Error> {
    let mut r = Reader {
        values: &record.values,
        problems: Vec::new(),
    };
    let mut out = match record.kind {
        FormKind::Intake => intake(record, reg, &mut r),
        FormKind::Assessment => assessment(record, reg, &mut r)?,
        FormKind::Plan => plan(record, reg, &mut r)?,
        FormKind::Evaluation => evaluation(record, reg, &mut r)?,
        FormKind::Custom => Vec::new(),
    };
    if !r.problems.is_empty() {
        return Err(super::FormError::InvalidSubmission {
            problems: r.problems,
        }
        .into());
    }
    out.push(
        RecordForm {
            record: record.clone(),
        }
        .into(),
    );
    Ok(out)
}

fn case_of<'r>(
    record: &FormRecord,
    reg: &'r Registry,
    r: &mut Reader<'_>,
) -> Result<Option<&'r crate::case::Case>, Error> {
    let Some(case) = need(&record.case, "$.case", r) else {
        return Ok(None);
    };
    match reg.case(&case) {
        Some(c) => Ok(Some(c)),
        None => Err(RegistryError::NotFound {
            entity: "case",
            id: case.to_string(),
            path: "$.case".into(),
        }
        .into()),
    }
}

fn intake(record: &FormRecord, reg: &Registry, r: &mut Reader<'_>) -> Vec<Command> {
    let mut out = Vec::new();
    let case = need(&record.case, "$.case", r);
    let household = need(&record.household, "$.household", r);
    let on = r.req_date("received_on");
    let receiving: AgencyId = r.req_text("receiving_window").as_str().into();
    let responsible = r
        .text("responsible_window")
        .map_or_else(|| receiving.clone(), |a| AgencyId::from(a.as_str()));
    let subject = r.get("subject").cloned().unwrap_or(Value::Null);
    let subject_id = person_id(&subject).unwrap_or_else(|| PersonId::from(""));
    if let Some(h) = &household {
        if reg.household(h).is_none() {
            let rel = subject
                .get("relation")
                .and_then(Value::as_str)
                .and_then(relation);
            if rel.is_none() {
                r.missing("$.values.subject.relation", "relation (a new household)");
            }
            let mut first = member(&subject, rel.unwrap_or(Relation::Head));
            first.issues = r
                .selected("consultation_items")
                .iter()
                .map(|c| Issue::current(c.as_str()))
                .collect();
            let mut members = vec![first];
            for row in r.rows("household_members") {
                let Some(person) = row.get("member") else {
                    continue;
                };
                let rel = row
                    .get("relation")
                    .and_then(Value::as_str)
                    .and_then(relation)
                    .unwrap_or(Relation::Other);
                let mut m = member(person, rel);
                if let Some(d) = row_date(row, "birth_date") {
                    m.birth_date = Some(d);
                }
                if m.id != subject_id && !members.iter().any(|x| x.id == m.id) {
                    members.push(m);
                }
            }
            out.push(
                RegisterHousehold {
                    household: Household {
                        id: h.clone(),
                        area: Default::default(),
                        members,
                        issues: Vec::new(),
                        ties: Vec::new(),
                    },
                }
                .into(),
            );
        }
    }
    if let (Some(case), Some(household)) = (case, household) {
        out.push(
            OpenCase {
                case,
                household,
                subject: subject_id.clone(),
                responsible_window: responsible,
                intake: Intake {
                    channel: r.req_text("channel").as_str().into(),
                    receiving_window: receiving.clone(),
                    chief_complaint: r.req_text("chief_complaint"),
                    on,
                },
            }
            .into(),
        );
    }
    let method = match r.text("consent_method").as_deref() {
        Some("verbal") => ConsentMethod::Verbal,
        Some("electronic") => ConsentMethod::Electronic,
        _ => ConsentMethod::Written,
    };
    let terms = ConsentTerms {
        person: subject_id,
        scope: InfoCategory::ALL.to_vec(),
        recipients: vec![Recipient::MeetingType(
            "multi_layered_support_meeting".into(),
        )],
        purposes: Vec::new(),
        legal_basis: INTAKE_CONSENT_BASIS.into(),
        method,
        obtained_by: Some(receiving),
        expires_on: None,
        given_by: None,
        parent: None,
    };
    let id = ConsentId::from(format!("{}-consent", record.id).as_str());
    let action = match r.get("consent_to_share").and_then(Value::as_bool) {
        Some(true) => Some(ConsentCommand::Give { id, terms, on }),
        Some(false) => Some(ConsentCommand::Refuse { id, terms, on }),
        None => None,
    };
    if let Some(action) = action {
        out.push(ConsentAction { action }.into());
    }
    out
}

fn assessment(
    record: &FormRecord,
    reg: &Registry,
    r: &mut Reader<'_>,
) -> Result<Vec<Command>, Error> {
    let Some(case) = case_of(record, reg, r)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    if case.state().kind() == CaseStateKind::Intake {
        out.push(case_action(case.id(), CaseCommand::BeginAssessment));
    }
    let mut household = reg.household(case.household()).cloned();
    let mut changed = false;
    let mut found: Vec<MemberIssues> = Vec::new();
    for (i, row) in r.rows("issues").iter().enumerate() {
        // The household document keeps every issue with its status and onset (routing and the
        // report count current ones only); the assessment record lists the live ones.
        let status = match row_text(row, "status").as_deref() {
            Some("past") => IssueStatus::Past,
            Some("suspected") => IssueStatus::Suspected,
            Some("resolved") => IssueStatus::Resolved,
            _ => IssueStatus::Current,
        };
        let Some(issue) = row_text(row, "issue").map(|c| IssueCode::from(c.as_str())) else {
            continue;
        };
        let recorded = Issue {
            code: issue.clone(),
            status,
            onset: row_date(row, "onset"),
            source: Some(IssueSource::WorkerAssessment),
        };
        let who = row.get("member").and_then(person_id);
        if let Some(h) = household.as_mut() {
            let list = match &who {
                Some(p) => match h.members.iter_mut().find(|m| &m.id == p) {
                    Some(m) => Some(&mut m.issues),
                    None => {
                        r.problems.push(FormProblem::new(
                            "not_a_member",
                            format!("$.values.issues[{i}].member"),
                            format!("person `{p}` is not a member of the case's household"),
                        ));
                        None
                    }
                },
                None => Some(&mut h.issues),
            };
            if let Some(list) = list {
                match list.iter_mut().find(|i| i.code == issue) {
                    Some(known) if *known != recorded => {
                        *known = recorded.clone();
                        changed = true;
                    }
                    Some(_) => {}
                    None => {
                        list.push(recorded.clone());
                        changed = true;
                    }
                }
            }
        }
        if status == IssueStatus::Past || status == IssueStatus::Resolved {
            continue;
        }
        match found.iter_mut().find(|m| m.member == who) {
            Some(m) if !m.issues.contains(&issue) => m.issues.push(issue),
            Some(_) => {}
            None => found.push(MemberIssues {
                member: who,
                issues: vec![issue],
            }),
        }
    }
    let urgency = match r.text("urgency").as_deref() {
        Some("immediate") => Urgency::Immediate,
        Some("high") => Urgency::High,
        _ => Urgency::Normal,
    };
    let strengths = r
        .text("strengths")
        .map(|s| {
            s.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    out.push(case_action(
        case.id(),
        CaseCommand::RecordAssessment {
            assessment: Assessment {
                on: r.req_date("assessed_on"),
                issues: found,
                strengths,
                wishes: r.req_text("wishes"),
                urgency,
            },
        },
    ));
    if let (true, Some(household)) = (changed, household) {
        out.push(UpdateHousehold { household }.into());
    }
    Ok(out)
}

fn goals(r: &Reader<'_>, id: &str, prefix: &str) -> Vec<Goal> {
    r.rows(id)
        .iter()
        .enumerate()
        .map(|(i, row)| Goal {
            id: GoalId::new(
                row_text(row, "goal_id").unwrap_or_else(|| format!("{prefix}_{}", i + 1)),
            ),
            text: row_text(row, "text").unwrap_or_default(),
            target_date: row_date(row, "target_date"),
        })
        .collect()
}

fn plan(record: &FormRecord, reg: &Registry, r: &mut Reader<'_>) -> Result<Vec<Command>, Error> {
    let plan_id = need(&record.plan, "$.plan", r);
    let Some(case) = case_of(record, reg, r)? else {
        return Ok(Vec::new());
    };
    let Some(plan_id) = plan_id else {
        return Ok(Vec::new());
    };
    let (from, to) = (r.date("period_from"), r.date("period_to"));
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            r.problems.push(FormProblem::new(
                "date_order",
                "$.values.period_to",
                "the period ends before it starts",
            ));
        }
    }
    let mut actions = Vec::new();
    for (i, row) in r.rows("roles").iter().enumerate() {
        let p = format!("$.values.roles[{i}]");
        let responsible = match row_text(row, "party").as_deref() {
            Some("agency") => row_text(row, "agency").map(|a| Party::Agency {
                agency: a.as_str().into(),
            }),
            Some("worker") => row_text(row, "worker").map(|w| Party::Worker {
                worker: w.as_str().into(),
            }),
            Some("person") => row
                .get("person")
                .and_then(person_id)
                .map(|person| Party::Member { person }),
            _ => Some(Party::Informal {
                kind: row_text(row, "informal_kind").unwrap_or_else(|| "informal".into()),
                label: row_text(row, "informal_label"),
            }),
        };
        let Some(responsible) = responsible else {
            let party = row_text(row, "party").unwrap_or_default();
            r.missing(&format!("{p}.{party}"), &party);
            continue;
        };
        actions.push(Action {
            id: ActionId::new(format!("role_{}", i + 1)),
            description: row_text(row, "description").unwrap_or_default(),
            responsible,
            schedule: Schedule {
                text: row_text(row, "schedule"),
                dates: Vec::new(),
            },
            goals: Vec::new(),
            due_on: row_date(row, "due_on"),
            done_on: None,
        });
    }
    let consent = r.date("consent_on").map(|on| PlanConsent {
        on,
        method: match r.text("consent_method").as_deref() {
            Some("verbal") => PlanConsentMethod::Verbal,
            Some("electronic") => PlanConsentMethod::Electronic,
            _ => PlanConsentMethod::Signature,
        },
    });
    let approaches = r
        .selected("approaches")
        .iter()
        .map(|a| match a.as_str() {
            "staying_connected" => Approach::StayingConnected,
            _ => Approach::ProblemSolving,
        })
        .collect();
    let interval = r
        .get("monitoring_interval_days")
        .and_then(Value::as_f64)
        .unwrap_or(0.0) as u32;
    let existing = reg.plan(&plan_id);
    let version = existing.map_or(1, |h| h.current().version + 1);
    let plan = SupportPlan {
        id: plan_id.clone(),
        case: case.id().clone(),
        version,
        created_on: r.req_date("created_on"),
        chief_complaint: r.req_text("chief_complaint"),
        wishes: r.req_text("wishes"),
        policy: r.req_text("policy"),
        approaches,
        long_term_goals: goals(r, "long_term_goals", "long"),
        short_term_goals: goals(r, "short_term_goals", "short"),
        actions,
        consent: consent.clone(),
        monitoring: MonitoringSchedule {
            first_on: r.req_date("next_monitoring_on"),
            interval_days: interval,
        },
        records: Vec::new(),
    };
    let mut out = Vec::new();
    let mut state = case.state().kind();
    if existing.is_none() {
        if state == CaseStateKind::Assessment {
            out.push(case_action(
                case.id(),
                CaseCommand::Decide {
                    outcome: Outcome::ContinuingSupport,
                },
            ));
            state = CaseStateKind::Planning;
        }
        out.push(CreatePlan { plan }.into());
    } else {
        if state == CaseStateKind::Active {
            out.push(case_action(case.id(), CaseCommand::StartMonitoring));
            state = CaseStateKind::Monitoring;
        }
        if state == CaseStateKind::Monitoring {
            out.push(case_action(case.id(), CaseCommand::Replan));
            state = CaseStateKind::Planning;
        }
        out.push(Replan { plan }.into());
    }
    if consent.is_some() && state == CaseStateKind::Planning {
        out.push(case_action(
            case.id(),
            CaseCommand::AdoptPlan { plan: plan_id },
        ));
    }
    Ok(out)
}

fn evaluation(
    record: &FormRecord,
    reg: &Registry,
    r: &mut Reader<'_>,
) -> Result<Vec<Command>, Error> {
    let plan_id = need(&record.plan, "$.plan", r);
    let Some(case) = case_of(record, reg, r)? else {
        return Ok(Vec::new());
    };
    let Some(plan_id) = plan_id else {
        return Ok(Vec::new());
    };
    let on = r.req_date("evaluated_on");
    let progress = r
        .rows("goals_met")
        .iter()
        .map(|row| GoalProgress {
            goal: GoalId::new(row_text(row, "goal_id").unwrap_or_default()),
            progress: match row_text(row, "progress").as_deref() {
                Some("achieved") => Progress::Achieved,
                Some("stalled") => Progress::Stalled,
                Some("not_started") => Progress::NotStarted,
                _ => Progress::InProgress,
            },
            note: row_text(row, "note"),
        })
        .collect();
    let decision = match r.text("decision").as_deref() {
        Some("close") => MonitoringDecision::Close,
        Some("replan") => MonitoringDecision::Replan,
        _ => MonitoringDecision::Continue,
    };
    let mut out: Vec<Command> = vec![RecordMonitoring {
        plan: plan_id,
        record: MonitoringRecord {
            on,
            by: r.req_text("evaluator").as_str().into(),
            progress,
            decision,
            // The sheet closes the case with its own lifecycle command (below), which carries
            // the closure reason; the monitoring record only notes the decision.
            closure: None,
        },
    }
    .into()];
    let state = case.state().kind();
    match decision {
        MonitoringDecision::Close => match r.text("closure_reason") {
            Some(reason) => out.push(case_action(
                case.id(),
                CaseCommand::Close {
                    reason: reason.as_str().into(),
                    on,
                    referral: r.text("closure_referral").map(|x| x.as_str().into()),
                },
            )),
            None => r.missing("$.values.closure_reason", "closure_reason (closing)"),
        },
        MonitoringDecision::Continue => {
            if state == CaseStateKind::Monitoring {
                out.push(case_action(case.id(), CaseCommand::ContinueSupport));
            }
        }
        MonitoringDecision::Replan => {
            if state == CaseStateKind::Active {
                out.push(case_action(case.id(), CaseCommand::StartMonitoring));
            }
            if matches!(state, CaseStateKind::Active | CaseStateKind::Monitoring) {
                out.push(case_action(case.id(), CaseCommand::Replan));
            }
        }
    }
    Ok(out)
}
