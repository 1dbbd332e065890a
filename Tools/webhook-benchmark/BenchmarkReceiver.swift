import Crypto
import Foundation
import HubWebhooks
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// The local receiver: a Hummingbird server on loopback that checks every delivery's signature
/// (HMAC-SHA256 over `id.timestamp.body` with the subscription's secret, as any Standard Webhooks
/// receiver does), and records when it arrived relative to when its event was published (the
/// publisher writes its send time, in nanoseconds of a clock both share, into the event's data).
final class BenchmarkReceiver: Sendable {
    struct Tally {
        var received = 0
        var badSignatures = 0
        var seen = Set<String>()
        var duplicates = 0
        var latencies: [UInt64] = []
        var firstAt: UInt64 = 0
        var lastAt: UInt64 = 0
    }

    private let tally = Mutex(Tally())
    private let secrets = Mutex<[String: SigningSecret]>([:])
    let port = Mutex(0)

    func register(path: String, secret: SigningSecret) {
        secrets.withLock { $0[path] = secret }
    }

    func reset() {
        tally.withLock { $0 = Tally() }
    }

    var snapshot: Tally { tally.withLock { $0 } }

    /// Builds the server; run it as a service and read `port` once it is listening.
    func application() -> some ApplicationProtocol {
        let router = Router()
        router.post("/s/:n") { [self] request, context -> Response in
            let path = request.uri.path
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let now = DispatchTime.now().uptimeNanoseconds
            let valid = verify(path: path, headers: request.headers, body: body)
            let sent = Self.sentAt(body)
            let id = request.headers[.init("webhook-id")!] ?? ""
            tally.withLock { tally in
                tally.received += 1
                if !valid { tally.badSignatures += 1 }
                if !tally.seen.insert(id).inserted { tally.duplicates += 1 }
                if let sent, sent <= now { tally.latencies.append(now - sent) }
                if tally.firstAt == 0 { tally.firstAt = now }
                tally.lastAt = now
            }
            return Response(status: .noContent)
        }
        var logger = Logger(label: "receiver")
        logger.logLevel = .error
        return Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "receiver"),
            onServerRunning: { [self] channel in port.withLock { $0 = channel.localAddress?.port ?? 0 } },
            logger: logger
        )
    }

    func verify(path: String, headers: HTTPFields, body: ByteBuffer) -> Bool {
        guard let secret = secrets.withLock({ $0[path] }), let id = headers[.init("webhook-id")!],
            let timestamp = headers[.init("webhook-timestamp")!].flatMap(Int.init), let signatures = headers[.init("webhook-signature")!],
            abs(Int(Date().timeIntervalSince1970) - timestamp) <= 300
        else { return false }
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(contentsOf: body.readableBytesView)
        let expected = "v1," + Data(HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: secret.key))).base64EncodedString()
        return signatures.split(separator: " ").contains { Self.constantTimeEqual(Array($0.utf8), Array(expected.utf8)) }
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }

    /// The publisher's send time: `"t":<nanoseconds>` in the event's data.
    static func sentAt(_ body: ByteBuffer) -> UInt64? {
        let bytes = Array(body.readableBytesView)
        let marker = Array(#""t":"#.utf8)
        guard let start = bytes.firstRange(of: marker)?.upperBound else { return nil }
        var value: UInt64 = 0
        var index = start
        while index < bytes.count, (48...57).contains(bytes[index]) {
            value = value * 10 + UInt64(bytes[index] - 48)
            index += 1
        }
        return index > start ? value : nil
    }
}
