//! Moving a person between households (世帯間の異動: 転居・世帯分離・転入): one journalled
//! command takes a member out of one household and into another. The person keeps their id
//! (the person master record and every case, record entry and consent that names them stay as
//! they are), each household keeps its own cases, and the registry keeps every move
//! ([`HouseholdMove`], [`Registry::household_moves_of`]), so the history shows both households.
//!
//! Decisions where the sources leave a detail open:
//! - The member's document moves whole (issues, certificates, care level …); only the relation
//!   changes, to the one given for the new household. Care ties (`cares_for`) between the mover
//!   and the members left behind are dropped on both sides: a household document can only name
//!   its own members, and care across households (別居介護) is recorded as a tie or a record
//!   entry, not as a member reference. The mover's own eco-map ties (their care manager, a
//!   neighbour who looks in) move with them; household-wide ties stay.
//! - A move that would leave the old household without members is refused (`empty_household`
//!   at `$.person`): the old household's cases refer to it. When the whole household moves,
//!   its document is updated (`update_household`, a new area) instead.
//! - When the head (世帯主) leaves, `new_head` names the member who becomes head; without it the
//!   household keeps no recorded head (allowed), and the other members' relations, which were
//!   relative to the old head, are for the worker to update.
//! - The new household exists already, or is created by the move (`create = true`, 世帯分離 and
//!   転居 into a new household), with the mover as its only member and the area given (the old
//!   household's area when none is). A move into an unknown household without `create` is
//!   `not_found`, so a typing error in an id does not create a household.
//! - Both resulting households are validated as any household document is (the registry's
//!   limits included); on any error nothing changes.

use super::command::{Apply, RecordedDates};
use super::rules::{exists, not_found};
use super::{Receipt, Registry, RegistryError};
use crate::household::{Area, Household, HouseholdError, Relation};
use crate::ids::{HouseholdId, PersonId};
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Why a person moves (異動の事由).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MoveReason {
    /// 転居: moves to another address, into another household.
    Relocation,
    /// 世帯分離: leaves the household at the same address, forming or joining another.
    Separation,
    /// 転入: comes into the household (from another household of the registry).
    MoveIn,
    /// その他 (marriage, entering or leaving an institution …).
    Other,
}

/// Move a person from one household to another (世帯間の異動).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MovePerson {
    /// The member who moves.
    pub person: PersonId,
    /// The household they leave.
    pub from: HouseholdId,
    /// The household they join.
    pub to: HouseholdId,
    /// Their relation to the head of the new household (`head` when they form it).
    pub relation: Relation,
    /// The day of the move (異動日), not after today.
    pub date: NaiveDate,
    /// Why.
    pub reason: MoveReason,
    /// The member who becomes head of the old household when the head leaves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_head: Option<PersonId>,
    /// Create the new household (it must not exist yet).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub create: bool,
    /// The area of a created household (default: the old household's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<Area>,
}

/// One recorded move (異動の記録): who moved from where to where, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct HouseholdMove {
    /// The person.
    pub person: PersonId,
    /// The household left.
    pub from: HouseholdId,
    /// The household joined.
    pub to: HouseholdId,
    /// The relation in the household left.
    pub relation_before: Relation,
    /// The relation in the household joined.
    pub relation_after: Relation,
    /// The day of the move.
    pub date: NaiveDate,
    /// Why.
    pub reason: MoveReason,
    /// Whether the move created the household joined.
    pub created: bool,
}

impl MovePerson {
    /// The two households after the move (validated), without changing the registry.
    fn households_after(
        &self,
        reg: &Registry,
        today: NaiveDate,
    ) -> Result<(Household, Household, Relation), Error> {
        let from = reg
            .households
            .get(&self.from)
            .ok_or_else(|| not_found("household", &self.from, "$.from"))?;
        let mut old = from.clone();
        let k = old
            .members
            .iter()
            .position(|m| m.id == self.person)
            .ok_or_else(|| HouseholdError::UnknownMember {
                id: self.person.clone(),
                path: "$.person".into(),
            })?;
        if old.members.len() == 1 {
            return Err(HouseholdError::EmptyHousehold {
                household: self.from.to_string(),
                path: "$.person".into(),
            }
            .into());
        }
        let mut mover = old.members.remove(k);
        let relation_before = mover.relation;
        mover.relation = self.relation;
        mover.cares_for.clear();
        for m in &mut old.members {
            m.cares_for.retain(|id| id != &self.person);
        }
        // The mover's own ties (their care manager, a neighbour who looks in) go with them.
        let (moving_ties, staying): (Vec<_>, Vec<_>) = std::mem::take(&mut old.ties)
            .into_iter()
            .partition(|t| t.member.as_ref() == Some(&self.person));
        old.ties = staying;
        if let Some(head) = &self.new_head {
            let m = old
                .members
                .iter_mut()
                .find(|m| &m.id == head)
                .ok_or_else(|| HouseholdError::UnknownMember {
                    id: head.clone(),
                    path: "$.new_head".into(),
                })?;
            m.relation = Relation::Head;
        }
        let new = match (reg.households.get(&self.to), self.create) {
            (Some(_), true) => return Err(exists("household", &self.to, "$.to")),
            (None, false) => return Err(not_found("household", &self.to, "$.to")),
            (None, true) => Household {
                id: self.to.clone(),
                area: self.area.clone().unwrap_or_else(|| from.area.clone()),
                members: vec![mover],
                issues: Vec::new(),
                ties: moving_ties,
            },
            (Some(to), false) => {
                if to.members.iter().any(|m| m.id == self.person) {
                    return Err(HouseholdError::DuplicateMember {
                        id: self.person.clone(),
                        path: "$.to".into(),
                    }
                    .into());
                }
                let mut new = to.clone();
                new.members.push(mover);
                new.ties.extend(moving_ties);
                new
            }
        };
        let limits = &reg.limits;
        crate::household::validate_within(&old, &reg.taxonomies, today, limits)?;
        crate::household::validate_within(&new, &reg.taxonomies, today, limits)?;
        Ok((old, new, relation_before))
    }
}

impl Apply for MovePerson {
    fn recorded_dates(&self) -> RecordedDates {
        vec![(self.date, "$.date")]
    }
    fn check(&self, reg: &Registry) -> Result<(), Error> {
        if self.from == self.to {
            return Err(RegistryError::Mismatch {
                what: format!("household `{}` is both left and joined", self.from),
                path: "$.to".into(),
            }
            .into());
        }
        if !reg.households.contains_key(&self.from) {
            return Err(not_found("household", &self.from, "$.from"));
        }
        Ok(())
    }
    fn apply(&self, reg: &mut Registry, today: NaiveDate) -> Result<Receipt, Error> {
        let (old, new, relation_before) = self.households_after(reg, today)?;
        reg.households.insert(old.id.clone(), old);
        reg.households.insert(new.id.clone(), new);
        reg.household_moves.push(HouseholdMove {
            person: self.person.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            relation_before,
            relation_after: self.relation,
            date: self.date,
            reason: self.reason,
            created: self.create,
        });
        Ok(Receipt::Recorded)
    }
}

impl Registry {
    /// Every move between households, in the order recorded.
    pub fn household_moves(&self) -> &[HouseholdMove] {
        &self.household_moves
    }
    /// The moves of one person, in the order recorded (the households they have lived in).
    pub fn household_moves_of(&self, person: &PersonId) -> Vec<&HouseholdMove> {
        self.household_moves
            .iter()
            .filter(|m| &m.person == person)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::{Command, RegisterHousehold};

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn registry() -> Registry {
        let mut reg = Registry::default();
        for text in [
            r#"{"id":"h-y","members":[
                {"id":"y-mother","relation":"head","approx_age":45,"cares_for":["y-son2"]},
                {"id":"y-son1","relation":"child","birth_date":"2005-06-10","issues":["hikikomori"],"cares_for":["y-son2"]},
                {"id":"y-son2","relation":"child","birth_date":"2013-09-02"}],
              "ties":[{"member":"y-son1","with":{"type":"informal","kind":"neighbour"},"strength":"weak"},
                      {"with":{"type":"informal","kind":"welfare_commissioner"},"strength":"strong"}]}"#,
            r#"{"id":"h-g","members":[{"id":"g","relation":"head","approx_age":78}]}"#,
        ] {
            let household: Household = serde_json::from_str(text).unwrap();
            reg.execute(&RegisterHousehold { household }.into(), day())
                .unwrap();
        }
        reg
    }

    fn mv(person: &str, from: &str, to: &str) -> MovePerson {
        MovePerson {
            person: PersonId::new(person),
            from: HouseholdId::new(from),
            to: HouseholdId::new(to),
            relation: Relation::Grandchild,
            date: day(),
            reason: MoveReason::Relocation,
            new_head: None,
            create: false,
            area: None,
        }
    }

    #[test]
    fn the_member_moves_whole_with_their_ties_and_the_history_shows_both_households() {
        let mut reg = registry();
        reg.execute(&Command::MovePerson(mv("y-son1", "h-y", "h-g")), day())
            .unwrap();
        let old = reg.household(&HouseholdId::new("h-y")).unwrap();
        let new = reg.household(&HouseholdId::new("h-g")).unwrap();
        assert!(old.members.iter().all(|m| m.id.as_str() != "y-son1"));
        let son = new
            .members
            .iter()
            .find(|m| m.id.as_str() == "y-son1")
            .unwrap();
        assert_eq!(son.relation, Relation::Grandchild);
        assert!(son.has_current_issue(&crate::ids::IssueCode::new("hikikomori")));
        assert!(
            son.cares_for.is_empty(),
            "care ties to the old household end"
        );
        // His tie went with him; the household-wide tie stayed.
        assert_eq!(new.ties.len(), 1);
        assert_eq!(old.ties.len(), 1);
        assert!(old.ties[0].member.is_none());
        let moves: Vec<_> = reg.household_moves_of(&PersonId::new("y-son1"));
        assert_eq!(moves.len(), 1);
        assert_eq!(
            (moves[0].from.as_str(), moves[0].to.as_str()),
            ("h-y", "h-g")
        );
        assert_eq!(moves[0].relation_before, Relation::Child);
    }

    #[test]
    fn when_the_head_leaves_new_head_takes_over_and_refusals_change_nothing() {
        let mut reg = registry();
        let mut m = mv("y-mother", "h-y", "h-g");
        m.relation = Relation::Child;
        m.new_head = Some(PersonId::new("nobody"));
        let before = reg.clone();
        let e = reg
            .execute(&Command::MovePerson(m.clone()), day())
            .unwrap_err();
        assert_eq!(e.code(), "unknown_member");
        assert_eq!(e.path().as_deref(), Some("$.new_head"));
        assert_eq!(reg, before, "a refused move changes nothing");
        m.new_head = Some(PersonId::new("y-son1"));
        reg.execute(&Command::MovePerson(m), day()).unwrap();
        let old = reg.household(&HouseholdId::new("h-y")).unwrap();
        assert_eq!(old.head().unwrap().id.as_str(), "y-son1");
        // A move over the registry's household limit is refused naming it.
        let mut reg2 = registry();
        reg2.limits = reg2.limits.with(crate::limits::Limit::HouseholdMembers, 1);
        let before = reg2.clone();
        let e = reg2
            .execute(&Command::MovePerson(mv("y-son1", "h-y", "h-g")), day())
            .unwrap_err();
        assert_eq!(e.code(), "limit_exceeded");
        assert_eq!(reg2, before);
    }
}
