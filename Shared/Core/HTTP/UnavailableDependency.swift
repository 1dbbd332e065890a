import HubRedis
import PostgresNIO
import _ConnectionPoolModule

/// Whether an error means PostgreSQL or Redis could not be used just now (down, restarting, the
/// connection lost, no answer in time) rather than a fault of the request or a bug: the caller
/// gets 503 with `Retry-After`, and trying again shortly is right.
public enum UnavailableDependency {
    public static func matches(_ error: any Error) -> Bool {
        switch error {
        case let error as PSQLError:
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
                return true
            case .server:
                // Class 08: connection exception; 57P01-57P03: the server is shutting down or starting.
                let state = error.serverInfo?[.sqlState] ?? ""
                return state.hasPrefix("08") || state.hasPrefix("57P")
            default:
                return false
            }
        case let error as ConnectionPoolError:
            // After a minute of failing to connect, postgres-nio's pool fails every request at
            // once (its circuit breaker) until a connection succeeds again.
            return error == .connectionCreationCircuitBreakerTripped
        case let error as PostgresTransactionError:
            return [error.beginError, error.closureError, error.commitError].contains { $0.map(matches) ?? false }
        case let error as RedisError:
            switch error {
            case .connectionClosed, .connectionFailed, .timeout, .clientShutdown: return true
            default: return false
            }
        case is DeadlineExceeded, is TimeoutError:
            return true
        default:
            return false
        }
    }
}

/// A store did not answer within the deadline a request path allows it.
public struct DeadlineExceeded: Error, Sendable, CustomStringConvertible {
    public var what: String
    public var deadline: Duration

    public init(_ what: String, deadline: Duration) {
        self.what = what
        self.deadline = deadline
    }

    public var description: String { "\(what) did not finish within \(deadline)" }
}
