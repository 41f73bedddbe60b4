// The offline journal as a worker uses it (issues 16, 17, 18: the mobile part): the actor on every
// event, case-record entries and outreach attempts written on two devices and merged, the case
// timeline, the worklist, forms — and the robustness suite of issue 19: empty and wrong-typed
// documents, deep JSON, huge strings, negative ages, out-of-range dates, garbage files. Every call
// answers or throws TsunaguError (never `.Internal`: that would be a panic); nothing crashes.

import Foundation
import XCTest
@testable import TsunaguMobile

/// 2024-02-05T00:00Z (09:00 in Japan): after every record's date below.
var t: Int64 = 1_707_091_200_000
func at() -> Int64 { t += 1000; return t }

func outreachOffice() throws -> CaseJournal {
    let j = try CaseJournal.inMemory(device: "office")
    _ = try j.registerAgency(on: d("2024-02-01"), recordedAtMs: at(),
                             agencyJson: #"{"id": "sendai-council", "name": "社協", "kind": "social_welfare_council"}"#)
    _ = try j.appendBatch(events: [
        CommandEvent(on: d("2024-02-01"), recordedAtMs: at(), commandJson: #"{"command": "register_household", "household": {"id": "h-8050", "area": {"daily_life_area": "sendai-aoba"}, "members": [{"id": "p1", "relation": "head", "approx_age": 82}, {"id": "p2", "relation": "child", "approx_age": 52}]}}"#),
        CommandEvent(on: d("2024-02-01"), recordedAtMs: at(), commandJson: #"{"command": "open_outreach_case", "case": "c-o", "household": "h-8050", "subject": "p2", "responsible_window": "sendai-council", "outreach": {"on": "2024-02-01", "source": "community_report", "concern": "見かけない"}}"#),
        CommandEvent(on: d("2024-02-01"), recordedAtMs: at(), commandJson: #"{"command": "register_worker", "worker": {"id": "csw-1", "agency": "sendai-council", "name": "相談員A", "roles": ["community_social_worker"]}}"#),
    ])
    return j
}

func entry(_ id: String) -> String { #"{"id": "\#(id)", "case": "c-o", "kind": "visit_not_home", "on": "2024-02-02", "text": "不在"}"# }
func attempt(_ id: String) -> String { #"{"type": "attempt", "attempt": {"id": "\#(id)", "on": "2024-02-02", "method": "home_visit", "outcome": "not_home"}}"# }

/// The library's error of `body`, or nil when it answered; a panic or any other error fails.
@discardableResult
func typed(_ what: String, _ body: () throws -> Any?) -> TsunaguError? {
    do {
        _ = try body()
        return nil
    } catch let e as TsunaguError {
        if case let .Internal(_, detail, _) = e { XCTFail("\(what): a panic (\(detail))") }
        return e
    } catch {
        XCTFail("\(what): not a TsunaguError: \(error)")
        return nil
    }
}

func refused(_ what: String, _ codes: String..., body: () throws -> Any?) {
    guard let e = typed(what, body) else { return XCTFail("\(what): no error") }
    XCTAssertTrue(codes.contains(codePath(e).0), "\(what): \(codePath(e)), expected one of \(codes)")
}

final class OfflineTests: XCTestCase {
    func testTheActorIsRequiredAndRecordedOnEveryEvent() throws {
        let j = try outreachOffice()
        let n = try j.len()
        refused("a note without a worker", "actor_required") { try j.writeEntry(recordedAtMs: at(), entryJson: entry("e1")) }
        refused("an unknown worker", "unknown_worker") {
            try j.asActor(worker: "csw-9", agency: "sendai-council").writeEntry(recordedAtMs: at(), entryJson: entry("e1"))
        }
        refused("another agency", "worker_not_of_agency") {
            try j.asActor(worker: "csw-1", agency: "aoba-ward-office").outreach(recordedAtMs: at(), caseId: "c-o", actionJson: attempt("a1"))
        }
        do { _ = try j.writeEntry(recordedAtMs: at(), entryJson: entry("e1")); XCTFail("accepted") } catch TsunaguError.Rejected(let code, _, _) {
            XCTAssertEqual(code, "actor_required", "a policy error is Rejected")
        }
        XCTAssertEqual(try j.len(), n, "refused commands append nothing")
        let csw = try j.asActor(worker: "csw-1", agency: "sendai-council")
        XCTAssertEqual(try csw.actor(), Acting(worker: "csw-1", agency: "sendai-council"))
        XCTAssertNil(try j.actor())
        _ = try csw.writeEntry(recordedAtMs: at(), entryJson: entry("e1"))
        _ = try csw.outreach(recordedAtMs: at(), caseId: "c-o", actionJson: attempt("a1"))
        XCTAssertEqual(try j.len(), n + 2)
        let events = try parse(try j.exportJson()) as! [[String: Any]]
        let by = (events.last!["payload"] as! [String: Any])["by"] as? [String: String]
        XCTAssertEqual(by, ["worker": "csw-1", "agency": "sendai-council"])
        XCTAssertNil((events[1]["payload"] as! [String: Any])["by"], "setup mode has no actor")
    }

    func testEntriesAndAttemptsOfTwoDevicesMergeIntoOneTimeline() throws {
        let base = try outreachOffice()
        let devices = try ["tablet-a", "tablet-b"].map { name -> CaseJournal in
            let j = try CaseJournal.inMemory(device: name)
            _ = try j.importJson(exportJson: try base.exportJson())
            return try j.asActor(worker: "csw-1", agency: "sendai-council")
        }
        _ = try devices[0].writeEntry(recordedAtMs: at(), entryJson: entry("e-a"))
        _ = try devices[0].outreach(recordedAtMs: at(), caseId: "c-o", actionJson: attempt("a-a"))
        _ = try devices[1].writeEntry(recordedAtMs: at(), entryJson: entry("e-b"))
        _ = try devices[1].outreach(recordedAtMs: at(), caseId: "c-o", actionJson: attempt("a-b"))
        for order in [devices, devices.reversed()] {
            let m = try mergeJournals(exports: try order.map { try $0.exportJson() }, path: "", device: "office")
            XCTAssertTrue(m.conflicts.isEmpty)
            let timeline = try m.journal.timelineJson(subjectJson: #"{"type": "case", "case": "c-o"}"#, filterJson: nil)
            for id in ["e-a", "e-b", "a-a", "a-b"] { XCTAssertTrue(timeline.contains(":\(id)\""), "\(id) in \(timeline)") }
            XCTAssertEqual(try m.journal.len(), try base.len() + 4)
            let list = try parse(try m.journal.workerWorklistJson(worker: "csw-1", on: d("2024-02-05"))) as! [String: Any]
            XCTAssertEqual(list["on"] as? String, "2024-02-05")
        }
        refused("timeline of an unknown case", "not_found") {
            try devices[0].timelineJson(subjectJson: #"{"type": "case", "case": "c-none"}"#, filterJson: nil)
        }
        refused("an empty person query", "empty_query") { try devices[0].searchPersonsJson(queryJson: "{}") }
        XCTAssertEqual(try nameKey(name: "髙橋"), try nameKey(name: "高橋"))
        let forms = try Forms.builtin()
        XCTAssertGreaterThanOrEqual(try forms.formIds().count, 4)
        refused("an unknown form", "unknown_form") {
            try forms.submit(journal: base, submissionJson: #"{"form": "none", "record": "r1", "values": {}}"#, today: d("2024-02-05"))
        }
    }
}

final class RobustnessTests: XCTestCase {
    func documents(_ j: CaseJournal) throws -> [(String, (String) throws -> Any?)] {
        let router = try Router.builtin()
        let vocab = try Vocabulary.builtin()
        let forms = try Forms.builtin()
        let today = d("2024-04-01")
        let situation = Situation(urgency: .normal, consent: .none, receivingWindow: nil, today: today)
        return [
            ("householdFromJson", { try householdFromJson(json: $0) }),
            ("execute", { try j.execute(event: CommandEvent(on: today, recordedAtMs: now(), commandJson: $0)) }),
            ("appendBatch", { try j.appendBatch(events: [CommandEvent(on: today, recordedAtMs: now(), commandJson: $0)]) }),
            ("registerAgency", { try j.registerAgency(on: today, recordedAtMs: now(), agencyJson: $0) }),
            ("importJson", { try j.importJson(exportJson: $0) }),
            ("mergeJournals", { try mergeJournals(exports: [$0], path: "", device: "m") }),
            ("previewDisclosure", { try j.previewDisclosure(requestJson: $0) }),
            ("writeEntry", { try j.writeEntry(recordedAtMs: now(), entryJson: $0) }),
            ("outreach", { try j.outreach(recordedAtMs: now(), caseId: "c-1", actionJson: $0) }),
            ("timelineJson", { try j.timelineJson(subjectJson: $0, filterJson: nil) }),
            ("searchPersonsJson", { try j.searchPersonsJson(queryJson: $0) }),
            ("worklistJson", { try j.worklistJson(queryJson: $0) }),
            ("Router.extended", { try router.extended(documentJson: $0) }),
            ("routeJson", { try router.routeJson(householdJson: $0, situationJson: "{}") }),
            ("routeBatchJson", { try router.routeBatchJson(householdsJson: $0, situation: situation) }),
            ("routeBatchCompact", { try router.routeBatchCompact(householdsJson: $0, situation: situation) }),
            ("Vocabulary.extend", { try vocab.extend(documentJson: $0) }),
            ("loadDirectory", { try vocab.loadDirectory(agenciesJson: $0) }),
            ("Forms.extend", { try forms.extend(documentJson: $0) }),
            ("Forms.submit", { try forms.submit(journal: j, submissionJson: $0, today: today) }),
            ("checkFormDefinition", { try checkFormDefinition(formJson: $0) }),
        ]
    }

    func testEmptyWrongTypedAndDeepDocumentsAreTypedErrors() throws {
        let j = try CaseJournal.inMemory(device: "robust")
        let docs = try documents(j)
        for (name, call) in docs {
            for doc in ["", "null", "[]", "{}", "42", "\"text\"", "[1, {\"a\": []}]", "{\"command\": 5}"] {
                typed("\(name)(\(doc))") { try call(doc) }
            }
            refused("\(name)(\"\")", "malformed_document") { try call("") }
            for deep in [String(repeating: "[", count: 100_000),
                         String(repeating: "{\"a\":", count: 50_000) + "1" + String(repeating: "}", count: 50_000)] {
                guard let e = typed(name, { try call(deep) }) else { XCTFail("\(name): deep JSON accepted"); continue }
                guard case let .Invalid(code, detail, _, _) = e else { XCTFail("\(name): \(e)"); continue }
                XCTAssertEqual(code, "malformed_document", name)
                XCTAssertTrue(detail.contains("depth"), "\(name): \(detail)")
            }
        }
        XCTAssertEqual(try j.len(), 0)
        XCTAssertEqual(try j.verify().events, 0)
    }

    func testHugeStringsNegativeAgesAndImpossibleDates() throws {
        let j = try CaseJournal.inMemory(device: "robust")
        let huge = String(repeating: "令", count: 5_000_000)
        refused("parseEraDate(huge)", "unparseable_era_date") { try parseEraDate(text: huge) }
        refused("householdFromJson(huge)", "malformed_document") { try householdFromJson(json: huge) }
        typed("a case id of 1 MB") { try j.timelineJson(subjectJson: "{\"type\": \"case\", \"case\": \"\(String(repeating: "c", count: 1_000_000))\"}", filterJson: nil) }
        XCTAssertNil(try ageOn(birthDate: d("2030-01-01"), today: d("2024-04-01")), "born after today: no age")
        refused("a negative approx_age", "malformed_document") {
            try householdFromJson(json: #"{"id": "h", "members": [{"id": "p", "relation": "head", "approx_age": -5}]}"#)
        }
        // Year -1 is `-001-01-01`, a proleptic date the core takes and refuses by its own rules.
        let bc = CalendarDate(year: -1, month: 1, day: 1)
        XCTAssertNotNil(typed("formatEraDate(\(bc))") { try formatEraDate(date: bc, style: .kanji) })
        XCTAssertNotNil(typed("fiscalYearOf(\(bc))") { try fiscalYearOf(date: bc) })
        for date in [CalendarDate(year: 2024, month: 2, day: 30), CalendarDate(year: 2024, month: 0, day: 10),
                     CalendarDate(year: 10000, month: 1, day: 1), CalendarDate(year: 99999, month: 13, day: 40)] {
            refused("formatEraDate(\(date))", "invalid_date") { try formatEraDate(date: date, style: .kanji) }
            refused("fiscalYearOf(\(date))", "invalid_date") { try fiscalYearOf(date: date) }
            refused("execute on \(date)", "invalid_date") { try j.execute(event: CommandEvent(on: date, recordedAtMs: now(), commandJson: "{}")) }
        }
        for ms in [Int64.min, Int64.max] {
            refused("recordedAtMs \(ms)", "invalid_date") {
                try j.registerAgency(on: d("2024-04-01"), recordedAtMs: ms, agencyJson: #"{"id": "a", "name": "n", "kind": "social_welfare_council"}"#)
            }
        }
        typed("令和9999年") { try parseEraDate(text: "令和9999年1月1日") }
        XCTAssertEqual(try j.len(), 0)
    }

    func testGarbageFilesAndInvalidUtf8AreTypedErrors() throws {
        var rng = SystemRandomNumberGenerator()
        let garbage = FileManager.default.temporaryDirectory.appendingPathComponent("tsunagu-garbage-\(UInt32.random(in: 0...UInt32.max, using: &rng)).db")
        try Data((0..<65_536).map { _ in UInt8.random(in: 0...255, using: &rng) }).write(to: garbage)
        defer { try? FileManager.default.removeItem(at: garbage) }
        guard let e = typed("open(garbage)", { try CaseJournal.open(path: garbage.path, device: "x") }) else { return XCTFail("a garbage file opened") }
        guard case .Journal = e else { return XCTFail("garbage file: \(e)") }
        let bad = String(decoding: [0x5b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x5d] as [UInt8], as: UTF8.self)  // U+FFFD, as an app reads it
        let j = try CaseJournal.inMemory(device: "robust")
        for (name, call) in try documents(j) {
            typed("\(name)(invalid UTF-8)") { try call(bad) }
            typed("\(name)(binary)") { try call(String(decoding: (0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) }, as: UTF8.self)) }
        }
        refused("importJson(invalid UTF-8)", "malformed_document") { try j.importJson(exportJson: bad) }
        refused("a directory as a journal", "storage", "not_a_journal") { try CaseJournal.open(path: FileManager.default.temporaryDirectory.path, device: "x") }
        XCTAssertEqual(try j.len(), 0, "the journal answers after all of it")
    }
}
