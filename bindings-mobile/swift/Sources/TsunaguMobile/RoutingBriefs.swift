// RoutingBriefs: the hand-written view over the compact batch result (振り分け結果の一覧), so app
// code reads typed briefs and never the encoding (layout: bindings-mobile/src/routing_briefs.rs).

import Foundation

/// The brief routing of a batch of households, read from a `CompactBriefs`: a
/// `RandomAccessCollection` of `RoutingBrief` (`count`, subscript, iteration, `Array(briefs)`).
/// Each element is built on demand: codes come from the shared code table, the household id is
/// decoded from UTF-8. The values equal `Router.routeBatchBrief` / `routeBatchJson` for the same
/// households.
public struct RoutingBriefs: RandomAccessCollection {
    public let compact: CompactBriefs
    private let bytes: [UInt8]
    private let n: Int
    private let recTable = 8
    private let idTable: Int
    private let recs: Int
    private let idArea: Int

    public init(_ compact: CompactBriefs) {
        self.compact = compact
        let bytes = [UInt8](compact.data)
        self.bytes = bytes
        func u32(_ o: Int) -> Int {
            Int(bytes[o]) | Int(bytes[o + 1]) << 8 | Int(bytes[o + 2]) << 16 | Int(bytes[o + 3]) << 24
        }
        n = u32(0)
        let m = u32(4)
        idTable = recTable + 4 * (n + 1)
        recs = idTable + 4 * (n + 1)
        idArea = recs + 10 * m
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { n }

    private func u32(_ o: Int) -> Int {
        Int(bytes[o]) | Int(bytes[o + 1]) << 8 | Int(bytes[o + 2]) << 16 | Int(bytes[o + 3]) << 24
    }
    private func u16(_ o: Int) -> Int { Int(bytes[o]) | Int(bytes[o + 1]) << 8 }
    private func code(_ i: Int) -> String? { i == 0xFFFF ? nil : compact.codes[i] }

    /// Household id of element `i`, without building its recommendations.
    public func household(_ i: Int) -> String {
        precondition(i >= 0 && i < n, "index \(i) out of range (count \(n))")
        let i0 = u32(idTable + 4 * i), i1 = u32(idTable + 4 * i + 4)
        return String(decoding: bytes[(idArea + i0)..<(idArea + i1)], as: UTF8.self)
    }

    /// Number of recommendations of element `i` (at least one).
    public func recommendationCount(_ i: Int) -> Int {
        precondition(i >= 0 && i < n, "index \(i) out of range (count \(n))")
        return u32(recTable + 4 * i + 4) - u32(recTable + 4 * i)
    }

    public subscript(i: Int) -> RoutingBrief {
        precondition(i >= 0 && i < n, "index \(i) out of range (count \(n))")
        let r0 = u32(recTable + 4 * i), r1 = u32(recTable + 4 * i + 4)
        let recommendations = (r0..<r1).map { j -> RecommendationBrief in
            let o = recs + 10 * j
            let urgency: Urgency
            switch u16(o + 8) {
            case 0: urgency = .immediate
            case 1: urgency = .high
            default: urgency = .normal
            }
            return RecommendationBrief(rank: UInt32(j - r0 + 1), rule: compact.codes[u16(o)], agencyKind: code(u16(o + 2)),
                                       project: code(u16(o + 4)), urgency: urgency, meeting: code(u16(o + 6)))
        }
        return RoutingBrief(household: household(i), recommendations: recommendations)
    }
}

extension Router {
    /// The lean batch of a JSON array of households as `RoutingBriefs` (the result crosses as one
    /// buffer).
    public func routeBatchBriefs(householdsJson: String, situation: Situation) throws -> RoutingBriefs {
        RoutingBriefs(try routeBatchCompact(householdsJson: householdsJson, situation: situation))
    }
}
