import Foundation
import Synchronization

/// Per-provider faults set through the admin API: added latency, a share of 429s with
/// `Retry-After`, a share of 500s, dropped connections (before or after the request takes
/// effect), and treating every credential as expired.
/// Shares are drawn from a seeded generator so a test sees the same sequence each run.
public final class FaultInjector: Sendable {
    public struct Settings: Codable, Sendable, Equatable {
        public var latencyMilliseconds: Int = 0
        /// 0…1: the share of requests answered 429.
        public var rateLimitShare: Double = 0
        public var retryAfterSeconds: Double = 1
        /// 0…1: the share of requests answered 500.
        public var serverErrorShare: Double = 0
        /// 0…1: the share of requests whose connection is closed without an answer.
        public var dropShare: Double = 0
        /// Every credential is answered as expired/revoked.
        public var expireCredentials: Bool = false
        /// Answer the next N requests 429 regardless of the shares (a burst), then stop.
        public var rateLimitNext: Int = 0
        /// Answer the next N requests 500, then stop.
        public var serverErrorNext: Int = 0
        /// Serve the next N requests, then close their connections without the answer.
        public var dropAnswerNext: Int = 0

        public init() {}

        enum CodingKeys: String, CodingKey {
            case latencyMilliseconds = "latency_ms"
            case rateLimitShare = "rate_limit_share"
            case retryAfterSeconds = "retry_after_seconds"
            case serverErrorShare = "server_error_share"
            case dropShare = "drop_share"
            case expireCredentials = "expire_credentials"
            case rateLimitNext = "rate_limit_next"
            case serverErrorNext = "server_error_next"
            case dropAnswerNext = "drop_answer_next"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            latencyMilliseconds = try container.decodeIfPresent(Int.self, forKey: .latencyMilliseconds) ?? 0
            rateLimitShare = try container.decodeIfPresent(Double.self, forKey: .rateLimitShare) ?? 0
            retryAfterSeconds = try container.decodeIfPresent(Double.self, forKey: .retryAfterSeconds) ?? 1
            serverErrorShare = try container.decodeIfPresent(Double.self, forKey: .serverErrorShare) ?? 0
            dropShare = try container.decodeIfPresent(Double.self, forKey: .dropShare) ?? 0
            expireCredentials = try container.decodeIfPresent(Bool.self, forKey: .expireCredentials) ?? false
            rateLimitNext = try container.decodeIfPresent(Int.self, forKey: .rateLimitNext) ?? 0
            serverErrorNext = try container.decodeIfPresent(Int.self, forKey: .serverErrorNext) ?? 0
            dropAnswerNext = try container.decodeIfPresent(Int.self, forKey: .dropAnswerNext) ?? 0
        }
    }

    /// What to do with one request.
    public enum Decision: Sendable, Equatable {
        case pass
        case fault(InjectedFault)
        case drop
        /// Serve the request, then close the connection without the answer.
        case dropAnswer
    }

    private struct State {
        var settings: [String: Settings] = [:]
        var generator = SeededGenerator(seed: 7)
    }

    private let state = Mutex(State())

    public init() {}

    public func set(_ settings: Settings, for provider: String) {
        state.withLock { $0.settings[provider] = settings }
    }

    public func clear(_ provider: String) {
        state.withLock { _ = $0.settings.removeValue(forKey: provider) }
    }

    /// Decides the fate of one request to `provider` and the latency to add before answering.
    public func decide(for provider: String) -> (decision: Decision, latency: Duration) {
        state.withLock { state in
            guard var settings = state.settings[provider] else { return (.pass, .zero) }
            let latency = Duration.milliseconds(settings.latencyMilliseconds)
            defer { state.settings[provider] = settings }
            if settings.expireCredentials { return (.fault(.unauthorized), latency) }
            if settings.rateLimitNext > 0 {
                settings.rateLimitNext -= 1
                return (.fault(.rateLimited(retryAfterSeconds: settings.retryAfterSeconds)), latency)
            }
            if settings.serverErrorNext > 0 {
                settings.serverErrorNext -= 1
                return (.fault(.serverError), latency)
            }
            if settings.dropAnswerNext > 0 {
                settings.dropAnswerNext -= 1
                return (.dropAnswer, latency)
            }
            let roll = Double(state.generator.next() % 1_000_000) / 1_000_000
            if roll < settings.dropShare { return (.drop, latency) }
            if roll < settings.dropShare + settings.rateLimitShare {
                return (.fault(.rateLimited(retryAfterSeconds: settings.retryAfterSeconds)), latency)
            }
            if roll < settings.dropShare + settings.rateLimitShare + settings.serverErrorShare {
                return (.fault(.serverError), latency)
            }
            return (.pass, latency)
        }
    }
}
