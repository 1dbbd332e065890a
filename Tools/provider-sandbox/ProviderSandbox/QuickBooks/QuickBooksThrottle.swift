import Synchronization

/// Intuit's limits per realm: 500 requests a minute, 10 a second (when put) and 10 at a time. A
/// request over any is answered 429 with the throttle fault (and `Retry-After`: when the minute's window ends,
/// or one second for the second's window and for concurrency), and counted against its realm, so
/// a benchmark can show the hub kept every company under its limits. Tests and benchmarks change
/// or switch them off through `PUT /_admin/quickbooks/throttle` (which also zeroes the counts).
public final class QuickBooksThrottle: Sendable {
    public struct Settings: Codable, Sendable, Equatable {
        public var enabled = true
        public var perMinute = 500
        /// A sliding second: no more than this many requests admitted in any one second. Intuit's
        /// is 10; off unless put (the official clients' fidelity tests call faster than that), as
        /// the many-tenant benchmark and its tests do.
        public var perSecond: Int?
        public var concurrent = 10

        public init() {}

        enum CodingKeys: String, CodingKey {
            case enabled
            case perMinute = "per_minute"
            case perSecond = "per_second"
            case concurrent
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
            perMinute = max(1, try container.decodeIfPresent(Int.self, forKey: .perMinute) ?? 500)
            perSecond = try container.decodeIfPresent(Int.self, forKey: .perSecond).map { max(1, $0) }
            concurrent = max(1, try container.decodeIfPresent(Int.self, forKey: .concurrent) ?? 10)
        }
    }

    enum Admission: Equatable {
        case allowed
        case limited(retryAfter: Int)
    }

    private struct Realm {
        var windowStart: ContinuousClock.Instant
        var count = 0
        var inFlight = 0
        /// When the requests of the last second were admitted, oldest first.
        var lastSecond: [ContinuousClock.Instant] = []
    }

    private struct State {
        var settings = Settings()
        var realms: [String: Realm] = [:]
        /// Requests answered 429, per realm, since the settings were last put.
        var rejected: [String: Int] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    public var settings: Settings {
        get { state.withLock { $0.settings } }
        set {
            state.withLock {
                $0.settings = newValue
                $0.realms = [:]
                $0.rejected = [:]
            }
        }
    }

    /// Requests answered 429 per realm since the settings were last put.
    public var rejected: [String: Int] {
        state.withLock { $0.rejected }
    }

    /// Admits one request for `realm`; an admitted request must be `release`d when answered.
    func admit(_ realm: String, now: ContinuousClock.Instant = .now) -> Admission {
        state.withLock { state in
            guard state.settings.enabled else { return .allowed }
            var current = state.realms[realm] ?? Realm(windowStart: now)
            if now - current.windowStart >= .seconds(60) {
                current.windowStart = now
                current.count = 0
            }
            current.lastSecond.removeAll { now - $0 >= .seconds(1) }
            defer { state.realms[realm] = current }
            let admission: Admission
            if current.count >= state.settings.perMinute {
                let left = .seconds(60) - (now - current.windowStart)
                admission = .limited(retryAfter: max(1, Int(left.components.seconds) + 1))
            } else if current.lastSecond.count >= state.settings.perSecond ?? .max || current.inFlight >= state.settings.concurrent {
                admission = .limited(retryAfter: 1)
            } else {
                current.count += 1
                current.inFlight += 1
                current.lastSecond.append(now)
                return .allowed
            }
            state.rejected[realm, default: 0] += 1
            return admission
        }
    }

    func release(_ realm: String) {
        state.withLock { state in
            guard var current = state.realms[realm], current.inFlight > 0 else { return }
            current.inFlight -= 1
            state.realms[realm] = current
        }
    }
}
