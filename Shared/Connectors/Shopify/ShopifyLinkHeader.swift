import Foundation
import HubCore

/// Shopify's `Link` response header: `<https://…?limit=50&page_info=abc>; rel="next", <…>;
/// rel="previous"`. The only source of the next page; a page shorter than `limit` proves nothing.
struct ShopifyLinkHeader {
    /// page_info by relation (`next`, `previous`).
    private(set) var pageInfo: [String: String] = [:]

    init(_ header: String?) {
        guard let header else { return }
        for part in header.split(separator: ",") {
            let sections = part.split(separator: ";").map { $0.trimmingWhitespace() }
            guard let target = sections.first, target.hasPrefix("<"), target.hasSuffix(">") else { continue }
            let url = target.dropFirst().dropLast()
            guard let relation = sections.dropFirst().first(where: { $0.hasPrefix("rel=") })?.dropFirst(4).trimmingCharacters(in: ["\""]),
                let query = url.split(separator: "?", maxSplits: 1).dropFirst().first
            else { continue }
            for pair in query.split(separator: "&") where pair.hasPrefix("page_info=") {
                pageInfo[relation] = String(pair.dropFirst("page_info=".count)).removingPercentEncoding ?? String(pair.dropFirst("page_info=".count))
            }
        }
    }

    var next: String? { pageInfo["next"] }
}
