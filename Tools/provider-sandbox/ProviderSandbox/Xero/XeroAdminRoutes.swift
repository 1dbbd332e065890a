import Foundation
import HubCore
import Hummingbird

/// `/_admin/xero/…`, beside the OAuth server's own admin routes:
///
/// - `GET /limits`, `PUT /limits` `{"minute": 60, "day": 5000, "app_minute": 10000}`: the rate
///   limits (setting them starts every window afresh).
/// - `POST /tenants/{tenant}/{Resource}`: creates or updates objects behind the API's back (as a
///   user in Xero's UI would: void an invoice, archive a contact), firing the webhooks.
/// - `POST /webhooks/intent-to-receive`: runs Xero's check against every registered endpoint.
/// - `DELETE /data`: forgets every change; tenants are seeded again when next called.
struct XeroAdminRoutes {
    let provider: XeroProvider

    func add(to group: RouterGroup<SandboxContext>) {
        group.get("limits") { _, _ in JSONBody.response(JSONBody.encode(provider.limiter.limits)) }
        group.put("limits") { request, context in
            let limits = try await request.decode(as: XeroRateLimiter.Limits.self, context: context)
            provider.limiter.set(limits)
            return JSONBody.response(JSONBody.encode(limits))
        }
        group.post("tenants/:tenant/:resource") { request, context in
            let tenant = try context.parameters.require("tenant")
            guard let resource = XeroResource.named(try context.parameters.require("resource")) else { return XeroAPIError.notFound.response() }
            let bytes = Array(buffer: try await request.body.collect(upTo: context.maxUploadSize))
            guard case .object(let body)? = JSONReader.parse(bytes) else { return XeroAPIError.badRequest("The request body is not JSON").response() }
            let elements: [JSONObject] = if case .array(let list)? = body[resource.name] { list.compactMap(\.objectValue) } else { [body] }
            let written = provider.store.withLedger(tenant) {
                $0.save(resource, elements: elements, pathID: nil, createOnly: false, summarizeErrors: true)
            }
            await provider.sender.send(XeroRoutes.events(resource, written, tenant: tenant))
            return XeroRoutes.reply(resource, written, summarize: true).response()
        }
        group.post("webhooks/intent-to-receive") { _, _ in
            JSONBody.response(JSONBody.encode(await provider.sender.intentToReceive()))
        }
        group.delete("data") { _, _ in
            provider.store.reset()
            return Response(status: .noContent)
        }
    }
}
