import Foundation
import HubCore
import HubWebhooks
import Hummingbird
import HummingbirdCore
import NIOCore
import ServiceEdge

/// The hub as a Zapier app's API (see docs/zapier.md).
///
/// With a user token, an organization manages its Zapier API keys:
/// - `POST …/zapier/keys` → 201 with the key, shown this once; `GET …/zapier/keys` (prefix and
///   last four only; `?include_revoked=true` adds revoked keys); `DELETE …/zapier/keys/{id}`
///   revokes it and removes the hooks it made.
///
/// With a Zapier API key (`X-API-Key` or `Authorization: Bearer`), Zapier calls:
/// - `GET …/zapier/me`: the authentication test, answering the organization's name;
/// - `POST …/zapier/hooks` / `DELETE …/zapier/hooks/{id}`: REST hook subscribe and unsubscribe;
///   deliveries go through the durable outbox, and a `410 Gone` from the hook URL removes the hook;
/// - `GET …/zapier/triggers`: the event types a trigger can use; `GET …/zapier/triggers/{type}`:
///   the latest events of the type, newest first, as a plain JSON array (polling, sample data).
struct ZapierRoutes {
    let components: WebhookComponents
    let keys: ZapierKeyStore

    static let defaultPollLimit = 50
    static let maximumPollLimit = 100

    /// `api` is the user-token group, `zapier` the API-key group `…/integrations/zapier`.
    func add(api: RouterGroup<HubRequestContext>, zapier: RouterGroup<HubRequestContext>) {
        let keysGroup = api.group("integrations/zapier/keys")
        keysGroup.post { request, context -> EditedResponse<RevealedZapierKey> in
            let actor = try context.auditActor()
            let body = try await request.decodeJSON(as: CreateZapierKeyRequest.self, context: context)
            let organizationName = body.organizationName.trimmingWhitespace()
            guard (1...200).contains(organizationName.count) else {
                throw APIError.validation("'organization_name' must be 1 to 200 characters", field: "organization_name")
            }
            if let name = body.name, name.count > 200 {
                throw APIError.validation("'name' may be at most 200 characters", field: "name")
            }
            let created = try await keys.create(by: actor, organizationName: organizationName, name: body.name)
            return EditedResponse(status: .created, response: created)
        }
        keysGroup.get { request, context -> ListResponse<ZapierKey> in
            let organization = try context.requireIdentity().organizationID
            return ListResponse(try await keys.list(organization: organization, includingRevoked: try Self.includeRevoked(request.uri)))
        }
        keysGroup.delete(":id") { _, context -> Response in
            let actor = try context.auditActor()
            let id = try context.pathID("id", of: "Zapier API key")
            let revoked = try await keys.revoke(by: actor, id: id) { db in
                try await components.subscriptions.removeZapierHooks(organization: actor.organizationID, key: id, on: db)
            }
            guard revoked else { throw APIError.notFound("Zapier API key") }
            return Response(status: .noContent)
        }

        zapier.get("me") { _, context -> JSONValueResponse in
            guard let key = context.zapierKey else { throw APIError.unauthorized("a Zapier API key is required") }
            return JSONValueResponse(
                body: [
                    "organization_id": .string(key.organizationID.uuidString.lowercased()),
                    "organization_name": .string(key.organizationName),
                    "key_id": .string(key.id.uuidString.lowercased()),
                    "key_name": key.name.map { .string($0) } ?? .null,
                ]
            )
        }
        zapier.post("hooks") { request, context -> JSONValueResponse in
            let actor = try context.auditActor()
            guard let key = context.zapierKey else { throw APIError.unauthorized("a Zapier API key is required") }
            let body = try await request.decodeJSON(as: ZapierSubscribeRequest.self, context: context)
            let (url, type) = try body.validated()
            let eventType = try knownEventType(type, field: "event")
            _ = try await components.urlGuard.check(url)
            let hook = try await components.subscriptions.subscribeZapier(by: actor, key: key.id, url: url, eventType: eventType)
            return JSONValueResponse(
                status: .created,
                body: [
                    "id": .string(hook.subscription.id.uuidString.lowercased()),
                    "event": .string(eventType),
                    "target_url": .string(url),
                    "secret": .string(hook.secret),
                    "created_at": JSONValueResponse.date(hook.subscription.createdAt),
                ]
            )
        }
        zapier.delete("hooks/:id") { _, context -> Response in
            let actor = try context.auditActor()
            let id = try context.pathID("id", of: "Zapier hook")
            guard try await components.subscriptions.unsubscribeZapier(by: actor, id: id) else {
                throw APIError.notFound("Zapier hook")
            }
            return Response(status: .noContent)
        }
        zapier.get("triggers") { _, context -> JSONValueResponse in
            _ = try context.requireIdentity()
            let types = components.catalog.types.map { type -> JSONValue in
                ["id": .string(type.type), "description": .string(type.description)]
            }
            return JSONValueResponse(body: .array(types))
        }
        zapier.get("triggers/:type") { request, context -> Response in
            let identity = try context.requireIdentity()
            let type = try knownEventType(try context.parameters.require("type"), field: "type")
            let limit = try Self.pollLimit(request.uri)
            let payloads = try await components.events.recent(organization: identity.organizationID, type: type, limit: limit)
            // The stored bodies are JSON already: the array is written around them, byte for byte.
            let body = "[" + payloads.joined(separator: ",") + "]"
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
        }
    }

    /// The catalog's event type named `name` (an exact type: a hook triggers one kind of Zap), or a 422.
    func knownEventType(_ name: String, field: String) throws -> String {
        guard let type = components.catalog.type(named: name) else {
            throw APIError(
                .unprocessableContent,
                code: "unknown_event_type",
                message: "'\(name.excerpt())' is not an event type (see GET /api/v1/integrations/zapier/triggers)",
                details: ["field": .string(field)]
            )
        }
        return type.type
    }

    /// `include_revoked=true` lists revoked keys too, with their `revoked_at` (the console's list).
    static func includeRevoked(_ uri: URI) throws -> Bool {
        switch uri.queryParameters["include_revoked"].map(String.init) {
        case nil, "false": return false
        case "true": return true
        default: throw APIError.validation("'include_revoked' must be true or false", field: "include_revoked")
        }
    }

    static func pollLimit(_ uri: URI) throws -> Int {
        guard let raw = uri.queryParameters["limit"] else { return defaultPollLimit }
        guard let limit = Int(String(raw)), (1...maximumPollLimit).contains(limit) else {
            throw APIError.validation("'limit' must be a whole number from 1 to \(maximumPollLimit)", field: "limit")
        }
        return limit
    }
}
