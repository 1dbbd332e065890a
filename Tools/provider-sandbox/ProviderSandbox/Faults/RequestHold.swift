import Foundation
import ServiceLifecycle
import Synchronization

/// Holds a provider's requests unanswered after the next N, until released: a provider that
/// stops answering at an exact point. A test that must stop a client midway (kill it mid-job)
/// sets the point instead of racing the client to it.
///
/// Every request under the provider's mount counts (token refreshes and retries too). Setting
/// the point again while requests wait lets them go on (they do not use up the new count), and a
/// released request goes on to the emulated API even if its client has gone meanwhile.
public final class RequestHold: Sendable {
    public struct Status: Codable, Sendable, Equatable {
        /// Requests still to be served before the hold begins; nil when nothing is held.
        public var leftBeforeHold: Int?
        /// Requests waiting in the hold now.
        public var held: Int

        public init(leftBeforeHold: Int?, held: Int) {
            self.leftBeforeHold = leftBeforeHold
            self.held = held
        }

        enum CodingKeys: String, CodingKey {
            case leftBeforeHold = "left_before_hold"
            case held
        }
    }

    private struct State {
        /// Provider → requests still served before the hold.
        var left: [String: Int] = [:]
        var held: [String: Int] = [:]
    }

    private let state = Mutex(State())
    /// How long a request is held at most, so a test that never releases does not leave a
    /// connection open for long.
    static let longest = Duration.seconds(120)

    public init() {}

    /// Serves the next `after` requests to `provider`, then holds each later one.
    public func hold(_ provider: String, after: Int) {
        state.withLock { $0.left[provider] = max(0, after) }
    }

    /// Lets held requests go on, and later ones pass.
    public func release(_ provider: String) {
        state.withLock { _ = $0.left.removeValue(forKey: provider) }
    }

    public func status(of provider: String) -> Status {
        state.withLock { Status(leftBeforeHold: $0.left[provider], held: $0.held[provider, default: 0]) }
    }

    /// Counts one request to `provider` and, when it falls in the hold, waits until the hold is
    /// released (at most `longest`). The sandbox stopping ends the wait too: its server waits for
    /// the requests it is answering, and a held one would hold up its shutdown.
    public func pass(for provider: String) async throws {
        let held = state.withLock { state -> Bool in
            guard let left = state.left[provider] else { return false }
            if left > 0 {
                state.left[provider] = left - 1
                return false
            }
            state.held[provider, default: 0] += 1
            return true
        }
        guard held else { return }
        defer { state.withLock { $0.held[provider, default: 1] -= 1 } }
        let end = ContinuousClock.now + Self.longest
        try await cancelWhenGracefulShutdown {
            while self.state.withLock({ $0.left[provider] == 0 }), ContinuousClock.now < end {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }
}
