import Foundation
import HubCore
import Hummingbird

/// The Admin REST routes of one API version. Each request is authenticated by
/// `X-Shopify-Access-Token` (bound to the shop in the path), checked against the token's scopes,
/// and admitted by the leaky bucket before its handler runs.
struct ShopifyRoutes {
    let provider: ShopifyProvider

    /// A handler once the request is admitted: the shop domain, the request and its context.
    typealias Handler = @Sendable (String, Request, SandboxContext) async throws -> ShopifyReply

    func add(to group: RouterGroup<SandboxContext>) {
        group.get(
            "shop.json",
            use: guarded(scope: nil) { shop, _, _ in
                .ok(["shop": .object(try provider.store.withShop(shop) { $0.info })])
            }
        )
        for resource in ShopifyResource.crud {
            let scope = resource == .webhooks ? nil : resource.rawValue
            let plural = resource.rawValue
            group.get(
                RouterPath("\(plural).json"),
                use: guarded(scope: scope.map { "read_" + $0 }) { shop, request, _ in
                    try ShopifyListing(resource: resource, request: request).reply(from: provider.store, shop: shop)
                }
            )
            group.get(
                RouterPath("\(plural)/{id}.json"),
                use: guarded(scope: scope.map { "read_" + $0 }) { shop, _, context in
                    let id = try Self.id(context)
                    return .ok([resource.singular: .object(try provider.store.withShop(shop) { try $0.object(resource, id) })])
                }
            )
            group.post(
                RouterPath("\(plural).json"),
                use: guarded(scope: scope.map { "write_" + $0 }) { shop, request, context in
                    let fields = try await Self.body(request, context, wrapper: resource.singular)
                    let (object, events) = try provider.store.withShop(shop) { try $0.create(resource, fields, at: ShopifyTimestamp.now) }
                    await provider.deliver(events, shop: shop)
                    return ShopifyReply(status: .created, body: [resource.singular: .object(object)])
                }
            )
            group.put(
                RouterPath("\(plural)/{id}.json"),
                use: guarded(scope: scope.map { "write_" + $0 }) { shop, request, context in
                    let id = try Self.id(context)
                    let fields = try await Self.body(request, context, wrapper: resource.singular)
                    let (object, events) = try provider.store.withShop(shop) { try $0.update(resource, id, fields, at: ShopifyTimestamp.now) }
                    await provider.deliver(events, shop: shop)
                    return .ok([resource.singular: .object(object)])
                }
            )
            group.delete(
                RouterPath("\(plural)/{id}.json"),
                use: guarded(scope: scope.map { "write_" + $0 }) { shop, _, context in
                    let id = try Self.id(context)
                    let events = try provider.store.withShop(shop) { try $0.delete(resource, id) }
                    await provider.deliver(events, shop: shop)
                    return .ok([:])
                }
            )
        }
        group.get(
            "locations.json",
            use: guarded(scope: "read_locations") { shop, request, _ in
                try ShopifyListing(resource: .locations, request: request).reply(from: provider.store, shop: shop)
            }
        )
        group.get(
            "locations/{id}.json",
            use: guarded(scope: "read_locations") { shop, _, context in
                let id = try Self.id(context)
                return .ok(["location": .object(try provider.store.withShop(shop) { try $0.object(.locations, id) })])
            }
        )
        addInventoryAndFulfillmentRoutes(to: group)
    }

    private func addInventoryAndFulfillmentRoutes(to group: RouterGroup<SandboxContext>) {
        group.get(
            "inventory_levels.json",
            use: guarded(scope: "read_inventory") { shop, request, _ in
                try ShopifyListing(resource: .inventoryLevels, request: request).reply(from: provider.store, shop: shop)
            }
        )
        for (path, adjusting) in [("inventory_levels/adjust.json", true), ("inventory_levels/set.json", false)] {
            group.post(
                RouterPath(path),
                use: guarded(scope: "write_inventory") { shop, request, context in
                    let fields = try await Self.body(request, context, wrapper: nil)
                    let (level, events) = try provider.store.withShop(shop) { shop in
                        try shop.changeLevel(
                            item: fields["inventory_item_id"]?.int64,
                            location: fields["location_id"]?.int64,
                            adjustBy: adjusting ? fields["available_adjustment"]?.int64 : nil,
                            setTo: adjusting ? nil : fields["available"]?.int64,
                            at: ShopifyTimestamp.now
                        )
                    }
                    await provider.deliver(events, shop: shop)
                    return .ok(["inventory_level": .object(level)])
                }
            )
        }
        group.get(
            "orders/{id}/fulfillment_orders.json",
            use: guarded(scope: "read_merchant_managed_fulfillment_orders") { shop, _, context in
                let id = try Self.id(context)
                let orders = try provider.store.withShop(shop) { try $0.fulfillmentOrders(of: id) }
                return .ok(["fulfillment_orders": .array(orders.map(JSONValue.object))])
            }
        )
        group.get(
            "orders/{id}/fulfillments.json",
            use: guarded(scope: "read_fulfillments") { shop, _, context in
                let id = try Self.id(context)
                let order = try provider.store.withShop(shop) { try $0.object(.orders, id) }
                return .ok(["fulfillments": order["fulfillments"] ?? .array([])])
            }
        )
        group.get(
            "orders/{id}/fulfillments/{fulfillment}.json",
            use: guarded(scope: "read_fulfillments") { shop, _, context in
                let orderID = try Self.id(context)
                guard let id = context.parameters.get("fulfillment").flatMap({ Int64($0) }) else { throw ShopifyAPIError.notFound }
                let fulfillment = try provider.store.withShop(shop) { try $0.object(.fulfillments, id) }
                guard fulfillment["order_id"]?.int64 == orderID else { throw ShopifyAPIError.notFound }
                return .ok(["fulfillment": .object(fulfillment)])
            }
        )
        group.post(
            "fulfillments.json",
            use: guarded(scope: "write_fulfillments") { shop, request, context in
                let fields = try await Self.body(request, context, wrapper: "fulfillment")
                let (fulfillment, events) = try provider.store.withShop(shop) { try $0.createFulfillment(fields, at: ShopifyTimestamp.now) }
                await provider.deliver(events, shop: shop)
                return ShopifyReply(status: .created, body: ["fulfillment": .object(fulfillment)])
            }
        )
    }

    /// Authenticates, authorizes and rate-limits, then runs `handler`; every answer, errors
    /// included, carries the call-limit header once the request was admitted.
    func guarded(scope: String?, _ handler: @escaping Handler) -> @Sendable (Request, SandboxContext) async throws -> Response {
        { [provider] request, context in
            let shop = context.parameters.get("shop") ?? ""
            guard provider.store.contains(shop) else { return ShopifyAPIError.notFound.response() }
            guard let token = request.headers[ShopifyHeader.accessToken], let grant = provider.tokens.lookup(token), grant.shop == shop else {
                return ShopifyAPIError.unauthorized.response()
            }
            let used: String
            switch provider.limiter.admit(token) {
            case .limited(let retryAfter): return ShopifyAPIError.rateLimited(retryAfter: retryAfter).response()
            case .allowed(let count, let capacity): used = "\(count)/\(capacity)"
            }
            var response: Response
            if let scope, !grant.allows(scope) {
                let message = "[API] This action requires merchant approval for \(scope) scope."
                response = ShopifyAPIError(status: .forbidden, errors: .string(message)).response()
            } else {
                do {
                    response = try await handler(shop, request, context).response()
                } catch let error as ShopifyAPIError {
                    response = error.response()
                }
            }
            response.headers[ShopifyHeader.callLimit] = used
            response.headers[ShopifyHeader.apiVersion] = context.parameters.get("version") ?? ShopifyProvider.apiVersion
            return response
        }
    }

    static func id(_ context: SandboxContext) throws(ShopifyAPIError) -> Int64 {
        guard let id = context.parameters.get("id").flatMap({ Int64($0) }) else { throw .notFound }
        return id
    }

    /// The request's JSON object, unwrapped from `{"product": {…}}` when `wrapper` is given.
    static func body(_ request: Request, _ context: SandboxContext, wrapper: String?) async throws -> JSONObject {
        let missing = ShopifyAPIError.badRequest(wrapper ?? "body", "Required parameter missing or invalid")
        guard let object = try await JSONValue.body(of: request, context: context)?.objectValue else { throw missing }
        guard let wrapper else { return object }
        guard let inner = object[wrapper]?.objectValue else { throw missing }
        return inner
    }
}
