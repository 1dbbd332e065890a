import Foundation

/// The opaque `page_info` of Shopify's `Link` header: which side of which id the page lies, and
/// the filters of the first request (a `page_info` request may carry only `limit` and `fields`).
struct ShopifyPageInfo: Codable, Equatable {
    enum Direction: String, Codable {
        case next
        case previous
    }

    var direction: Direction
    /// The last id of the page before (`next`) or the first id of the page after (`previous`).
    var anchor: Int64
    var filters: [String: String]

    enum CodingKeys: String, CodingKey {
        case direction = "d"
        case anchor = "a"
        case filters = "f"
    }

    var encoded: String {
        let data = JSONBody.encode(self)
        return Data(data).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    init(direction: Direction, anchor: Int64, filters: [String: String]) {
        self.direction = direction
        self.anchor = anchor
        self.filters = filters
    }

    /// Nil when `text` is not a page_info this sandbox issued.
    init?(_ text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let decoded = try? JSONDecoder().decode(Self.self, from: data) else { return nil }
        self = decoded
    }
}
