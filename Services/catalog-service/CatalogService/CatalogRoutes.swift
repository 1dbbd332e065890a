import Foundation
import HubConnectors
import HubCore
import Hummingbird

/// `GET /api/v1/integrations/providers[?category=]`, `/providers/{id}`, `/categories`.
/// Responses carry an `ETag`; a matching `If-None-Match` gets 304 with no body.
struct CatalogRoutes {
    let catalog: Catalog

    func add(to api: RouterGroup<HubRequestContext>) {
        let integrations = api.group("integrations")
        integrations.get("providers") { request, _ in
            guard let name = request.uri.queryParameters["category"].map(String.init) else {
                return Self.respond(catalog.providers, to: request)
            }
            guard let category = ProviderCategory(rawValue: name), let body = catalog.providersByCategory[category] else {
                throw APIError.validation(
                    "unknown category '\(name.excerpt())'",
                    field: "category",
                    details: ["field": "category", "allowed": .array(ProviderCategory.allCases.map { .string($0.rawValue) })]
                )
            }
            return Self.respond(body, to: request)
        }
        integrations.get("providers/:id") { request, context in
            let id = try context.parameters.require("id")
            guard let body = catalog.providerByID[id] else { throw APIError.notFound("provider '\(id)'") }
            return Self.respond(body, to: request)
        }
        integrations.get("categories") { request, _ in
            Self.respond(catalog.categories, to: request)
        }
    }

    static func respond(_ rendered: RenderedJSON, to request: Request) -> Response {
        var headers: HTTPFields = [.eTag: rendered.etag, .cacheControl: "private, max-age=60"]
        if let match = request.headers[.ifNoneMatch],
            match.split(separator: ",").contains(where: { $0.trimmingWhitespace() == rendered.etag || $0 == "*" })
        {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: rendered.bytes)))
    }
}
