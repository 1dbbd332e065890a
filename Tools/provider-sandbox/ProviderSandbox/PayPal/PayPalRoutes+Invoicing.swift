import HTTPTypes
import HubCore
import Hummingbird

/// Invoicing v2: a page of invoices in creation order (`page` from 1, `page_size` 1–100, default
/// 20; `total_items`/`total_pages` with `total_required=true`), one invoice, a draft created (201;
/// the invoice with `Prefer: return=representation`, else a link to it; the same
/// `PayPal-Request-Id` answers the same invoice), replaced, or deleted.
extension PayPalRoutes {
    func listInvoices(_ request: Request) -> Response {
        serve(request) {
            let page = try Self.integer(request, "page", in: 1...1000, fallback: 1)
            let pageSize = try Self.integer(request, "page_size", in: 1...100, fallback: 20)
            let totals = request.uri.queryParameters["total_required"] == "true"
            let (items, total) = provider.store.withMerchant { account -> ([JSONValue], Int) in
                let ids = account.invoiceOrder.dropFirst((page - 1) * pageSize).prefix(pageSize)
                return (ids.compactMap { account.invoices[$0] }, account.invoiceOrder.count)
            }
            let pages = (total + pageSize - 1) / pageSize
            var body: [String: JSONValue] = [
                "items": .array(items),
                "links": Self.links(
                    request,
                    path: "/v2/invoicing/invoices",
                    query: [("page_size", String(pageSize)), ("total_required", String(totals))],
                    page: page,
                    pages: pages
                ),
            ]
            if totals {
                body["total_items"] = .int(total)
                body["total_pages"] = .int(pages)
            }
            return Self.json(.object(body))
        }
    }

    func invoice(_ id: String) throws -> Response {
        guard let invoice = provider.store.withMerchant({ $0.invoices[id] }) else { throw PayPalAPIError.notFound("Invoice \(id)") }
        return Self.json(invoice)
    }

    func createInvoice(_ request: Request, _ body: JSONValue) throws -> Response {
        let requestID = request.headers[HTTPField.Name("PayPal-Request-Id")!].flatMap { $0.isEmpty ? nil : $0 }
        let (invoice, _) = try provider.store.withMerchant { try $0.createInvoice(body, requestID: requestID, now: PayPalTime.now) }
        return Self.written(request, invoice, status: .created)
    }

    func replaceInvoice(_ request: Request, _ id: String, _ body: JSONValue) throws -> Response {
        let invoice = try provider.store.withMerchant { try $0.replaceInvoice(id, body, now: PayPalTime.now) }
        return Self.written(request, invoice, status: .ok)
    }

    /// PayPal's `Prefer` header: the whole invoice, or (`return=minimal`, the default) its link.
    static func written(_ request: Request, _ invoice: JSONValue, status: HTTPResponse.Status) -> Response {
        if request.headers[HTTPField.Name("Prefer")!]?.contains("return=representation") == true { return json(invoice, status: status) }
        let href = OAuthHTTP.baseURL(of: request, provider: "paypal") + "/v2/invoicing/invoices/" + (invoice["id"]?.stringValue ?? "")
        return json(["rel": "self", "href": .string(href), "method": "GET"], status: status)
    }
}
