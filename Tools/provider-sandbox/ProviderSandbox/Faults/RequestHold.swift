import Foundation
import Synchronization

/// Holds a provider's requests unanswered after the next N, until released: a provider that
/// stops answering at an exact point. A test that must stop a client midway (kill it mid-job)
/// sets the point instead of racing the client to it.
public final class RequestHold: Sendable {
    public struct Status: Codable, Sendable, Equatable {
        /// Requests still to be served before the hold begins; nil when nothing is held.
        public var servedBeforeHold: Int?
        /// Requests waiting in the hold now.
        public var held: Int

        public init(servedBeforeHold: Int?, held: Int) {
            self.servedBeforeHold = servedBeforeHold
            self.held = held
        }

        enum CodingKeys: String, CodingKey {
            case servedBeforeHold = "served_before_hold"
            case held
        }
    }

    private struct State {
        /// Provider → requests still served before the hold.
        var left: [String: Int] = [:]
        var held: [String: Int] = [:]
    }

    private let state = Mutex(State())
    /// How long a request is held at most, so a test that never releases does not leave the
    /// sandbox's connections open forever.
    static let longest = Duration.seconds(600)

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
        state.withLock { Status(servedBeforeHold: $0.left[provider], held: $0.held[provider, default: 0]) }
    }

    /// Counts one request to `provider`; true when it falls in the hold.
    public func arrives(for provider: String) -> Bool {
        state.withLock { state in
            guard let left = state.left[provider] else { return false }
            if left > 0 {
                state.left[provider] = left - 1
                return false
            }
            return true
        }
    }

    /// Waits while `provider`'s requests are held (at most `longest`).
    public func wait(for provider: String) async throws {
        state.withLock { $0.held[provider, default: 0] += 1 }
        defer { state.withLock { $0.held[provider, default: 1] -= 1 } }
        let end = ContinuousClock.now + Self.longest
        while state.withLock({ $0.left[provider] == 0 }), ContinuousClock.now < end {
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
