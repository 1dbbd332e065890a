import Foundation
import Synchronization

/// Counts requests per provider with their arrival times, so tests can check that clients kept
/// to a provider's rate limit, and per method and path, so they can check how many calls of
/// one kind a client made (the admin API serves the figures).
public final class RequestCounter: Sendable {
    public struct Stats: Codable, Sendable, Equatable {
        public var total: Int
        /// The most requests seen in any one-second window.
        public var peakPerSecond: Int
        /// Requests by `METHOD /path` (without the query).
        public var calls: [String: Int]

        enum CodingKeys: String, CodingKey {
            case total
            case peakPerSecond = "peak_per_second"
            case calls
        }
    }

    private struct State {
        var arrivals: [String: [ContinuousClock.Instant]] = [:]
        var calls: [String: [String: Int]] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    func record(_ provider: String, call: String) {
        let now = ContinuousClock.now
        state.withLock {
            $0.arrivals[provider, default: []].append(now)
            $0.calls[provider, default: [:]][call, default: 0] += 1
        }
    }

    public func stats(for provider: String) -> Stats {
        let (arrivals, calls) = state.withLock { ($0.arrivals[provider] ?? [], $0.calls[provider] ?? [:]) }
        var peak = 0
        var start = 0
        for end in arrivals.indices {
            while arrivals[end] - arrivals[start] >= .seconds(1) { start += 1 }
            peak = max(peak, end - start + 1)
        }
        return Stats(total: arrivals.count, peakPerSecond: peak, calls: calls)
    }

    public func reset(_ provider: String) {
        state.withLock {
            _ = $0.arrivals.removeValue(forKey: provider)
            _ = $0.calls.removeValue(forKey: provider)
        }
    }
}
