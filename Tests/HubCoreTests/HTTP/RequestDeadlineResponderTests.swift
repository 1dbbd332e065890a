import Foundation
import HubCore
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// A request whose handler never returns (and ignores cancellation, as a query on a dead
/// PostgreSQL connection can) is answered 503 `deadline_exceeded` by its deadline, and the
/// service keeps answering other requests.
@Suite struct RequestDeadlineResponderTests {
    func makeApp(deadline: Duration) -> some ApplicationProtocol {
        let router = Router(context: HubRequestContext.self)
        router.get("stuck") { _, _ -> String in
            await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }  // never resumes
            return "never"
        }
        router.get("quick") { _, _ in "fine" }
        router.get("refused") { _, _ -> String in throw HTTPError(.conflict) }
        let responder = RequestDeadlineResponder(router.buildResponder(), deadline: deadline, logger: Logger(label: "test"))
        return Application(responder: responder)
    }

    @Test func aStuckHandlerIsAnswered503WithRetryAfterByItsDeadline() async throws {
        let app = makeApp(deadline: .milliseconds(300))
        try await app.test(.router) { client in
            let started = ContinuousClock.now
            let response = try await client.execute(uri: "/stuck", method: .get, headers: [.requestID: "req-stuck-1"])
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "1")
            #expect(response.headers[.requestID] == "req-stuck-1")
            let body = try JSONDecoder().decode([String: [String: String]].self, from: Data(buffer: response.body))
            #expect(body["error"]?["code"] == "deadline_exceeded")

            let after = try await client.execute(uri: "/quick", method: .get)
            #expect(after.status == .ok)
            #expect(String(buffer: after.body) == "fine")
        }
    }

    @Test func answersAndErrorsWithinTheDeadlinePassThrough() async throws {
        let app = makeApp(deadline: .seconds(10))
        try await app.test(.router) { client in
            let quick = try await client.execute(uri: "/quick", method: .get)
            #expect(quick.status == .ok)
            let refused = try await client.execute(uri: "/refused", method: .get)
            #expect(refused.status == .conflict)
        }
    }
}
