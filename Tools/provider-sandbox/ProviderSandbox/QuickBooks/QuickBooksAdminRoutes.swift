import Foundation
import HubCore
import Hummingbird

/// `/_admin/quickbooks/…`, besides the OAuth server's own:
///
/// - `POST companies` `{"realm_id"?, "volumes"?: {"Invoice": 2500}}` makes (or resets) a company
///   with its own seeded volumes and answers `{"realm_id", "access_token"}`: a token for it.
/// - `GET`/`PUT throttle` `{"enabled", "per_minute", "per_second", "concurrent"}` (a put zeroes the counts below).
/// - `GET throttle/rejections` `{"total", "realms": {"<realm>": n}}`: requests answered 429 per realm.
/// - `PUT webhooks` `{"format": "legacy" | "cloudevents"}`: the payload format of the webhooks.
/// - `PUT concurrent_edits` `{"count": n}`: the next `n` updates find their object edited in
///   QuickBooks just before (their `SyncToken` is stale: fault 5010).
struct QuickBooksAdminRoutes {
    let provider: QuickBooksSandbox

    struct CompanyRequest: Decodable {
        var realmID: String?
        var volumes: [String: Int]?

        enum CodingKeys: String, CodingKey {
            case realmID = "realm_id"
            case volumes
        }
    }

    struct Count: Codable {
        var count: Int
    }

    struct WebhookFormat: Codable {
        var format: QuickBooksWebhookSender.Format
    }

    func add(to group: RouterGroup<SandboxContext>) {
        let provider = self.provider
        group.post("companies") { request, context -> Response in
            let body = try await request.decode(as: CompanyRequest.self, context: context)
            var volumes: [QuickBooksEntity: Int] = [:]
            for (name, count) in body.volumes ?? [:] {
                guard let entity = QuickBooksEntity(name: name) else { throw HTTPError(.badRequest, message: "no entity \(name)") }
                volumes[entity] = count
            }
            let realm = body.realmID ?? "9" + String(UInt64.random(in: 100_000_000_000_000...999_999_999_999_999))
            guard !realm.isEmpty, realm.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw HTTPError(.badRequest, message: "realm_id must be digits")
            }
            let token = "qbo_" + UUID().uuidString.lowercased()
            provider.store.reset(realm: realm, volumes: volumes, token: token)
            return JSONBody.response(JSONValue.object(["realm_id": .string(realm), "access_token": .string(token)]).encoded(), status: .created)
        }
        group.get("throttle") { _, _ in JSONBody.response(JSONBody.encode(provider.throttle.settings)) }
        group.get("throttle/rejections") { _, _ in
            let rejected = provider.throttle.rejected
            let realms = JSONValue.object(rejected.mapValues { .number(Double($0)) })
            return JSONBody.response(JSONValue.object(["total": .number(Double(rejected.values.reduce(0, +))), "realms": realms]).encoded())
        }
        group.put("throttle") { request, context -> Response in
            let settings = try await request.decode(as: QuickBooksThrottle.Settings.self, context: context)
            provider.throttle.settings = settings
            return JSONBody.response(JSONBody.encode(settings))
        }
        group.put("concurrent_edits") { request, context -> Response in
            let body = try await request.decode(as: Count.self, context: context)
            provider.concurrentEdits.set(body.count)
            return JSONBody.response(JSONBody.encode(body))
        }
        group.put("webhooks") { request, context -> Response in
            let body = try await request.decode(as: WebhookFormat.self, context: context)
            provider.sender.format = body.format
            return JSONBody.response(JSONBody.encode(body))
        }
    }
}
