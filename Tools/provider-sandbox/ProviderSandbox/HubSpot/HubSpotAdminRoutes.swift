import Foundation
import HubCore
import Hummingbird

/// `/_admin/hubspot/…`, beside the OAuth server's own admin routes:
///
/// - `GET /limits`, `PUT /limits` `{"ten_secondly": 100, "daily": 250000}`: the rate limits
///   (setting them starts every window afresh).
/// - `POST /portals/{portal}/{type}/{id}/archive` and `PATCH /portals/{portal}/{type}/{id}`
///   `{"properties":{…}}`: changes behind the API's back (as a user in HubSpot's UI would),
///   firing the webhooks.
/// - `DELETE /data`: forgets every change; portals are seeded again when next called.
struct HubSpotAdminRoutes {
    let provider: HubSpotProvider

    func add(to group: RouterGroup<SandboxContext>) {
        group.get("limits") { _, _ in JSONBody.response(JSONBody.encode(provider.limiter.limits)) }
        group.put("limits") { request, context in
            let limits = try await request.decode(as: HubSpotRateLimiter.Limits.self, context: context)
            provider.limiter.set(limits)
            return JSONBody.response(JSONBody.encode(limits))
        }
        group.post("portals/:portal/:type/:id/archive") { _, context in
            let portal = try context.parameters.require("portal")
            guard let type = HubSpotObjectType.named(try context.parameters.require("type")),
                let id = Int64(try context.parameters.require("id")),
                provider.store.withPortal(portal, { $0.archive(type, id: id) })
            else { return HubSpotAPIError.notFound().response() }
            await provider.sender.send([.init(type: type, objectID: id, change: "deletion")], portal: portal)
            return Response(status: .noContent)
        }
        group.patch("portals/:portal/:type/:id") { request, context in
            let portal = try context.parameters.require("portal")
            guard let type = HubSpotObjectType.named(try context.parameters.require("type")) else { return HubSpotAPIError.notFound().response() }
            let body = try await HubSpotRoutes.body(request, context)
            do {
                let (reply, events) = try HubSpotBatch(provider: provider, type: type, portal: portal)
                    .updateOne(id: try context.parameters.require("id"), idProperty: nil, body)
                await provider.sender.send(events, portal: portal)
                return reply.response()
            } catch let error as HubSpotAPIError {
                return error.response()
            }
        }
        group.delete("data") { _, _ in
            provider.store.reset()
            return Response(status: .noContent)
        }
    }
}
