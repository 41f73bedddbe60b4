//! Permissions on commands (コマンドの実行権限): before the book executes a new command by an
//! actor, the access policy's `commands` section decides whether the actor may run it
//! (`access::Policy::permit_command`), with the actor's relation to the case the command names
//! (its conflict key: a case or a case team) and whether that case has a team yet.
//!
//! Only new commands are judged: journal replay, import and sync execute events that were
//! permitted when they were recorded (a municipality's later policy does not un-write them).

use crate::access::{CaseRelation, Policy};
use crate::registry::{Command, Registry};
use crate::sync::RecordKey;
use crate::worker::Actor;
use crate::Error;

/// `Ok` when `actor` may run `command` on `registry` as it is; else `command_not_permitted`
/// (at `$.command`) or the actor's own errors (`unknown_worker` …).
pub(super) fn permit(
    policy: &Policy,
    registry: &Registry,
    command: &Command,
    actor: &Actor,
) -> Result<(), Error> {
    registry.permit_command(policy, command, actor)
}

impl Registry {
    /// Whether `actor` may run `command` on the registry as it is, under `policy`'s command
    /// rules: what the book checks before it executes a new command by an actor (see the
    /// module docs). `command_not_permitted` at `$.command`, or the actor's own errors
    /// (`unknown_worker`, `worker_not_of_agency`, `worker_inactive`).
    pub fn permit_command(
        &self,
        policy: &Policy,
        command: &Command,
        actor: &Actor,
    ) -> Result<(), Error> {
        let registry = self;
        let requester = registry.requester(actor)?;
        let case = match RecordKey::of(command) {
            Some(RecordKey::Case(id) | RecordKey::CaseTeam(id)) => {
                Some(crate::ids::CaseId::new(id))
            }
            _ => None,
        };
        let (relations, team) = match case.as_ref().and_then(|id| registry.case(id)) {
            Some(c) => (
                registry.case_parties(c).relations_of(&requester),
                registry.case_team(c.id()).is_some(),
            ),
            None => (vec![CaseRelation::None], false),
        };
        policy.permit_command(&requester, command.name(), &relations, team)?;
        Ok(())
    }
}
