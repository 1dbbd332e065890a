import Foundation
import Hummingbird

/// `/_admin/shopify/…`: changes behind the API's back, as a merchant in the Shopify admin would
/// make them, each firing the webhooks Shopify sends.
///
/// - `POST shops/{shop}/{resource}` with the object's fields (products, customers, orders)
/// - `PUT shops/{shop}/{resource}/{id}` with the fields to change; `DELETE …/{id}`
/// - `POST shops/{shop}/inventory_levels/adjust` `{inventory_item_id, location_id, available_adjustment}`
/// - `PUT tokens/{token}` `{"shop": "…", "scopes": ["read_products"]?}` registers an access
///   token; `DELETE tokens/{token}` revokes it
/// - `GET`/`PUT call_limit` `{"enabled", "capacity", "leak_per_second", "retry_after_seconds"}`
struct ShopifyAdminRoutes {
    let provider: ShopifyProvider

    struct TokenGrant: Codable {
        var shop: String
        var scopes: [String]?
    }

    func add(to group: RouterGroup<SandboxContext>) {
        let provider = self.provider
        group.post("shops/{shop}/{resource}") { request, context -> Response in
            try await Self.run(request, context) { shop, resource, fields in
                let (object, events) = try provider.store.withShop(shop) { try $0.create(resource, fields, at: ShopifyTimestamp.now) }
                await provider.deliver(events, shop: shop)
                return ShopifyReply(status: .created, body: [resource.singular: .object(object)])
            }
        }
        group.put("shops/{shop}/{resource}/{id}") { request, context -> Response in
            try await Self.run(request, context) { shop, resource, fields in
                let id = try ShopifyRoutes.id(context)
                let (object, events) = try provider.store.withShop(shop) { try $0.update(resource, id, fields, at: ShopifyTimestamp.now) }
                await provider.deliver(events, shop: shop)
                return .ok([resource.singular: .object(object)])
            }
        }
        group.delete("shops/{shop}/{resource}/{id}") { request, context -> Response in
            try await Self.run(request, context, readsBody: false) { shop, resource, _ in
                let id = try ShopifyRoutes.id(context)
                let events = try provider.store.withShop(shop) { try $0.delete(resource, id) }
                await provider.deliver(events, shop: shop)
                return .ok([:])
            }
        }
        group.post("shops/{shop}/inventory_levels/adjust") { request, context -> Response in
            do {
                let shop = context.parameters.get("shop") ?? ""
                let fields = try await ShopifyRoutes.body(request, context, wrapper: nil)
                let (level, events) = try provider.store.withShop(shop) { shop in
                    try shop.changeLevel(
                        item: fields["inventory_item_id"]?.int64,
                        location: fields["location_id"]?.int64,
                        adjustBy: fields["available_adjustment"]?.int64,
                        setTo: nil,
                        at: ShopifyTimestamp.now
                    )
                }
                await provider.deliver(events, shop: shop)
                return ShopifyReply.ok(["inventory_level": .object(level)]).response()
            } catch let error as ShopifyAPIError {
                return error.response()
            }
        }
        group.put("tokens/{token}") { request, context -> Response in
            let grant = try await request.decode(as: TokenGrant.self, context: context)
            provider.tokens.register(try context.parameters.require("token"), shop: grant.shop, scopes: grant.scopes.map(Set.init))
            return Response(status: .noContent)
        }
        group.delete("tokens/{token}") { _, context -> Response in
            provider.tokens.revoke(try context.parameters.require("token"))
            return Response(status: .noContent)
        }
        group.get("call_limit") { _, _ -> Response in
            ShopifyReply.ok([:]).response(encoding: provider.limiter.settings)
        }
        group.put("call_limit") { request, context -> Response in
            provider.limiter.settings = try await request.decode(as: ShopifyCallLimiter.Settings.self, context: context)
            return ShopifyReply.ok([:]).response(encoding: provider.limiter.settings)
        }
    }

    /// Resolves the resource and body, runs `body`, and renders Shopify errors.
    static func run(
        _ request: Request,
        _ context: SandboxContext,
        readsBody: Bool = true,
        _ body: (String, ShopifyResource, JSONObject) async throws -> ShopifyReply
    ) async throws -> Response {
        do {
            let shop = context.parameters.get("shop") ?? ""
            guard let resource = context.parameters.get("resource").flatMap(ShopifyResource.init(rawValue:)),
                ShopifyResource.crud.contains(resource)
            else { throw ShopifyAPIError.notFound }
            let fields = readsBody ? try await ShopifyRoutes.body(request, context, wrapper: nil) : [:]
            return try await body(shop, resource, fields).response()
        } catch let error as ShopifyAPIError {
            return error.response()
        }
    }
}
