import Foundation
import Synchronization

/// Xero's limits: per tenant 60 calls a minute and 5,000 a day, and 10,000 a minute for the app
/// across tenants. Every answer reports what is left (`X-MinLimit-Remaining`,
/// `X-DayLimit-Remaining`, `X-AppMinLimit-Remaining`); a call over a limit is refused with 429,
/// `Retry-After` (seconds to the window's end) and `X-Rate-Limit-Problem` (`minute`, `day` or
/// `appminute`). Windows are fixed: a minute from its first call, a day to UTC midnight.
final class XeroRateLimiter: Sendable {
    struct Limits: Codable, Sendable, Equatable {
        var minute = 60
        var day = 5000
        var appMinute = 10_000

        enum CodingKeys: String, CodingKey {
            case minute, day
            case appMinute = "app_minute"
        }
    }

    struct Remaining: Sendable {
        var minute: Int
        var day: Int
        var appMinute: Int
    }

    enum Decision: Sendable {
        case allowed(Remaining)
        case limited(problem: String, retryAfter: Int, remaining: Remaining)
    }

    private struct Window {
        var start: Date
        var count = 0
    }

    private struct State {
        var limits = Limits()
        var minutes: [String: Window] = [:]
        var days: [String: Window] = [:]
        var app: Window?
    }

    private let state = Mutex(State())

    var limits: Limits {
        state.withLock { $0.limits }
    }

    /// Replaces the limits and starts every window afresh.
    func set(_ limits: Limits) {
        state.withLock { $0 = State(limits: limits) }
    }

    func admit(tenant: String, now: Date = Date()) -> Decision {
        state.withLock { state in
            let dayStart = Calendar.utc.startOfDay(for: now)
            var minute = state.minutes[tenant].flatMap { now.timeIntervalSince($0.start) < 60 ? $0 : nil } ?? Window(start: now)
            var day = state.days[tenant].flatMap { $0.start == dayStart ? $0 : nil } ?? Window(start: dayStart)
            var app = state.app.flatMap { now.timeIntervalSince($0.start) < 60 ? $0 : nil } ?? Window(start: now)
            let limits = state.limits
            func remaining() -> Remaining {
                Remaining(
                    minute: max(limits.minute - minute.count, 0),
                    day: max(limits.day - day.count, 0),
                    appMinute: max(limits.appMinute - app.count, 0)
                )
            }
            defer {
                state.minutes[tenant] = minute
                state.days[tenant] = day
                state.app = app
            }
            let untilMinuteEnds = { (window: Window) in max(Int((window.start.addingTimeInterval(60).timeIntervalSince(now)).rounded(.up)), 1) }
            if day.count >= limits.day {
                let seconds = Int(dayStart.addingTimeInterval(86_400).timeIntervalSince(now).rounded(.up))
                return .limited(problem: "day", retryAfter: max(seconds, 1), remaining: remaining())
            }
            if minute.count >= limits.minute { return .limited(problem: "minute", retryAfter: untilMinuteEnds(minute), remaining: remaining()) }
            if app.count >= limits.appMinute { return .limited(problem: "appminute", retryAfter: untilMinuteEnds(app), remaining: remaining()) }
            minute.count += 1
            day.count += 1
            app.count += 1
            return .allowed(remaining())
        }
    }
}

extension Calendar {
    fileprivate static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar
    }()
}
