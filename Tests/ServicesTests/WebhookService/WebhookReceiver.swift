import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization

/// A real HTTP endpoint on a loopback port that records every request it gets (headers and exact
/// body bytes) and answers as a test scripts it per path: status, headers, delay.
final class WebhookReceiver: Sendable {
    struct Message: Sendable {
        var path: String
        var headers: [String: String]
        var body: Data
        var receivedAt: Date
        /// What the receiver answered.
        var status: Int = 0

        var webhookID: String { headers["webhook-id"] ?? "" }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    }

    struct Reply: Sendable {
        var status: Int = 200
        var headers: [String: String] = [:]
        var body: String = "ok"
        var delay: Duration = .zero
    }

    /// Given how many requests this path had before this one, the answer.
    typealias Script = @Sendable (_ previous: Int) -> Reply

    private let messages = Mutex<[Message]>([])
    private let scripts = Mutex<[String: Script]>([:])
    private let counts = Mutex<[String: Int]>([:])
    /// Set when `run` has the server listening.
    let port = Mutex<Int>(0)

    func script(_ path: String, _ script: @escaping Script) {
        scripts.withLock { $0[path] = script }
    }

    var received: [Message] { messages.withLock { $0 } }

    func received(path: String) -> [Message] { received.filter { $0.path == path } }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port.withLock { $0 })\(path)" }

    /// Serves until `body` returns.
    func run(_ body: @Sendable (WebhookReceiver) async throws -> Void) async throws {
        let router = Router()
        router.post("**") { [self] request, _ -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: 4 << 20)
            let path = request.uri.path
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            var message = Message(path: path, headers: headers, body: Data(buffer: bytes), receivedAt: Date())
            let previous = counts.withLock { counts -> Int in
                defer { counts[path, default: 0] += 1 }
                return counts[path, default: 0]
            }
            let reply = scripts.withLock { $0[path] }?(previous) ?? Reply()
            try await pause(reply.delay)
            message.status = reply.status
            messages.withLock { $0.append(message) }
            var fields = HTTPFields()
            for (name, value) in reply.headers { fields[.init(name)!] = value }
            return Response(status: .init(code: reply.status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: reply.body)))
        }
        var logger = Logger(label: "receiver")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        try await app.test(.live) { client in
            port.withLock { $0 = client.port ?? 0 }
            try await body(self)
        }
    }

    /// Answers every delayed request now, and later ones without their delay: a test that has
    /// seen what it needs does not wait for slow answers its service would otherwise await as it
    /// stops.
    func releaseDelays() {
        released.withLock { $0 = true }
    }

    private let released = Mutex(false)

    /// A reply's delay, cut short by `releaseDelays()`.
    private func pause(_ delay: Duration) async throws {
        let end = ContinuousClock.now + delay
        while ContinuousClock.now < end, !released.withLock({ $0 }) {
            try await Task.sleep(for: min(.milliseconds(50), end - ContinuousClock.now))
        }
    }

    /// Waits until `condition` holds for what was received, or fails after `timeout`.
    @discardableResult
    func wait(
        timeout: Duration = .seconds(20),
        file: StaticString = #filePath,
        line: UInt = #line,
        until condition: ([Message]) -> Bool
    ) async throws -> [Message] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let now = received
            if condition(now) { return now }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ReceiverTimeout(count: received.count)
    }

    struct ReceiverTimeout: Error, CustomStringConvertible {
        var count: Int
        var description: String { "the receiver did not get what was expected in time (\(count) requests so far)" }
    }
}
