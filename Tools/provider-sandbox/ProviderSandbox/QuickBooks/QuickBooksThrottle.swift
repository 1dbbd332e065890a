import Synchronization

/// Intuit's limits per realm: 500 requests a minute and 10 at a time. A request over either is
/// answered 429 with the throttle fault (and `Retry-After`: when the minute's window ends, or
/// one second for concurrency). Tests and benchmarks change or switch them off through
/// `PUT /_admin/quickbooks/throttle`.
public final class QuickBooksThrottle: Sendable {
    public struct Settings: Codable, Sendable, Equatable {
        public var enabled = true
        public var perMinute = 500
        public var concurrent = 10

        public init() {}

        enum CodingKeys: String, CodingKey {
            case enabled
            case perMinute = "per_minute"
            case concurrent
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
            perMinute = max(1, try container.decodeIfPresent(Int.self, forKey: .perMinute) ?? 500)
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
    }

    private struct State {
        var settings = Settings()
        var realms: [String: Realm] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    public var settings: Settings {
        get { state.withLock { $0.settings } }
        set {
            state.withLock {
                $0.settings = newValue
                $0.realms = [:]
            }
        }
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
            defer { state.realms[realm] = current }
            guard current.count < state.settings.perMinute else {
                let left = .seconds(60) - (now - current.windowStart)
                return .limited(retryAfter: max(1, Int(left.components.seconds) + 1))
            }
            guard current.inFlight < state.settings.concurrent else { return .limited(retryAfter: 1) }
            current.count += 1
            current.inFlight += 1
            return .allowed
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
