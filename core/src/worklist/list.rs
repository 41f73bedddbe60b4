//! The worklist (業務一覧): open tasks for an agency, a case or a worker on a date, split into
//! overdue, due today and due this week, in urgency order.

use super::{Task, Tier};
use crate::ids::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Days the worklist looks ahead, today included: "this week" is a rolling seven days.
const DEFAULT_HORIZON_DAYS: u32 = 7;

fn default_horizon() -> u32 {
    DEFAULT_HORIZON_DAYS
}

/// Whose worklist, on which day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorklistQuery {
    /// The day (the worker's morning).
    pub on: NaiveDate,
    /// Only tasks this agency must act on; `None` for the municipality-wide list (which also
    /// shows tasks no window holds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<AgencyId>,
    /// Only this case's tasks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<CaseId>,
    /// Only this worker's tasks: those naming the worker, and those naming no worker of a case
    /// the worker is on the team of (see [`CaseTeams`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker: Option<WorkerId>,
    /// Days looked ahead, today included (default 7: "due this week" is the six days after
    /// today, a rolling week rather than the calendar week, so Friday's list still shows next
    /// Monday). At least 1; 1 shows no "this week" section.
    #[serde(default = "default_horizon")]
    pub horizon_days: u32,
}

impl WorklistQuery {
    /// The municipality-wide worklist on `on`.
    pub fn on(on: NaiveDate) -> Self {
        WorklistQuery {
            on,
            agency: None,
            case: None,
            worker: None,
            horizon_days: DEFAULT_HORIZON_DAYS,
        }
    }
}

/// Who is on a case's team (主担当・副担当). The seam through which the worklist of a worker takes
/// the tasks of the cases they hold when the task names no worker: the case-team records (issue
/// 16, `worker::CaseTeams`) implement it; [`NoTeams`] says nobody is.
pub trait CaseTeams {
    /// Whether `worker` is on the team of `case`.
    fn is_on_team(&self, case: &CaseId, worker: &WorkerId) -> bool;
}

/// No case teams: a worker's worklist holds only the tasks that name the worker.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoTeams;

impl CaseTeams for NoTeams {
    fn is_on_team(&self, _: &CaseId, _: &WorkerId) -> bool {
        false
    }
}

/// The case teams of the worker area (主担当・副担当): a worker is on a case's team when they are
/// its main or a sub worker now (a hand-over moves the main worker off).
impl CaseTeams for crate::worker::CaseTeams {
    fn is_on_team(&self, case: &CaseId, worker: &WorkerId) -> bool {
        self.get(case)
            .is_some_and(|t| t.position_of(worker).is_some())
    }
}

/// One line of the worklist: a task and how far it is from its due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorklistEntry {
    /// Days past due on the worklist's day: positive when overdue, 0 today, negative for the
    /// days still to go.
    pub days_overdue: i64,
    /// The task.
    pub task: Task,
}

/// The worklist on a day: open tasks in three sections, each most urgent first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Worklist {
    /// The day.
    pub on: NaiveDate,
    /// Due before the day (期限超過).
    pub overdue: Vec<WorklistEntry>,
    /// Due on the day (本日).
    pub due_today: Vec<WorklistEntry>,
    /// Due in the rest of the horizon (今週).
    pub due_this_week: Vec<WorklistEntry>,
}

impl Worklist {
    /// Every entry, section by section.
    pub fn entries(&self) -> impl Iterator<Item = &WorklistEntry> {
        self.overdue
            .iter()
            .chain(&self.due_today)
            .chain(&self.due_this_week)
    }
}

/// The worklist of `query` over `tasks`.
///
/// Only open tasks (no done date) due on or before the end of the horizon are listed; filters on
/// agency, case and worker combine (all given must hold). A worker's tasks are those naming the
/// worker, and those naming no worker of a case `teams` puts the worker on.
///
/// **Order**, within each section (decided here; deterministic whatever order `tasks` come in):
/// 1. urgency [`Tier`] — a rank-A watching-over visit or any casework of an immediate-risk case
///    comes before everything else, paperwork last: risk to a person outranks lateness;
/// 2. due date, oldest first — so in the overdue section the most days overdue first;
/// 3. the [`super::TaskKind`] order (a visit, then monitoring … before paperwork);
/// 4. case id (tasks without a case last), then task id.
pub fn worklist(tasks: &[Task], query: &WorklistQuery, teams: &dyn CaseTeams) -> Worklist {
    let on = query.on;
    let horizon = i64::from(query.horizon_days.max(1)) - 1;
    let mut listed: Vec<WorklistEntry> = tasks
        .iter()
        .filter(|t| t.is_open())
        .filter(|t| query.agency.is_none() || t.agency == query.agency)
        .filter(|t| query.case.is_none() || t.case == query.case)
        .filter(|t| match &query.worker {
            None => true,
            Some(w) => match (&t.worker, &t.case) {
                (Some(tw), _) => tw == w,
                (None, Some(c)) => teams.is_on_team(c, w),
                (None, None) => false,
            },
        })
        .map(|t| WorklistEntry {
            days_overdue: (on - t.due_on).num_days(),
            task: t.clone(),
        })
        .filter(|e| e.days_overdue >= -horizon)
        .collect();
    listed.sort_by(|a, b| order_key(&a.task).cmp(&order_key(&b.task)));
    let mut list = Worklist {
        on,
        overdue: Vec::new(),
        due_today: Vec::new(),
        due_this_week: Vec::new(),
    };
    for e in listed {
        match e.days_overdue {
            d if d > 0 => list.overdue.push(e),
            0 => list.due_today.push(e),
            _ => list.due_this_week.push(e),
        }
    }
    list
}

type OrderKey<'a> = (
    Tier,
    NaiveDate,
    super::TaskKind,
    bool,
    Option<&'a CaseId>,
    &'a str,
);

fn order_key(t: &Task) -> OrderKey<'_> {
    (
        t.tier,
        t.due_on,
        t.kind,
        t.case.is_none(),
        t.case.as_ref(),
        t.id.as_str(),
    )
}
