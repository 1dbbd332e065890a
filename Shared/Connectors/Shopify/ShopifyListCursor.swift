import Foundation

/// The connector's opaque cursor for a Shopify listing: the `page_info` of the next page and the
/// checkpoint the listing will end with (fixed when its first page was read, so objects changed
/// while paging are seen by the next incremental listing).
struct ShopifyListCursor: Codable, Equatable {
    var pageInfo: String
    var checkpoint: String?

    enum CodingKeys: String, CodingKey {
        case pageInfo = "p"
        case checkpoint = "c"
    }

    init(pageInfo: String, checkpoint: String?) {
        self.pageInfo = pageInfo
        self.checkpoint = checkpoint
    }

    init(encoded: String) throws(ConnectorError) {
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let cursor = try? JSONDecoder().decode(Self.self, from: data) else {
            throw .validation(message: "the cursor is not one this Shopify connector issued", field: "cursor")
        }
        self = cursor
    }

    var encoded: String {
        let data = (try? JSONEncoder().encode(self)) ?? Data()
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
