// CalendarDate: the Swift type of tsunagu's calendar dates (暦日), never timestamps.
//
// A plain year-month-day value with no time zone, carried across the boundary as ISO-8601
// `YYYY-MM-DD`. It is not validated here: the core validates every date it receives and throws
// `TsunaguError.Invalid(code: "invalid_date", …)` with the argument's path, so a bad date is a
// normal Swift error, never a crash. `dateComponents` converts to Foundation.

import Foundation

public struct CalendarDate: Hashable, Comparable, CustomStringConvertible, Sendable {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// From `YYYY-MM-DD` as the core writes it. Text that is not in that shape gives 0-0-0,
    /// which the core rejects with `invalid_date` if it is ever passed back.
    public init(iso8601 text: String) {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        if parts.count == 3 {
            self.init(year: parts[0], month: parts[1], day: parts[2])
        } else {
            self.init(year: 0, month: 0, day: 0)
        }
    }

    /// `YYYY-MM-DD`.
    public var iso8601: String {
        let y = String(format: "%04d", year)
        let m = String(format: "%02d", month)
        let d = String(format: "%02d", day)
        return "\(y)-\(m)-\(d)"
    }

    public var description: String { iso8601 }

    /// As Foundation date components (Gregorian calendar, no time).
    public var dateComponents: DateComponents {
        DateComponents(calendar: Calendar(identifier: .gregorian), year: year, month: month, day: day)
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}
