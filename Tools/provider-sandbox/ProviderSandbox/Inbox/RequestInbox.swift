import Foundation
import Hummingbird
import Synchronization

/// Somewhere for the hub's own outbound webhooks to land in a demo with no internet:
/// `POST /_inbox/{name}` keeps the request (its headers and body; the newest 100 per inbox) and
/// answers 204, or the status its `status` query asks (`?status=410`: an endpoint that is gone,
/// for showing a failing subscriber); `GET /_inbox/{name}` lists what arrived, oldest first;
/// `DELETE` empties it. A subscription pointed at `http://127.0.0.1:8090/_inbox/demo` shows what a
/// subscriber receives.
final class RequestInbox: Sendable {
    struct Received: Codable, Sendable {
        var receivedAt: Date
        var headers: [String: String]
        var body: String

        enum CodingKeys: String, CodingKey {
            case receivedAt = "received_at"
            case headers
            case body
        }
    }

    static let capacity = 100
    private let inboxes = Mutex<[String: [Received]]>([:])

    func add(to router: Router<SandboxContext>) {
        let inbox = router.group("_inbox")
        inbox.post(":name") { request, context -> Response in
            let name = try context.parameters.require("name")
            var status = HTTPResponse.Status.noContent
            if let asked = request.uri.queryParameters["status"] {
                guard let code = Int(asked), (200...599).contains(code) else {
                    throw HTTPError(.badRequest, message: "status must be an HTTP status from 200 to 599")
                }
                status = HTTPResponse.Status(code: code)
            }
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let received = Received(receivedAt: Date(), headers: headers, body: String(buffer: body))
            self.inboxes.withLock { all in
                all[name, default: []].append(received)
                if all[name]!.count > Self.capacity { all[name]!.removeFirst() }
            }
            return Response(status: status)
        }
        inbox.get(":name") { _, context -> Response in
            let name = try context.parameters.require("name")
            let received = self.inboxes.withLock { $0[name] ?? [] }
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(["data": received])
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        inbox.delete(":name") { _, context -> Response in
            let name = try context.parameters.require("name")
            self.inboxes.withLock { $0[name] = nil }
            return Response(status: .noContent)
        }
    }
}
