//! Writes journal fixtures of the core for the node tests (`artifacts/`, not checked in): the
//! Ishinomaki 2020 journal (`tsunagu::stats::fixtures::ishinomaki_2020`, seeds 003) as a JSON
//! array of `Event`s, so the JavaScript report test checks the same figures as the Rust and
//! Python tests. `test.sh` runs this before the node tests.

#[test]
fn write_ishinomaki_2020_events() {
    let events = tsunagu::stats::fixtures::ishinomaki_2020();
    assert!(events.len() > 100, "the fixture holds a year of records");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/artifacts");
    std::fs::create_dir_all(dir).unwrap();
    let text = serde_json::to_string(&events).unwrap();
    std::fs::write(format!("{dir}/ishinomaki_2020.events.json"), text).unwrap();
}
