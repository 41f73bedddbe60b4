//! The staff roster (職員名簿): workers as records of an agency, their roles, their leaving
//! (退職・異動), and the check that an [`Actor`] may act.

use super::{Actor, Roles, WorkerError};
use crate::agency::Directory;
use crate::ids::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A worker (職員): a person who acts for one agency, with one or more roles.
///
/// A worker belongs to exactly one agency. A person who moves to another agency (異動) leaves
/// under this id and is registered again under a new id for the new agency, so every past event
/// stays attributed to the agency the worker acted for at the time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Worker {
    /// Worker id (the embedding system's staff number, opaque).
    pub id: WorkerId,
    /// The agency the worker acts for (所属機関).
    pub agency: AgencyId,
    /// Display name (氏名). Personal data of the worker: never in an error message.
    pub name: String,
    /// Roles held (職種・役割), at least one; codes of [`Roles`]. A set, so a role is held once.
    pub roles: BTreeSet<RoleCode>,
}

/// Why a worker left (退職・異動の区分).
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
pub enum LeaveReason {
    /// Retirement or resignation (退職).
    Retirement,
    /// Transfer to another post or agency (異動).
    Transfer,
}

/// Whether a worker may act (在職状況).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum WorkerStatus {
    /// In post (在職): may act.
    Active,
    /// Left (退職・異動) on `on`; acts no more. Leaving is final for this id.
    Left {
        /// The date of leaving.
        on: NaiveDate,
        /// Why.
        reason: LeaveReason,
    },
}

/// A registered worker: the document and the status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WorkerRecord {
    /// The worker as registered (roles as last updated).
    pub worker: Worker,
    /// In post or left.
    pub status: WorkerStatus,
}

impl WorkerRecord {
    /// True while the worker is in post.
    pub fn is_active(&self) -> bool {
        matches!(self.status, WorkerStatus::Active)
    }
}

/// The staff roster of every agency (職員名簿).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Staff {
    workers: BTreeMap<WorkerId, WorkerRecord>,
}

impl Worker {
    /// Check the document against the directory and the roles in force: `unknown_agency`
    /// (`<base>.agency`), `empty_text` (`<base>.id`, `<base>.name`), `no_roles` (`<base>.roles`),
    /// `unknown_code` (`<base>.roles`, list `roles`). `base` is the document's own path (`$` for
    /// the document alone, `$.worker` in a command).
    pub fn validate(
        &self,
        directory: &Directory,
        roles: &Roles,
        base: &str,
    ) -> Result<(), WorkerError> {
        if self.id.as_str().trim().is_empty() {
            return Err(WorkerError::EmptyText {
                subject: "worker id".into(),
                path: format!("{base}.id"),
            });
        }
        directory.check(&self.agency, &format!("{base}.agency"))?;
        if self.name.trim().is_empty() {
            return Err(WorkerError::EmptyText {
                subject: format!("worker `{}`", self.id),
                path: format!("{base}.name"),
            });
        }
        check_roles(&self.id, &self.roles, roles, &format!("{base}.roles"))
    }
}

/// `no_roles` for an empty set, `unknown_code` for a role not in force.
pub(crate) fn check_roles(
    worker: &WorkerId,
    held: &BTreeSet<RoleCode>,
    roles: &Roles,
    path: &str,
) -> Result<(), WorkerError> {
    if held.is_empty() {
        return Err(WorkerError::NoRoles {
            worker: worker.clone(),
            path: path.into(),
        });
    }
    for r in held {
        roles.check(r, path)?;
    }
    Ok(())
}

impl Staff {
    /// No workers: the book is in setup mode (commands without an actor are accepted).
    pub fn is_empty(&self) -> bool {
        self.workers.is_empty()
    }

    /// Worker by id.
    pub fn get(&self, id: &WorkerId) -> Option<&WorkerRecord> {
        self.workers.get(id)
    }

    /// Every worker, by id.
    pub fn iter(&self) -> impl Iterator<Item = &WorkerRecord> {
        self.workers.values()
    }

    /// The workers of `agency`, by id (those who left included).
    pub fn of_agency<'a>(&'a self, agency: &'a AgencyId) -> impl Iterator<Item = &'a WorkerRecord> {
        self.workers
            .values()
            .filter(move |w| &w.worker.agency == agency)
    }

    /// The worker, or `unknown_worker` at `path`.
    pub fn check(&self, id: &WorkerId, path: &str) -> Result<&WorkerRecord, WorkerError> {
        self.workers
            .get(id)
            .ok_or_else(|| WorkerError::UnknownWorker {
                worker: id.clone(),
                path: Some(path.into()),
            })
    }

    /// The worker, in post; `unknown_worker` or `worker_inactive` at `path`.
    pub fn check_active(&self, id: &WorkerId, path: &str) -> Result<&WorkerRecord, WorkerError> {
        let w = self.check(id, path)?;
        if !w.is_active() {
            return Err(WorkerError::WorkerInactive {
                worker: id.clone(),
                path: Some(path.into()),
            });
        }
        Ok(w)
    }

    /// May `actor` act now? In setup mode (no worker registered yet) a command without an actor
    /// is accepted, so old journals and the first configuration replay as before; once a worker
    /// exists every command needs one (`actor_required`). An actor must be a registered worker
    /// (`unknown_worker`) of the agency it names (`worker_not_of_agency`), in post
    /// (`worker_inactive`). These errors have no path: the actor is beside the command, not in it.
    pub fn authorise(&self, actor: Option<&Actor>) -> Result<(), WorkerError> {
        let Some(actor) = actor else {
            return if self.is_empty() {
                Ok(())
            } else {
                Err(WorkerError::ActorRequired { path: None })
            };
        };
        let w = self
            .workers
            .get(&actor.worker)
            .ok_or_else(|| WorkerError::UnknownWorker {
                worker: actor.worker.clone(),
                path: None,
            })?;
        if w.worker.agency != actor.agency {
            return Err(WorkerError::WorkerNotOfAgency {
                worker: actor.worker.clone(),
                agency: actor.agency.clone(),
                path: None,
            });
        }
        if !w.is_active() {
            return Err(WorkerError::WorkerInactive {
                worker: actor.worker.clone(),
                path: None,
            });
        }
        Ok(())
    }

    /// Add a validated worker; `duplicate_worker` (`$.worker.id`) when the id is taken (also by
    /// a worker who left: ids are never reused).
    pub(crate) fn register(&mut self, worker: Worker) -> Result<(), WorkerError> {
        if self.workers.contains_key(&worker.id) {
            return Err(WorkerError::DuplicateWorker {
                worker: worker.id,
                path: "$.worker.id".into(),
            });
        }
        self.workers.insert(
            worker.id.clone(),
            WorkerRecord {
                worker,
                status: WorkerStatus::Active,
            },
        );
        Ok(())
    }

    /// Replace the roles of a worker in post (checked by the caller).
    pub(crate) fn set_roles(&mut self, id: &WorkerId, roles: BTreeSet<RoleCode>) {
        if let Some(w) = self.workers.get_mut(id) {
            w.worker.roles = roles;
        }
    }

    /// Mark a worker as having left (checked by the caller).
    pub(crate) fn leave(&mut self, id: &WorkerId, on: NaiveDate, reason: LeaveReason) {
        if let Some(w) = self.workers.get_mut(id) {
            w.status = WorkerStatus::Left { on, reason };
        }
    }

    /// Number of workers in post.
    pub fn active_count(&self) -> usize {
        self.workers.values().filter(|w| w.is_active()).count()
    }
}
