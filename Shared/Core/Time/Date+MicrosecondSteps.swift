import Foundation

extension Date {
    /// `count` instants one microsecond apart from `start`, each in the middle of its
    /// microsecond. PostgreSQL keeps whole microseconds and PostgresNIO truncates to them; a
    /// `Date` near today carries about a tenth of a microsecond of error, so instants spaced by
    /// adding a microsecond could land two on the same one and lose their order.
    public static func microsecondSteps(_ count: Int, from start: Date = Date()) -> [Date] {
        let first = (start.timeIntervalSinceReferenceDate * 1_000_000).rounded(.down)
        return (0..<count).map { Date(timeIntervalSinceReferenceDate: (first + Double($0) + 0.5) / 1_000_000) }
    }
}
