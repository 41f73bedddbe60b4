//! Workers (職員), roles (職種・役割), case teams (担当チーム) and the [`Actor`] who executes every
//! command, DOMAIN.md §9 "Who acts".
//!
//! This module owns:
//! - roles as data ([`Roles`], built-ins in `core/data/roles.toml`: 相談支援員, 主任相談支援員,
//!   CSW, アウトリーチ支援員, 管理者, 事務; a municipality extends them);
//! - the staff roster ([`Staff`]): workers as records of one agency, their roles, their leaving
//!   (退職・異動: a worker who left acts no more), and [`Staff::authorise`], the one check that an
//!   actor may act (setup mode, `actor_required`, `unknown_worker`, `worker_not_of_agency`,
//!   `worker_inactive`);
//! - case teams ([`CaseTeams`]): 主担当 / 副担当, assignment and hand-over (引継ぎ) with history.
//!
//! It does not own what an actor may read or change (the access policy), the journal's record of
//! the actor (`registry::Event::by`), nor the commands (see `registry/worker.rs`).

mod roles;
mod staff;
mod team;

pub use roles::{Role, Roles, RolesDocument};
pub use staff::{LeaveReason, Staff, Worker, WorkerRecord, WorkerStatus};
pub use team::{CaseTeam, CaseTeams, TeamChange, TeamPosition};

pub(crate) use staff::check_roles;

use crate::coded::{Coded, ErrorKind};
use crate::ids::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The actor (実行者) of a command: a worker and the agency they act for. The journal records it
/// on every event executed with one (`registry::Event::by`) and its hash covers it.
///
/// The agency is named beside the worker, although the roster knows it, so that an event says
/// for whom it was done without the roster at hand, and a worker named for the wrong agency is
/// refused (`worker_not_of_agency`) rather than silently corrected.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// The worker who acted.
    pub worker: WorkerId,
    /// The agency the worker acted for.
    pub agency: AgencyId,
}

impl Actor {
    /// An actor from anything id-like.
    pub fn new(worker: impl Into<WorkerId>, agency: impl Into<AgencyId>) -> Self {
        Actor {
            worker: worker.into(),
            agency: agency.into(),
        }
    }
}

/// Errors of workers, roles, case teams and actors. Messages carry ids, codes and dates only,
/// never a worker's name or a hand-over's reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WorkerError {
    /// A malformed roles document.
    #[error(transparent)]
    Document(#[from] crate::coded::DocumentError),
    /// An unknown, duplicate or invalid role code.
    #[error(transparent)]
    Taxonomy(#[from] crate::taxonomy::TaxonomyError),
    /// An unknown agency.
    #[error(transparent)]
    Agency(#[from] crate::agency::AgencyError),
    /// `actor_required`: workers are registered, so every command needs an actor; or, without
    /// an actor, a referral step names no acting agency (`$.actor`).
    #[error("an actor is required: a worker once workers are registered, else the acting agency")]
    ActorRequired {
        /// JSON path of the missing actor, where it is in the command (`$.actor`).
        path: Option<String>,
    },
    /// `unknown_worker`: no worker has this id.
    #[error("unknown worker `{worker}`")]
    UnknownWorker {
        /// The id.
        worker: WorkerId,
        /// JSON path of the reference (none for the actor).
        path: Option<String>,
    },
    /// `worker_not_of_agency`: the worker does not act for this agency (an actor naming the
    /// wrong agency, a command naming another agency than the actor's, a 主担当 outside the
    /// responsible window).
    #[error("worker `{worker}` does not act for agency `{agency}`")]
    WorkerNotOfAgency {
        /// The worker.
        worker: WorkerId,
        /// The agency named.
        agency: AgencyId,
        /// JSON path, where there is one.
        path: Option<String>,
    },
    /// `worker_inactive`: the worker left (退職・異動) and acts no more.
    #[error("worker `{worker}` has left")]
    WorkerInactive {
        /// The worker.
        worker: WorkerId,
        /// JSON path, where there is one.
        path: Option<String>,
    },
    /// `duplicate_worker`: the id is taken (ids are never reused).
    #[error("worker `{worker}` already exists at {path}")]
    DuplicateWorker {
        /// The id.
        worker: WorkerId,
        /// JSON path.
        path: String,
    },
    /// `no_roles`: a worker holds at least one role.
    #[error("worker `{worker}` has no role at {path}")]
    NoRoles {
        /// The worker.
        worker: WorkerId,
        /// JSON path.
        path: String,
    },
    /// `empty_text`: a required text (name, hand-over reason) is blank.
    #[error("{subject}: empty text at {path}")]
    EmptyText {
        /// What (ids only).
        subject: String,
        /// JSON path.
        path: String,
    },
    /// `duplicate_member`: a worker twice on one team.
    #[error("worker `{worker}` is on the team twice at {path}")]
    DuplicateMember {
        /// The worker.
        worker: WorkerId,
        /// JSON path.
        path: String,
    },
    /// `handover_required`: the 主担当 changes only by a hand-over, and a worker on the team of
    /// an open case leaves only after handing it over.
    #[error("case `{case}` must first be handed over from worker `{worker}` at {path}")]
    HandOverRequired {
        /// The worker carrying (or on the team of) the case.
        worker: WorkerId,
        /// The case.
        case: CaseId,
        /// JSON path.
        path: String,
    },
    /// `same_worker`: a hand-over to the current 主担当.
    #[error("worker `{worker}` is already the main worker at {path}")]
    SameWorker {
        /// The worker.
        worker: WorkerId,
        /// JSON path.
        path: String,
    },
    /// `no_team`: the case has no team to hand over.
    #[error("case `{case}` has no team at {path}")]
    NoTeam {
        /// The case.
        case: CaseId,
        /// JSON path.
        path: String,
    },
    /// `date_out_of_order`: a team change dated before the last one.
    #[error("{subject}: {on} is before the last change on {last} at {path}")]
    DateOutOfOrder {
        /// What (ids only).
        subject: String,
        /// The date given.
        on: NaiveDate,
        /// The last change.
        last: NaiveDate,
        /// JSON path.
        path: String,
    },
    /// `last_active_worker`: the last worker in post cannot leave (nobody could act any more).
    #[error("worker `{worker}` is the last worker in post")]
    LastActiveWorker {
        /// The worker.
        worker: WorkerId,
    },
}

impl WorkerError {
    /// Every code this area can return (besides the wrapped areas').
    pub const CODES: &'static [&'static str] = &[
        "actor_required",
        "date_out_of_order",
        "duplicate_member",
        "duplicate_worker",
        "empty_text",
        "handover_required",
        "last_active_worker",
        "no_roles",
        "no_team",
        "same_worker",
        "unknown_worker",
        "worker_inactive",
        "worker_not_of_agency",
    ];
}

impl Coded for WorkerError {
    fn code(&self) -> &'static str {
        use WorkerError as W;
        match self {
            W::Document(e) => e.code(),
            W::Taxonomy(e) => e.code(),
            W::Agency(e) => e.code(),
            W::ActorRequired { .. } => "actor_required",
            W::UnknownWorker { .. } => "unknown_worker",
            W::WorkerNotOfAgency { .. } => "worker_not_of_agency",
            W::WorkerInactive { .. } => "worker_inactive",
            W::DuplicateWorker { .. } => "duplicate_worker",
            W::NoRoles { .. } => "no_roles",
            W::EmptyText { .. } => "empty_text",
            W::DuplicateMember { .. } => "duplicate_member",
            W::HandOverRequired { .. } => "handover_required",
            W::SameWorker { .. } => "same_worker",
            W::NoTeam { .. } => "no_team",
            W::DateOutOfOrder { .. } => "date_out_of_order",
            W::LastActiveWorker { .. } => "last_active_worker",
        }
    }
    fn path(&self) -> Option<String> {
        use WorkerError as W;
        match self {
            W::Document(e) => e.path(),
            W::Taxonomy(e) => e.path(),
            W::Agency(e) => e.path(),
            W::ActorRequired { path }
            | W::UnknownWorker { path, .. }
            | W::WorkerNotOfAgency { path, .. }
            | W::WorkerInactive { path, .. } => path.clone(),
            W::DuplicateWorker { path, .. }
            | W::NoRoles { path, .. }
            | W::EmptyText { path, .. }
            | W::DuplicateMember { path, .. }
            | W::HandOverRequired { path, .. }
            | W::SameWorker { path, .. }
            | W::NoTeam { path, .. }
            | W::DateOutOfOrder { path, .. } => Some(path.clone()),
            W::LastActiveWorker { .. } => None,
        }
    }
    fn kind(&self) -> ErrorKind {
        use WorkerError as W;
        match self {
            W::Document(e) => e.kind(),
            W::Taxonomy(e) => e.kind(),
            W::Agency(e) => e.kind(),
            W::ActorRequired { .. } => ErrorKind::Rule,
            W::UnknownWorker { .. } => ErrorKind::NotFound,
            W::WorkerNotOfAgency { .. } => ErrorKind::Rule,
            W::WorkerInactive { .. } => ErrorKind::Rule,
            W::DuplicateWorker { .. } => ErrorKind::AlreadyExists,
            W::NoRoles { .. } => ErrorKind::Invalid,
            W::EmptyText { .. } => ErrorKind::Invalid,
            W::DuplicateMember { .. } => ErrorKind::Invalid,
            W::HandOverRequired { .. } => ErrorKind::Transition,
            W::SameWorker { .. } => ErrorKind::Rule,
            W::NoTeam { .. } => ErrorKind::Transition,
            W::DateOutOfOrder { .. } => ErrorKind::Rule,
            W::LastActiveWorker { .. } => ErrorKind::Rule,
        }
    }
}

#[cfg(test)]
mod tests;
