//! Tasks derived from the registry (タスクの導出): every follow-up the records already know, as
//! [`Task`]s for the worklist. Read-only: nothing here changes the registry, and the tasks are
//! recomputed from the records on each call, so they never drift from them.
//!
//! Where the sources leave the detail open, decided here:
//! - **Open tasks of a closed case are dropped** (a closed case owes no monitoring, plan action,
//!   referral follow-up, consent renewal or carry-over); only the follow-up after closure is a
//!   task of a closed case. Tasks already done are kept with their done date where the records
//!   show it (plan actions, past monitorings, re-plans, answered referrals, renewed consents).
//! - **Plan actions and monitoring** come from the version in force: the current version, once
//!   the person consented to it. An action owned by an agency is that agency's task; an action of
//!   a worker, of the person or family, or of an informal supporter is the responsible window's
//!   task (naming the worker when it is a worker's).
//! - **Re-plan** after a monitoring that decided `replan`: due [`TaskSettings::replan_days`]
//!   after it; done when the next version is made.
//! - **Referrals**: a sent referral is a follow-up task of the sender, due on its follow-up date
//!   (or the default period after sending) — overdue means stalled — and an answer task of the
//!   receiver, due the same day; both are done on the answer. A declined or revoked referral not
//!   yet followed by a newer one is a task of the sender, due the day it came back.
//! - **Consent renewal**: a given consent with an expiry, of a person with an open case, due on
//!   its last valid day; done when a later consent of the person covering at least the same
//!   recipients is given; a withdrawn consent owes no renewal.
//! - **Carry-over (年度繰越)**: every open case owes a year-end review; the carry-over can only be
//!   recorded once the new fiscal year has begun, so the task is due on April 1 of the next year:
//!   it shows as due this week in the last days of March, and as overdue from April 2 until the
//!   case is carried over (or closed).
//! - **Watching-over visits** and **participation follow-ups** belong to the household's open
//!   case (the case of the matched person first) and its window; without one they have no case
//!   and no agency and show on the municipality-wide worklist only.

use super::Registry;
use crate::case::{Case, CaseStateKind, Urgency};
use crate::consent::Answer;
use crate::ids::*;
use crate::plan::{Party, SupportPlan};
use crate::referral::{ReferralStatus, ReturnReason};
use crate::worklist::{worklist, CaseTeams, Task, TaskKind, Tier, Worklist};
use crate::worklist::{TaskSettings, WorklistQuery};
use chrono::{Days, NaiveDate};
use std::collections::BTreeMap;

/// Parameters of a task, built from `(name, value)` pairs.
fn params<const N: usize>(pairs: [(&str, String); N]) -> BTreeMap<String, String> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// What a task takes from its case: id, household, window, urgency.
struct CaseRef<'a> {
    case: &'a Case,
}

impl CaseRef<'_> {
    fn urgency(&self) -> Urgency {
        self.case
            .assessment()
            .map_or(Urgency::Normal, |a| a.urgency)
    }
    fn is_open(&self) -> bool {
        self.case.state().is_open()
    }
}

/// The tier of casework of a case with `urgency`.
fn casework_tier(urgency: Urgency) -> Tier {
    match urgency {
        Urgency::Immediate => Tier::Urgent,
        Urgency::High => Tier::High,
        Urgency::Normal => Tier::Routine,
    }
}

/// A task builder over the registry.
struct Builder<'a> {
    reg: &'a Registry,
    out: Vec<Task>,
}

impl<'a> Builder<'a> {
    fn case(&self, id: &CaseId) -> Option<CaseRef<'a>> {
        self.reg.case(id).map(|case| CaseRef { case })
    }

    /// The open case of a household, preferring one whose subject is `person`; the first by id
    /// otherwise.
    fn open_case_of(&self, household: &HouseholdId, person: Option<&PersonId>) -> Option<&'a Case> {
        let open = || {
            self.reg
                .cases()
                .filter(move |c| c.household() == household && c.state().is_open())
        };
        person
            .and_then(|p| open().find(|c| c.subject() == p))
            .or_else(|| open().next())
    }

    /// Push a task of `case` (dropped when open and the case is closed).
    #[allow(clippy::too_many_arguments)]
    fn push_case_task(
        &mut self,
        id: String,
        kind: TaskKind,
        params: BTreeMap<String, String>,
        case: &CaseRef<'_>,
        agency: Option<AgencyId>,
        worker: Option<WorkerId>,
        due_on: NaiveDate,
        done_on: Option<NaiveDate>,
    ) {
        if done_on.is_none() && !case.is_open() && kind != TaskKind::PostClosureFollowUp {
            return;
        }
        let tier = if kind.is_paperwork() {
            Tier::Paperwork
        } else {
            casework_tier(case.urgency())
        };
        self.out.push(Task {
            id,
            kind,
            params,
            case: Some(case.case.id().clone()),
            household: Some(case.case.household().clone()),
            agency: agency.or_else(|| Some(case.case.responsible_window().clone())),
            worker,
            due_on,
            done_on,
            tier,
        });
    }

    fn plans(&mut self, settings: &TaskSettings) {
        for h in self.reg.plans() {
            let versions = h.versions();
            let cur = h.current();
            let Some(case) = self.case(&cur.case) else {
                continue;
            };
            // Re-plans decided by a monitoring: done when the next version was made.
            for (i, v) in versions.iter().enumerate() {
                let Some(last) = v.records.last() else {
                    continue;
                };
                if last.decision != crate::plan::MonitoringDecision::Replan {
                    continue;
                }
                let due = last
                    .on
                    .checked_add_days(Days::new(settings.replan_days.into()))
                    .unwrap_or(last.on);
                let done = versions.get(i + 1).map(|n| n.created_on);
                self.push_case_task(
                    format!("replan_due:{}:{}", v.id, v.version),
                    TaskKind::ReplanDue,
                    params([
                        ("plan", v.id.to_string()),
                        ("version", v.version.to_string()),
                    ]),
                    &case,
                    None,
                    Some(last.by.clone()),
                    due,
                    done,
                );
            }
            if cur.consent.is_none() {
                continue;
            }
            self.monitorings(cur, &case);
            for a in &cur.actions {
                let Some(due) = a.due_on else {
                    continue;
                };
                let (agency, worker, owner) = match &a.responsible {
                    Party::Agency { agency } => (Some(agency.clone()), None, agency.to_string()),
                    Party::Worker { worker } => (None, Some(worker.clone()), worker.to_string()),
                    Party::Member { person } => (None, None, person.to_string()),
                    Party::Informal { kind, .. } => (None, None, kind.clone()),
                };
                self.push_case_task(
                    format!("plan_action:{}:{}:{}", cur.id, cur.version, a.id),
                    TaskKind::PlanAction,
                    params([
                        ("plan", cur.id.to_string()),
                        ("version", cur.version.to_string()),
                        ("action", a.id.to_string()),
                        ("what", a.description.clone()),
                        ("owner", owner),
                    ]),
                    &case,
                    agency,
                    worker,
                    due,
                    a.done_on,
                );
            }
        }
    }

    /// Past monitorings (each done on its record's date) and the next one due.
    fn monitorings(&mut self, plan: &SupportPlan, case: &CaseRef<'_>) {
        let interval = Days::new(plan.monitoring.interval_days.into());
        let mut due = Some(plan.monitoring.first_on);
        let mut by = None;
        for r in &plan.records {
            if let Some(d) = due {
                self.push_case_task(
                    format!("monitoring_due:{}:{}:{d}", plan.id, plan.version),
                    TaskKind::MonitoringDue,
                    params([
                        ("plan", plan.id.to_string()),
                        ("version", plan.version.to_string()),
                    ]),
                    case,
                    None,
                    Some(r.by.clone()),
                    d,
                    Some(r.on),
                );
            }
            due = r.on.checked_add_days(interval);
            by = Some(r.by.clone());
        }
        if let Some(d) = plan.next_monitoring_due() {
            self.push_case_task(
                format!("monitoring_due:{}:{}:{d}", plan.id, plan.version),
                TaskKind::MonitoringDue,
                params([
                    ("plan", plan.id.to_string()),
                    ("version", plan.version.to_string()),
                ]),
                case,
                None,
                by,
                d,
                None,
            );
        }
    }

    /// Follow-ups after closure set by a closing evaluation: done when the case was reopened or
    /// a liaison contact for it was logged on or after the closure.
    fn post_closure(&mut self) {
        for h in self.reg.plans() {
            for v in h.versions() {
                let Some(r) = v.records.last() else {
                    continue;
                };
                let Some(c) = &r.closure else {
                    continue;
                };
                let Some(due) = c.evaluation.follow_up.as_ref().and_then(|f| f.due_on) else {
                    continue;
                };
                let Some(case) = self.case(&c.case) else {
                    continue;
                };
                let reopened = case
                    .case
                    .history()
                    .iter()
                    .filter(|t| t.on >= r.on && t.to != CaseStateKind::Closed)
                    .map(|t| t.on)
                    .min();
                let contacted = self
                    .reg
                    .contacts()
                    .iter()
                    .filter(|x| x.case.as_ref() == Some(&c.case) && x.on >= r.on)
                    .map(|x| x.on)
                    .min();
                let done = match (reopened, contacted) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                let (agency, worker) =
                    match c.evaluation.follow_up.as_ref().and_then(|f| f.by.as_ref()) {
                        Some(Party::Agency { agency }) => (Some(agency.clone()), None),
                        Some(Party::Worker { worker }) => (None, Some(worker.clone())),
                        _ => (None, None),
                    };
                self.push_case_task(
                    format!("post_closure_follow_up:{}:{}", v.id, v.version),
                    TaskKind::PostClosureFollowUp,
                    params([("plan", v.id.to_string()), ("reason", c.reason.to_string())]),
                    &case,
                    agency,
                    worker,
                    due,
                    done,
                );
            }
        }
    }

    fn referrals(&mut self, today: NaiveDate, settings: &TaskSettings) {
        for r in self.reg.referrals.values() {
            let (Some(_), Some(due)) = (r.sent_on, r.due_on(settings.referral_follow_up_days))
            else {
                continue;
            };
            let Some(case) = self.case(&r.case) else {
                continue;
            };
            let answered = r
                .history
                .iter()
                .find(|t| {
                    t.from_state == ReferralStatus::Sent && t.to_state != ReferralStatus::Sent
                })
                .map(|t| t.on);
            self.push_case_task(
                format!("referral_follow_up:{}", r.id),
                TaskKind::ReferralFollowUp,
                params([
                    ("referral", r.id.to_string()),
                    ("receiver", r.to.to_string()),
                ]),
                &case,
                Some(r.from.clone()),
                None,
                due,
                answered,
            );
            self.push_case_task(
                format!("referral_answer:{}", r.id),
                TaskKind::ReferralAnswer,
                params([
                    ("referral", r.id.to_string()),
                    ("sender", r.from.to_string()),
                ]),
                &case,
                Some(r.to.clone()),
                None,
                due,
                answered,
            );
        }
        let queue = crate::referral::sender_queue_with(
            &self.reg.referrals(),
            self.reg.directory(),
            self.reg.taxonomies(),
            today,
            settings.referral_follow_up_days,
        );
        for q in queue {
            let reason = match q.reason {
                ReturnReason::Declined => "declined",
                ReturnReason::Revoked => "revoked",
                // A stalled referral is the sender's overdue follow-up already.
                ReturnReason::Stalled => continue,
            };
            let Some(case) = self.case(&q.case) else {
                continue;
            };
            let mut p = params([
                ("referral", q.referral.to_string()),
                ("receiver", q.receiver.to_string()),
                ("reason", reason.to_string()),
            ]);
            if let Some(next) = q.next_options.first() {
                p.insert("next".into(), next.to_string());
            }
            self.push_case_task(
                format!("referral_returned:{}", q.referral),
                TaskKind::ReferralReturned,
                p,
                &case,
                Some(q.sender.clone()),
                None,
                q.returned_on,
                None,
            );
        }
    }

    fn consents(&mut self) {
        let consents = self.reg.consents();
        for c in consents {
            let (Answer::Given, Some(expires), None) = (c.answer, c.expires_on, c.withdrawn_on)
            else {
                continue;
            };
            let Some(case) = self
                .reg
                .cases()
                .find(|k| k.subject() == &c.person && k.state().is_open())
            else {
                continue;
            };
            let renewed = consents
                .iter()
                .filter(|n| {
                    n.id != c.id
                        && n.person == c.person
                        && n.answer == Answer::Given
                        && n.answered_on >= c.answered_on
                        && c.recipients.iter().all(|r| n.recipients.contains(r))
                })
                .map(|n| n.answered_on)
                .min();
            let case = CaseRef { case };
            self.push_case_task(
                format!("consent_renewal:{}", c.id),
                TaskKind::ConsentRenewal,
                params([
                    ("consent", c.id.to_string()),
                    ("expires_on", expires.to_string()),
                ]),
                &case,
                c.obtained_by.clone(),
                None,
                expires,
                renewed,
            );
        }
    }

    fn carry_over(&mut self) {
        for c in self.reg.cases() {
            let Some(&last) = c.fiscal_years().last() else {
                continue;
            };
            if !c.state().is_open() {
                continue;
            }
            let Some(due) = NaiveDate::from_ymd_opt(last + 1, 4, 1) else {
                continue;
            };
            let case = CaseRef { case: c };
            self.push_case_task(
                format!("carry_over:{}:{}", c.id(), last + 1),
                TaskKind::CarryOver,
                params([("into", (last + 1).to_string())]),
                &case,
                None,
                None,
                due,
                None,
            );
        }
    }

    /// A task of a household that may have no open case (a visit, a match follow-up).
    #[allow(clippy::too_many_arguments)]
    fn push_household_task(
        &mut self,
        id: String,
        kind: TaskKind,
        params: BTreeMap<String, String>,
        household: &HouseholdId,
        person: Option<&PersonId>,
        worker: Option<WorkerId>,
        due_on: NaiveDate,
        tier: Option<Tier>,
    ) {
        match self.open_case_of(household, person) {
            Some(c) => {
                let case = CaseRef { case: c };
                let before = self.out.len();
                self.push_case_task(id, kind, params, &case, None, worker, due_on, None);
                if let (Some(t), Some(task)) = (tier, self.out.get_mut(before)) {
                    task.tier = task.tier.min(t);
                }
            }
            None => self.out.push(Task {
                id,
                kind,
                params,
                case: None,
                household: Some(household.clone()),
                agency: None,
                worker,
                due_on,
                done_on: None,
                tier: tier.unwrap_or(Tier::Routine),
            }),
        }
    }

    fn visits(&mut self) {
        let intervals = self.reg.visit_intervals();
        let ranks = intervals.ranks();
        for r in self.reg.disaster_records() {
            let Some(due) = r.next_visit_due(intervals) else {
                continue;
            };
            let rank = r.current_rank();
            let tier = match ranks.iter().position(|k| &k.code == rank) {
                Some(0) => Tier::Urgent,
                Some(1) => Tier::High,
                _ => Tier::Routine,
            };
            let worker = r
                .visits
                .iter()
                .filter(|v| v.met)
                .max_by_key(|v| v.on)
                .and_then(|v| v.by.clone());
            self.push_household_task(
                format!("watching_over_visit:{}:{due}", r.id),
                TaskKind::WatchingOverVisit,
                params([
                    ("record", r.id.to_string()),
                    ("rank", rank.to_string().to_uppercase()),
                    ("stage", r.current_stage().code().to_string()),
                ]),
                &r.household,
                None,
                worker,
                due,
                Some(tier),
            );
        }
    }

    fn matches(&mut self) {
        for m in self.reg.matches() {
            let Some(due) = m.next_follow_up() else {
                continue;
            };
            self.push_household_task(
                format!("participation_follow_up:{}:{due}", m.id),
                TaskKind::ParticipationFollowUp,
                params([
                    ("match", m.id.to_string()),
                    ("resource", m.resource.to_string()),
                    ("stage", m.status.stage().code().to_string()),
                ]),
                &m.household,
                Some(&m.person),
                None,
                due,
                None,
            );
        }
    }
}

impl Registry {
    /// Every task the records know on `today` (open and done), with the default
    /// [`TaskSettings`], in id order. See the module documentation of `registry/tasks.rs` for
    /// what each record owes.
    pub fn tasks(&self, today: NaiveDate) -> Vec<Task> {
        self.tasks_with(today, &TaskSettings::default())
    }

    /// [`Registry::tasks`] with a municipality's settings.
    pub fn tasks_with(&self, today: NaiveDate, settings: &TaskSettings) -> Vec<Task> {
        let mut b = Builder {
            reg: self,
            out: Vec::new(),
        };
        b.plans(settings);
        b.post_closure();
        b.referrals(today, settings);
        b.consents();
        b.carry_over();
        b.visits();
        b.matches();
        let mut out = b.out;
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out.dedup_by(|a, b| a.id == b.id);
        out
    }

    /// The worklist of `query` (overdue, due today, due this week; most urgent first). A
    /// worker's list holds the tasks naming the worker and the tasks naming no worker on the cases
    /// whose team (主担当・副担当) they are on. See [`crate::worklist::worklist`] for the order.
    pub fn worklist(&self, query: &WorklistQuery) -> Worklist {
        self.worklist_with(query, &TaskSettings::default(), &self.teams)
    }

    /// [`Registry::worklist`] with a municipality's settings and the case teams (the seam the
    /// case-team records connect to).
    pub fn worklist_with(
        &self,
        query: &WorklistQuery,
        settings: &TaskSettings,
        teams: &dyn CaseTeams,
    ) -> Worklist {
        worklist(&self.tasks_with(query.on, settings), query, teams)
    }
}
