import HubCore
import Hummingbird

/// Disputes: summaries in creation order (`page` from 1, `page_size` 1–50, default 10) with a
/// `next` link while more follow, and one dispute's details.
extension PayPalRoutes {
    func listDisputes(_ request: Request) throws -> Response {
        let page = try Self.integer(request, "page", in: 1...Int.max, fallback: 1)
        let pageSize = try Self.integer(request, "page_size", in: 1...50, fallback: 10)
        let (items, total) = provider.store.withMerchant { account -> ([JSONValue], Int) in
            let summaries = account.disputes.dropFirst((page - 1) * pageSize).prefix(pageSize).map { dispute -> JSONValue in
                var summary = dispute.objectValue ?? [:]
                summary["disputed_transactions"] = nil
                return .object(summary)
            }
            return (Array(summaries), account.disputes.count)
        }
        let pages = (total + pageSize - 1) / pageSize
        let links = Self.links(request, path: "/v1/customer/disputes", query: [("page_size", String(pageSize))], page: page, pages: pages)
        return Self.json(["items": .array(items), "links": links])
    }

    func dispute(_ request: Request, _ id: String) throws -> Response {
        guard let dispute = provider.store.withMerchant({ $0.disputes.first { $0["dispute_id"]?.stringValue == id } }) else {
            throw PayPalAPIError.notFound("Dispute \(id)")
        }
        return Self.json(dispute)
    }
}
