import HubCore
import Hummingbird

/// `/_admin/salesforce/…`, beside the OAuth server's own admin routes:
///
/// - `GET /limits`, `PUT /limits` `{"daily_api_requests": 100}`: the daily API allowance (setting
///   it starts a new day for every org).
/// - `POST /orgs` `{"volume": 10000}`: a new org of its own, seeded at that volume per object:
///   `{"organization_id", "access_token", "instance_url"}`.
/// - `DELETE /data`: forgets every change; orgs are seeded again when next called.
/// - `DELETE /orgs/{org}/recycle-bin`: an administrator empties the org's Recycle Bin, so
///   `/deleted` no longer reaches the deletions before now (`earliestDateAvailable` moves up).
struct SalesforceAdminRoutes {
    let provider: SalesforceProvider

    struct Limits: Codable {
        var dailyAPIRequests: Int

        enum CodingKeys: String, CodingKey {
            case dailyAPIRequests = "daily_api_requests"
        }
    }

    struct NewOrg: Codable {
        var volume: Int?
    }

    func add(to group: RouterGroup<SandboxContext>) {
        group.get("limits") { _, _ in JSONBody.response(JSONBody.encode(Limits(dailyAPIRequests: provider.store.dailyLimit))) }
        group.put("limits") { request, context in
            let limits = try await request.decode(as: Limits.self, context: context)
            provider.store.setDailyLimit(max(0, limits.dailyAPIRequests))
            return JSONBody.response(JSONBody.encode(limits))
        }
        group.post("orgs") { request, context in
            let asked = try await request.decode(as: NewOrg.self, context: context)
            let (org, token) = provider.store.makeOrg(volume: asked.volume.map { max(0, $0) })
            let body: JSONValue = [
                "organization_id": .string(org), "access_token": .string(token),
                "instance_url": .string(OAuthHTTP.baseURL(of: request, provider: provider.id)),
            ]
            return JSONBody.response(body.encoded(), status: .created)
        }
        group.delete("orgs/:org/recycle-bin") { _, context in
            let org = try context.parameters.require("org")
            try provider.store.withOrg(org) { org throws(SalesforceAPIError) in org.emptyRecycleBin() }
            return Response(status: .noContent)
        }
        group.delete("data") { _, _ in
            provider.store.reset()
            return Response(status: .noContent)
        }
    }
}
