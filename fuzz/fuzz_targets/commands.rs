//! Commands: a JSON array of commands executed in order on one registry (a single command is
//! an array of one). Each is a receipt or a typed error, and a refused command changes nothing.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tsunagu::registry::{Command, Registry};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let commands: Vec<Command> = match tsunagu::error::from_json::<Vec<Command>>(text) {
        Ok(list) => list,
        Err(_) => match tsunagu::error::from_json::<Command>(text) {
            Ok(one) => vec![one],
            Err(_) => return,
        },
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    let mut reg = Registry::default();
    for c in commands.iter().take(64) {
        let before = reg.clone();
        if reg.execute(c, today).is_err() {
            assert!(reg == before, "a refused command changed the registry");
        }
    }
});
