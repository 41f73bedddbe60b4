//! Shared harness of the scenario tests: a registry that keeps the events it accepted, checks
//! that every rejected command changed nothing, and that the accepted events replay into the same
//! registry.

#![allow(dead_code)] // each test crate uses a different part of the harness

use chrono::NaiveDate;
use serde_json::{json, Value};
use tsunagu::registry::{Command, Event, Receipt, Registry};

/// Sendai's agency directory (seeds), shared by the scenarios.
pub const AGENCIES: &str = include_str!("../../../tests/fixtures/sendai_agencies.json");
/// Y-san's household (DOMAIN.md §8).
pub const Y_SAN: &str = include_str!("../../../tests/fixtures/y_san_household.json");

/// A date from ISO text.
pub fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A registry that keeps the events it accepted, to check replay.
pub struct Book {
    pub reg: Registry,
    pub events: Vec<Event>,
}

impl Book {
    /// A registry with Sendai's agencies registered on `on`.
    pub fn with_agencies(on: &str) -> Book {
        let mut b = Book {
            reg: Registry::new(),
            events: Vec::new(),
        };
        let agencies: Vec<Value> = serde_json::from_str(AGENCIES).unwrap();
        for a in agencies {
            b.ok(on, json!({ "command": "register_agency", "agency": a }));
        }
        b
    }

    /// Executes a command on `today`; a rejected one must leave the registry unchanged.
    pub fn run(&mut self, today: &str, cmd: Value) -> Result<Receipt, tsunagu::Error> {
        let command: Command = serde_json::from_value(cmd).expect("command parses");
        let before = serde_json::to_string(&self.reg).unwrap();
        match self.reg.execute(&command, d(today)) {
            Ok(r) => {
                self.events.push(Event {
                    on: d(today),
                    command,
                    by: None,
                });
                Ok(r)
            }
            Err(e) => {
                assert_eq!(
                    before,
                    serde_json::to_string(&self.reg).unwrap(),
                    "a rejected command changed the registry"
                );
                Err(e)
            }
        }
    }

    /// Executes a command that must be accepted.
    pub fn ok(&mut self, today: &str, cmd: Value) -> Receipt {
        self.run(today, cmd.clone())
            .unwrap_or_else(|e| panic!("{cmd}: {} at {:?}: {e}", e.code(), e.path()))
    }

    /// Executes a command that must be rejected; its code and path.
    pub fn err(&mut self, today: &str, cmd: Value) -> (String, Option<String>) {
        let e = self.run(today, cmd).expect_err("command must be rejected");
        (e.code().to_string(), e.path())
    }

    /// A case action (`{"command": "case", …}`) that must be accepted.
    pub fn case(&mut self, today: &str, case: &str, action: Value) -> Receipt {
        self.ok(
            today,
            json!({ "command": "case", "case": case, "action": action }),
        )
    }

    /// The state code of a case.
    pub fn state(&self, case: &str) -> &'static str {
        self.reg.case(&case.into()).unwrap().state().kind().code()
    }

    /// The accepted events replay into the same registry.
    pub fn assert_replays(&self) {
        let replayed = Registry::replay(&self.events).expect("replay succeeds");
        assert_eq!(
            serde_json::to_value(&replayed).unwrap(),
            serde_json::to_value(&self.reg).unwrap()
        );
    }
}
