import HubRedis
import Testing
import _ConnectionPoolModule

@testable import HubCore

/// A store that cannot be used just now is a 503 with `Retry-After`, never an opaque 500; a
/// fault of the request or a bug is not.
@Suite struct UnavailableDependencyTests {
    @Test func unreachableStoresAndDeadlinesAre503WithRetryAfter() {
        let errors: [any Error] = [
            RedisError.connectionFailed("refused"), RedisError.connectionClosed, RedisError.timeout,
            DeadlineExceeded("an accepting transaction", deadline: .seconds(10)), TimeoutError(duration: .seconds(2)),
            // What every request got once PostgreSQL had been down for a minute: a 500 until then.
            ConnectionPoolError.connectionCreationCircuitBreakerTripped,
        ]
        for error in errors {
            let answer = ErrorMiddleware.apiError(for: error)
            #expect(answer.status == .serviceUnavailable, "\(error)")
            #expect(answer.code == "unavailable")
            #expect(answer.headers[.retryAfter] == "1")
        }
    }

    @Test func otherFailuresStayWhatTheyWere() {
        #expect(ErrorMiddleware.apiError(for: RedisError.server("WRONGTYPE")).status == .internalServerError)
        #expect(ErrorMiddleware.apiError(for: CancellationError()).status == .internalServerError)
        #expect(!UnavailableDependency.matches(RedisError.unexpectedReply("x")))
    }
}
