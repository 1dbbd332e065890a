import Foundation
import Synchronization

/// HubSpot's limits per account: a burst of 100 calls in any 10 seconds (`TEN_SECONDLY_ROLLING`)
/// and 250,000 a day (`DAILY`, to UTC midnight here). Every answer carries
/// `X-HubSpot-RateLimit-Max`, `-Remaining`, `-Interval-Milliseconds`, `-Daily` and
/// `-Daily-Remaining`; a call over a limit is refused with 429 and the limit's `policyName`.
/// The 10-second window is fixed from its first call.
final class HubSpotRateLimiter: Sendable {
    struct Limits: Codable, Sendable, Equatable {
        var tenSecondly = 100
        var daily = 250_000

        enum CodingKeys: String, CodingKey {
            case tenSecondly = "ten_secondly"
            case daily
        }
    }

    enum Decision: Sendable {
        case allowed(headers: [(String, String)])
        case limited(policy: String, headers: [(String, String)])
    }

    private struct Window {
        var start: Date
        var count = 0
    }

    private struct State {
        var limits = Limits()
        var bursts: [String: Window] = [:]
        var days: [String: Window] = [:]
    }

    private let state = Mutex(State())

    var limits: Limits { state.withLock { $0.limits } }

    /// Replaces the limits and starts every window afresh.
    func set(_ limits: Limits) {
        state.withLock { $0 = State(limits: limits) }
    }

    func admit(portal: String, now: Date = Date()) -> Decision {
        state.withLock { state in
            let dayStart = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
            var burst = state.bursts[portal].flatMap { now.timeIntervalSince($0.start) < 10 ? $0 : nil } ?? Window(start: now)
            var day = state.days[portal].flatMap { $0.start == dayStart ? $0 : nil } ?? Window(start: dayStart)
            let limits = state.limits
            defer {
                state.bursts[portal] = burst
                state.days[portal] = day
            }
            func headers() -> [(String, String)] {
                [
                    ("X-HubSpot-RateLimit-Interval-Milliseconds", "10000"), ("X-HubSpot-RateLimit-Max", String(limits.tenSecondly)),
                    ("X-HubSpot-RateLimit-Remaining", String(max(limits.tenSecondly - burst.count, 0))),
                    ("X-HubSpot-RateLimit-Daily", String(limits.daily)),
                    ("X-HubSpot-RateLimit-Daily-Remaining", String(max(limits.daily - day.count, 0))),
                ]
            }
            if day.count >= limits.daily { return .limited(policy: "DAILY", headers: headers()) }
            if burst.count >= limits.tenSecondly { return .limited(policy: "TEN_SECONDLY_ROLLING", headers: headers()) }
            burst.count += 1
            day.count += 1
            return .allowed(headers: headers())
        }
    }
}
