// Every error code throws the class tests/vectors/errors/classes.json gives it: the binding maps
// the core's error kind to a TsunaguError case in one table, so the same code has the same class
// family in every language.

import Foundation
import XCTest
@testable import TsunaguMobile

final class ErrorClassesTests: XCTestCase {
    func testEveryCodeThrowsItsClass() throws {
        let url = data.appendingPathComponent("vectors/errors/classes.json")
        let doc = try JSONSerialization.jsonObject(with: try Data(contentsOf: url)) as! [String: Any]
        let codes = doc["codes"] as! [[String: Any]]
        XCTAssertGreaterThan(codes.count, 100)
        for entry in codes {
            let code = entry["code"] as! String
            XCTAssertEqual(try errorKindOfCode(code: code), entry["kind"] as? String, code)
            do {
                try errorForCode(code: code)
                XCTFail("\(code): no error")
            } catch let e as TsunaguError {
                let name: String
                switch e {
                case .Invalid: name = "TsunaguError.Invalid"
                case .Rejected: name = "TsunaguError.Rejected"
                case .InvalidRules: name = "TsunaguError.InvalidRules"
                case .Journal: name = "TsunaguError.Journal"
                case .Internal: name = "TsunaguError.Internal"
                }
                XCTAssertEqual(name, entry["swift"] as? String, code)
                XCTAssertEqual(codePath(e).0, code)
            }
        }
    }

    /// A panic of the library is its own class (`internal_panic` in classes.json's binding_codes): thrown, never a
    /// crash, and the library answers afterwards.
    func testAPanicIsTheInternalClass() throws {
        let url = data.appendingPathComponent("vectors/errors/classes.json")
        let doc = try JSONSerialization.jsonObject(with: try Data(contentsOf: url)) as! [String: Any]
        let internalClass = (doc["binding_codes"] as! [[String: Any]]).first { $0["code"] as? String == "internal_panic" }!
        XCTAssertEqual(internalClass["swift"] as? String, "TsunaguError.Internal")
        let j = try CaseJournal.inMemory(device: "after-panic")
        let triggers: [() throws -> Void] = [
            { try errorForCode(code: internalClass["code"] as! String) },
            { try testingPanic(message: "on purpose") },
        ]
        for trigger in triggers {
            do {
                try trigger()
                XCTFail("no error")
            } catch let e as TsunaguError {
                guard case let .Internal(code, detail, path) = e else { return XCTFail("\(e)") }
                XCTAssertEqual(code, internalClass["code"] as? String)
                XCTAssertNil(path)
                XCTAssertFalse(detail.isEmpty)
            }
        }
        XCTAssertEqual(try j.len(), 0, "the journal answers after a panic")
    }
}
