import HTTPTypes
import Hummingbird

/// Shopify's own header names.
enum ShopifyHeader {
    static let accessToken = name("X-Shopify-Access-Token")
    static let callLimit = name("X-Shopify-Shop-Api-Call-Limit")
    static let apiVersion = name("X-Shopify-API-Version")
    static let link = name("Link")

    private static func name(_ raw: String) -> HTTPField.Name {
        guard let name = HTTPField.Name(raw) else { preconditionFailure("'\(raw)' is not a header name") }
        return name
    }
}
