import Foundation
import Hummingbird

/// `/_admin/…`: the sandbox's own API, separate from the emulated paths.
///
/// - `PUT /_admin/faults/{provider}` with `FaultInjector.Settings` JSON; `DELETE` clears them
///   and releases a hold.
/// - `PUT /_admin/faults/{provider}/hold` `{"after": N}`: serves the next N requests, then holds
///   each later one unanswered (`RequestHold`); `GET` tells how many wait; `DELETE` releases them.
/// - `GET /_admin/stats/{provider}`: request count, peak requests per second and `calls` counted
///   by `METHOD /path`; `DELETE` resets.
/// - `PUT /_admin/webhooks/{provider}` `{"url": "…"}`: registers a webhook endpoint;
///   `GET` lists what was sent there (status per delivery).
/// - `/_admin/{provider}/…`: the provider's own admin routes (create, update, delete objects).
struct AdminRoutes {
    let providers: [String: any SandboxProvider]
    let faults: FaultInjector
    let holds: RequestHold
    let requests: RequestCounter
    let webhooks: WebhookDispatcher

    struct WebhookEndpoint: Codable {
        var url: String
    }

    struct HoldPoint: Codable {
        var after: Int
    }

    struct SentSummary: Codable {
        var url: String
        var status: Int?
        var body: String
    }

    func add(to router: Router<SandboxContext>) {
        let admin = router.group("_admin")
        admin.put("faults/:provider") { request, context -> Response in
            let provider = try known(context)
            let settings = try await request.decode(as: FaultInjector.Settings.self, context: context)
            faults.set(settings, for: provider)
            return try Self.json(settings)
        }
        admin.delete("faults/:provider") { _, context -> Response in
            let provider = try known(context)
            faults.clear(provider)
            holds.release(provider)
            return Response(status: .noContent)
        }
        admin.put("faults/:provider/hold") { request, context -> Response in
            let provider = try known(context)
            let point = try await request.decode(as: HoldPoint.self, context: context)
            guard point.after >= 0 else { throw HTTPError(.badRequest, message: "after must be 0 or more") }
            holds.hold(provider, after: point.after)
            return try Self.json(holds.status(of: provider))
        }
        admin.get("faults/:provider/hold") { _, context -> Response in
            try Self.json(holds.status(of: try known(context)))
        }
        admin.delete("faults/:provider/hold") { _, context -> Response in
            holds.release(try known(context))
            return Response(status: .noContent)
        }
        admin.get("stats/:provider") { _, context -> Response in
            try Self.json(requests.stats(for: try known(context)))
        }
        admin.delete("stats/:provider") { _, context -> Response in
            requests.reset(try known(context))
            return Response(status: .noContent)
        }
        admin.put("webhooks/:provider") { request, context -> Response in
            let provider = try known(context)
            let endpoint = try await request.decode(as: WebhookEndpoint.self, context: context)
            webhooks.register(endpoint.url, for: provider)
            return try Self.json(webhooks.endpoints(for: provider).map { WebhookEndpoint(url: $0) })
        }
        admin.get("webhooks/:provider") { _, context -> Response in
            let sent = webhooks.sent(for: try known(context)).map {
                SentSummary(url: $0.url, status: $0.status, body: String(decoding: $0.body, as: UTF8.self))
            }
            return try Self.json(sent)
        }
        for provider in providers.values {
            provider.addAdminRoutes(to: admin.group(RouterPath(provider.id)))
        }
    }

    func known(_ context: SandboxContext) throws -> String {
        let id = try context.parameters.require("provider")
        guard providers[id] != nil else { throw HTTPError(.notFound, message: "no provider '\(id)' in the sandbox") }
        return id
    }

    static func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value)))
        )
    }
}
