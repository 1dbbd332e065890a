import Foundation
import HTTPTypes
import HubCore
import Hummingbird

/// The CRM API routes under `/hubspot/crm`:
///
/// - `GET v3/objects/{type}`: a page (`limit` ≤ 100, `after`, `properties`, `associations`,
///   `archived`); `GET v3/objects/{type}/{id}` one object (`idProperty` to find it by a unique one).
/// - `POST v3/objects/{type}` creates one; `PATCH …/{id}` updates; `DELETE …/{id}` archives.
/// - `POST v3/objects/{type}/search`: see `HubSpotSearch`.
/// - `POST v3/objects/{type}/batch/{read|create|update|upsert|archive}`: see `HubSpotBatch`.
/// - `GET v4/objects/{type}/{id}/associations/{toType}`,
///   `PUT v4/objects/{type}/{id}/associations/default/{toType}/{toId}`; the batch association
///   writes are in `HubSpotRoutes+Associations`.
///
/// Every call needs a bearer token and counts against the portal's limits.
struct HubSpotRoutes {
    let provider: HubSpotProvider

    typealias Outcome = (reply: HubSpotReply, events: [HubSpotWebhookSender.Event])

    func add(to group: RouterGroup<SandboxContext>) {
        group.get("v3/objects/:type") { request, context in await serve(request, context) { try list(request, context, $0) } }
        group.get("v3/objects/:type/:id") { request, context in await serve(request, context) { try read(request, context, $0) } }
        group.post("v3/objects/:type") { request, context in
            await serve(request, context) { portal in
                let body = try await Self.body(request, context)
                return try HubSpotBatch(provider: provider, type: try Self.type(context), portal: portal).createOne(body)
            }
        }
        group.patch("v3/objects/:type/:id") { request, context in
            await serve(request, context) { portal in
                let body = try await Self.body(request, context)
                let id = try context.parameters.require("id")
                let batch = HubSpotBatch(provider: provider, type: try Self.type(context), portal: portal)
                return try batch.updateOne(id: id, idProperty: request.uri.queryParameters["idProperty"].map(String.init), body)
            }
        }
        group.delete("v3/objects/:type/:id") { request, context in
            await serve(request, context) { portal in
                let type = try Self.type(context)
                let id = try context.parameters.require("id")
                let archived = provider.store.withPortal(portal) { state in Int64(id).map { state.archive(type, id: $0) } ?? false }
                let events = archived ? [HubSpotWebhookSender.Event(type: type, objectID: Int64(id) ?? 0, change: "deletion")] : []
                return (HubSpotReply(status: .noContent, body: [:]), events)
            }
        }
        group.post("v3/objects/:type/search") { request, context in
            await serve(request, context) { portal in
                let type = try Self.type(context)
                let search = try HubSpotSearch(try await Self.body(request, context))
                let (page, total) = provider.store.withPortal(portal) { search.run($0.allLive(type)) }
                var body: JSONObject = ["total": .int(total), "results": .array(page.map { .object($0.json(type, properties: search.properties)) })]
                if search.offset + page.count < total {
                    body["paging"] = ["next": ["after": .string(String(search.offset + page.count))]]
                }
                return (HubSpotReply(body: body), [])
            }
        }
        group.post("v3/objects/:type/batch/:action") { request, context in
            await serve(request, context) { portal in
                let body = try await Self.body(request, context)
                let batch = HubSpotBatch(provider: provider, type: try Self.type(context), portal: portal)
                return try batch.run(try context.parameters.require("action"), body)
            }
        }
        group.post("v4/associations/:type/:toType/batch/read") { request, context in
            await serve(request, context) { portal in
                let type = try Self.type(context)
                guard let target = HubSpotObjectType.named(try context.parameters.require("toType")) else { throw HubSpotAPIError.notFound() }
                let inputs = (try await Self.body(request, context))["inputs"]?.arrayValue ?? []
                guard inputs.count <= 1000 else { throw HubSpotAPIError.validation("Batch input limit is 1000, was \(inputs.count)") }
                let ids = inputs.compactMap { $0["id"].flatMap(HubSpotSearch.text).flatMap(Int64.init) }
                let results: [JSONValue] = provider.store.withPortal(portal) { state in
                    ids.compactMap { id in
                        guard let record = state.live(type, id: id), let linked = record.associations[target], !linked.isEmpty else { return nil }
                        let to = linked.map { other -> JSONValue in
                            ["toObjectId": .int(other), "associationTypes": record.associationTypes(type, to: target, other)]
                        }
                        return ["from": ["id": .string(String(id))], "to": .array(to)]
                    }
                }
                return (HubSpotReply(body: ["status": "COMPLETE", "results": .array(results)]), [])
            }
        }
        group.get("v4/objects/:type/:id/associations/:toType") { request, context in
            await serve(request, context) { portal in
                let type = try Self.type(context)
                guard let target = HubSpotObjectType.named(try context.parameters.require("toType")) else { throw HubSpotAPIError.notFound() }
                guard let id = Int64(try context.parameters.require("id")),
                    let record = provider.store.withPortal(portal, { $0.live(type, id: id) })
                else { throw HubSpotAPIError.notFound() }
                let results = (record.associations[target] ?? []).map { linked -> JSONValue in
                    ["toObjectId": .int(linked), "associationTypes": record.associationTypes(type, to: target, linked)]
                }
                return (HubSpotReply(body: ["results": .array(results)]), [])
            }
        }
        addAssociationWrites(to: group)
        group.put("v4/objects/:type/:id/associations/default/:toType/:toID") { request, context in
            await serve(request, context) { portal in
                let type = try Self.type(context)
                guard let target = HubSpotObjectType.named(try context.parameters.require("toType")),
                    let id = Int64(try context.parameters.require("id")), let targetID = Int64(try context.parameters.require("toID"))
                else { throw HubSpotAPIError.notFound() }
                guard provider.store.withPortal(portal, { $0.associate(type, id, with: target, targetID) }) else {
                    throw HubSpotAPIError.notFound("One or more objects to associate do not exist")
                }
                let result: JSONValue = [
                    "fromObjectTypeId": .string(type.rawValue), "fromObjectId": .int(id), "toObjectTypeId": .string(target.rawValue),
                    "toObjectId": .int(targetID), "labels": [],
                ]
                return (HubSpotReply(body: ["status": "COMPLETE", "results": [result]]), [])
            }
        }
    }

    /// Authenticates, counts the call against the limits, renders the handler's answer or error
    /// with the limit headers, and sends the webhooks of what it changed.
    func serve(_ request: Request, _ context: SandboxContext, _ handler: (String) async throws -> Outcome) async -> Response {
        guard let token = PresentedClient.bearer(request), let portal = provider.portal(forToken: token) else {
            return HubSpotAPIError.unauthorized.response()
        }
        let headers: [(String, String)]
        switch provider.limiter.admit(portal: portal) {
        case .allowed(let limits):
            headers = limits
        case .limited(let policy, let limits):
            return HubSpotAPIError.rateLimited(policy: policy, headers: limits).response()
        }
        do {
            var (reply, events) = try await handler(portal)
            reply.headers += headers
            await provider.sender.send(events, portal: portal)
            return reply.response()
        } catch let error as HubSpotAPIError {
            return error.response(extraHeaders: headers)
        } catch {
            return HubSpotAPIError.validation("Invalid input JSON on line 1").response(extraHeaders: headers)
        }
    }

    static func type(_ context: SandboxContext) throws -> HubSpotObjectType {
        let name = try context.parameters.require("type")
        guard let type = HubSpotObjectType.named(name) else { throw HubSpotAPIError.notFound("Unable to infer object type from: \(name)") }
        return type
    }

    static func body(_ request: Request, _ context: SandboxContext) async throws -> JSONValue {
        guard let body = try await JSONValue.body(of: request, context: context), case .object = body else {
            throw HubSpotAPIError.validation("Invalid input JSON on line 1, column 1: request body is not a JSON object")
        }
        return body
    }

    /// A repeatable, comma-separable list parameter (`properties=a,b` or `properties=a&properties=b`).
    static func list(_ request: Request, _ name: String) -> [String]? {
        let values = request.uri.queryParameters.getAll(name).flatMap { $0.split(separator: ",").map(String.init) }
        return values.isEmpty ? nil : values
    }

    func list(_ request: Request, _ context: SandboxContext, _ portal: String) throws -> Outcome {
        let type = try Self.type(context)
        let parameters = request.uri.queryParameters
        var limit = 10
        if let text = parameters["limit"] {
            guard let value = Int(String(text)), (1...100).contains(value) else {
                throw HubSpotAPIError.validation("limit must be between 1 and 100")
            }
            limit = value
        }
        let properties = Self.list(request, "properties")
        let associations = (Self.list(request, "associations") ?? []).compactMap(HubSpotObjectType.named)
        let archived = parameters["archived"].map { $0.lowercased() == "true" } ?? false
        let after = parameters["after"].map(String.init)
        if let after, Int64(after) == nil { throw HubSpotAPIError.validation("after must be a cursor this API returned") }
        let (records, next): ([HubSpotRecord], String?) = provider.store.withPortal(portal) { state in
            if archived {
                let page = state.listArchived(type, offset: Int(after ?? "0") ?? 0, limit: limit)
                return (page.records, page.next.map(String.init))
            }
            let page = state.list(type, from: Int64(after ?? "0") ?? 0, limit: limit)
            return (page.records, page.next.map(String.init))
        }
        var body: JSONObject = ["results": .array(records.map { .object($0.json(type, properties: properties, associations: associations)) })]
        if let next {
            let link = "https://api.hubapi.com/crm/v3/objects/\(type.rawValue)?limit=\(limit)&after=\(next)"
            body["paging"] = ["next": ["after": .string(next), "link": .string(link)]]
        }
        return (HubSpotReply(body: body), [])
    }

    func read(_ request: Request, _ context: SandboxContext, _ portal: String) throws -> Outcome {
        let type = try Self.type(context)
        let id = try context.parameters.require("id")
        let idProperty = request.uri.queryParameters["idProperty"].map(String.init)
        let archived = request.uri.queryParameters["archived"].map { $0.lowercased() == "true" } ?? false
        let record = provider.store.withPortal(portal) { state -> HubSpotRecord? in
            if let idProperty { return state.find(type, property: idProperty, value: id) }
            guard let number = Int64(id) else { return nil }
            return archived ? state.record(type, id: number).flatMap { $0.archivedAt != nil ? $0 : nil } : state.live(type, id: number)
        }
        guard let record else { throw HubSpotAPIError.notFound() }
        let associations = (Self.list(request, "associations") ?? []).compactMap(HubSpotObjectType.named)
        return (HubSpotReply(body: record.json(type, properties: Self.list(request, "properties"), associations: associations)), [])
    }
}
