import Foundation
import HubCore
import Hummingbird
import NIOCore

/// `/_admin/stripe/…`: changes made behind the API's back, as a person in the Stripe Dashboard
/// would make them. Each fires the same events (and webhooks) as the API would.
///
/// - `POST /_admin/stripe/{resource}` JSON fields → creates (same validation as the API).
/// - `POST /_admin/stripe/{resource}/{id}` JSON fields → updates any field but `id`/`object`/`created`.
/// - `DELETE /_admin/stripe/{resource}/{id}` → deletes (any kind; subscriptions are cancelled).
/// - `GET /_admin/stripe/ids/{resource}` → every id, newest first.
/// - `GET /_admin/stripe/account` → `{"id": "acct_…"}`.
/// - `POST /_admin/stripe/reseed` `{"seed": 42, "volume": 25}` (both optional) → fresh data.
/// - `PUT /_admin/stripe/faults` `{"lose_responses_next": N}` → the next N successful writes are
///   processed but answered 500, as if the response were lost.
struct StripeAdminRoutes: Sendable {
    let store: StripeStore
    let sender: StripeWebhookSender
    let configuration: SandboxConfiguration

    struct Reseed: Decodable {
        var seed: UInt64?
        var volume: Int?
    }

    struct Faults: Codable {
        var loseResponsesNext: Int

        enum CodingKeys: String, CodingKey {
            case loseResponsesNext = "lose_responses_next"
        }
    }

    func add(to group: RouterGroup<SandboxContext>) {
        group.get("ids/:resource") { _, context -> Response in
            let resource = try Self.resource(context)
            return Self.json(JSONValue.array(store.ids(resource).map(JSONValue.string)).encoded(.identityFirst))
        }
        group.get("account") { _, _ -> Response in
            Self.json(JSONValue.object(["id": .string(store.accountID)]).encoded(.identityFirst))
        }
        group.post("reseed") { request, context -> Response in
            let options = try await request.decode(as: Reseed.self, context: context)
            store.reset(seed: options.seed ?? configuration.seed, volume: options.volume ?? configuration.volume)
            return Response(status: .noContent)
        }
        group.put("faults") { request, context -> Response in
            let faults = try await request.decode(as: Faults.self, context: context)
            store.loseResponses(faults.loseResponsesNext)
            return Response(status: .noContent)
        }
        group.post(":resource") { request, context -> Response in
            let resource = try Self.resource(context)
            let params = try await Self.fields(request, context)
            return await apply { state throws(StripeAPIError) in try state.create(resource, params: params) }
        }
        group.post(":resource/:id") { request, context -> Response in
            let resource = try Self.resource(context)
            let id = try context.parameters.require("id")
            let params = try await Self.fields(request, context)
            return await apply { state throws(StripeAPIError) in try state.adminUpdate(resource, id, params: params) }
        }
        group.delete(":resource/:id") { _, context -> Response in
            let resource = try Self.resource(context)
            let id = try context.parameters.require("id")
            return await apply { state throws(StripeAPIError) in try state.adminDelete(resource, id) }
        }
    }

    func apply(_ change: (inout StripeState) throws(StripeAPIError) -> JSONObject) async -> Response {
        let (result, events) = store.write(.admin(now: StripeStore.now), change)
        await sender.send(events)
        switch result {
        case .success(let fields): return Self.json(JSONValue.object(fields).encoded(.identityFirst))
        case .failure(let error): return error.response()
        }
    }

    static func resource(_ context: SandboxContext) throws -> StripeResource {
        let name = try context.parameters.require("resource")
        guard let resource = StripeResource.byPath[name], resource != .events else {
            throw HTTPError(.notFound, message: "the Stripe sandbox has no '\(name)'")
        }
        return resource
    }

    static func fields(_ request: Request, _ context: SandboxContext) async throws -> JSONObject {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        if body.readableBytes == 0 { return [:] }
        guard case .object(let fields) = JSONValue.parse(body) else {
            throw HTTPError(.badRequest, message: "the body must be a JSON object of fields")
        }
        return fields
    }

    static func json(_ bytes: [UInt8]) -> Response {
        JSONBody.response(bytes)
    }
}

extension StripeState {
    /// An update as the Dashboard may make it: any field but the identity ones.
    mutating func adminUpdate(_ resource: StripeResource, _ id: String, params: JSONObject) throws(StripeAPIError) -> JSONObject {
        var fields = try require(resource, id)
        let before = fields
        let allowed = Set(params.keys).subtracting(["id", "object", "created"])
        try StripeParameters.apply(params, to: &fields, allowed: allowed)
        var previous: JSONObject = [:]
        for key in params.keys where before[key] != fields[key] { previous[key] = before[key] ?? .null }
        if resource == .products, !previous.isEmpty { fields["updated"] = .int(now) }
        replace(resource, fields)
        if !previous.isEmpty { emit("\(resource.eventPrefix).updated", fields, previous: previous) }
        return fields
    }

    /// Deletes as the API would where Stripe allows it, and removes the object outright otherwise.
    mutating func adminDelete(_ resource: StripeResource, _ id: String) throws(StripeAPIError) -> JSONObject {
        if resource.deletable { return try delete(resource, id) }
        let fields = try require(resource, id)
        remove(resource, id)
        emit("\(resource.eventPrefix).deleted", fields)
        return ["id": .string(id), "object": .string(resource.object), "deleted": true]
    }
}
