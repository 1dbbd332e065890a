import Foundation
import HubConnectors
import HubCore

/// The catalog's responses, rendered once at start: the definitions do not change while the
/// process runs, so every request is a lookup and every response has a stable `ETag`.
struct Catalog: Sendable {
    let providers: RenderedJSON
    let providersByCategory: [ProviderCategory: RenderedJSON]
    let providerByID: [String: RenderedJSON]
    let categories: RenderedJSON

    init(registry: ConnectorRegistry) throws {
        let encoder = JSONEncoder.hub
        let definitions = registry.definitions
        providers = try RenderedJSON(encoder.encode(ListResponse(definitions)))
        var byCategory: [ProviderCategory: RenderedJSON] = [:]
        for category in ProviderCategory.allCases {
            byCategory[category] = try RenderedJSON(encoder.encode(ListResponse(definitions.filter { $0.category == category })))
        }
        providersByCategory = byCategory
        var byID: [String: RenderedJSON] = [:]
        for definition in definitions {
            byID[definition.id] = try RenderedJSON(encoder.encode(definition))
        }
        providerByID = byID
        let summaries = ProviderCategory.allCases.map { category in
            let members = definitions.filter { $0.category == category }.map(\.id).sorted()
            return CategorySummary(id: category.rawValue, name: category.displayName, providerCount: members.count, providers: members)
        }
        categories = try RenderedJSON(encoder.encode(ListResponse(summaries)))
    }
}

struct CategorySummary: Encodable {
    var id: String
    var name: String
    var providerCount: Int
    var providers: [String]

    enum CodingKeys: String, CodingKey {
        case id, name, providers
        case providerCount = "provider_count"
    }
}

/// A JSON body with its strong `ETag` (SHA-256 of the bytes).
struct RenderedJSON: Sendable {
    let bytes: [UInt8]
    let etag: String

    init(_ data: Data) {
        bytes = Array(data)
        etag = "\"" + sha256Hex(data).prefix(32) + "\""
    }
}
