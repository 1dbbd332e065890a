import Foundation
import HubCore
import Synchronization

/// Shopify's REST rate limit: a leaky bucket per access token (40 requests, leaking 2 a second
/// on standard plans). A request that would overflow the bucket is refused with 429 and
/// `Retry-After`; every other answer reports the fill level in `X-Shopify-Shop-Api-Call-Limit`.
/// Benchmarks that are not about rate limits switch it off through the admin API.
public final class ShopifyCallLimiter: Sendable {
    public struct Settings: Codable, Sendable, Equatable {
        public var enabled = true
        public var capacity = 40
        public var leakPerSecond = 2.0
        /// What `Retry-After` says: Shopify sends `2.0` whatever the fill level.
        public var retryAfterSeconds = 2.0

        public init() {}

        enum CodingKeys: String, CodingKey {
            case enabled, capacity
            case leakPerSecond = "leak_per_second"
            case retryAfterSeconds = "retry_after_seconds"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
            capacity = max(1, try container.decodeIfPresent(Int.self, forKey: .capacity) ?? 40)
            leakPerSecond = max(0.001, try container.decodeIfPresent(Double.self, forKey: .leakPerSecond) ?? 2)
            retryAfterSeconds = try container.decodeIfPresent(Double.self, forKey: .retryAfterSeconds) ?? 2
        }
    }

    /// The outcome for one request.
    enum Admission: Equatable {
        /// Allowed; the bucket now holds `used` of `capacity`.
        case allowed(used: Int, capacity: Int)
        case limited(retryAfter: Double)
    }

    private struct State {
        var settings = Settings()
        var buckets: [String: (level: Double, at: ContinuousClock.Instant)] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    public var settings: Settings {
        get { state.withLock { $0.settings } }
        set {
            state.withLock {
                $0.settings = newValue
                $0.buckets = [:]
            }
        }
    }

    func admit(_ token: String, now: ContinuousClock.Instant = .now) -> Admission {
        state.withLock { state in
            let settings = state.settings
            let previous = state.buckets[token] ?? (0, now)
            let elapsed = now - previous.at
            let seconds = elapsed.inSeconds
            let level = max(0, previous.level - seconds * settings.leakPerSecond)
            guard settings.enabled else { return .allowed(used: 1, capacity: settings.capacity) }
            guard level + 1 <= Double(settings.capacity) else {
                state.buckets[token] = (level, now)
                let needed = (level + 1 - Double(settings.capacity)) / settings.leakPerSecond
                return .limited(retryAfter: max(settings.retryAfterSeconds, (needed * 10).rounded(.up) / 10))
            }
            state.buckets[token] = (level + 1, now)
            return .allowed(used: Int((level + 1).rounded(.up)), capacity: settings.capacity)
        }
    }
}
