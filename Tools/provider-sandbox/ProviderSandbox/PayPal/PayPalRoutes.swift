import Foundation
import HubCore
import Hummingbird

/// Every PayPal API route the sandbox serves besides OAuth, registered in `add(to:)` — the one
/// place routes are added (the inbound-webhook emulation registers its own there too):
///
/// - `GET v1/reporting/transactions`: Transaction Search (`PayPalRoutes+Reporting`).
/// - `GET|POST v2/invoicing/invoices`, `GET|PUT|DELETE v2/invoicing/invoices/{id}`
///   (`PayPalRoutes+Invoicing`).
/// - `GET v1/customer/disputes`, `GET v1/customer/disputes/{id}` (`PayPalRoutes+Disputes`).
///
/// Every call needs a bearer token the OAuth server issued.
struct PayPalRoutes {
    let provider: PayPalProvider

    func add(to group: RouterGroup<SandboxContext>) {
        group.get("v1/reporting/transactions") { request, _ in searchTransactions(request) }
        group.get("v2/invoicing/invoices") { request, _ in listInvoices(request) }
        group.post("v2/invoicing/invoices") { request, context in
            let body = try await JSONValue.body(of: request, context: context) ?? .null
            return serve(request) { try createInvoice(request, body) }
        }
        group.get("v2/invoicing/invoices/:id") { request, context in
            let id = try context.parameters.require("id")
            return serve(request) { try invoice(id) }
        }
        group.put("v2/invoicing/invoices/:id") { request, context in
            let id = try context.parameters.require("id")
            let body = try await JSONValue.body(of: request, context: context) ?? .null
            return serve(request) { try replaceInvoice(request, id, body) }
        }
        group.delete("v2/invoicing/invoices/:id") { request, context in
            let id = try context.parameters.require("id")
            return serve(request) {
                try provider.store.withMerchant { try $0.deleteInvoice(id) }
                return Response(status: .noContent)
            }
        }
        group.get("v1/customer/disputes") { request, _ in serve(request) { try listDisputes(request) } }
        group.get("v1/customer/disputes/:id") { request, context in
            let id = try context.parameters.require("id")
            return serve(request) { try dispute(request, id) }
        }
    }

    /// Checks the bearer token, then answers `handler`'s response or its PayPal error.
    func serve(_ request: Request, _ handler: () throws -> Response) -> Response {
        guard let token = PresentedClient.bearer(request), provider.authorizes(token) else { return PayPalAPIError.unauthorized.response() }
        do {
            return try handler()
        } catch let error as PayPalAPIError {
            return error.response()
        } catch {
            return PayPalAPIError.invalid(field: "/", issue: "MALFORMED_REQUEST", description: "\(error)").response()
        }
    }

    /// A JSON answer.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        JSONBody.response(value.encoded(), status: status)
    }

    /// A positive integer query parameter within `range`, `fallback` when absent.
    static func integer(_ request: Request, _ name: String, in range: ClosedRange<Int>, fallback: Int) throws(PayPalAPIError) -> Int {
        guard let text = request.uri.queryParameters[Substring(name)].map(String.init) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw .invalid(
                field: name,
                issue: "INVALID_PARAMETER_VALUE",
                description: "\(name) must be between \(range.lowerBound) and \(range.upperBound).",
                location: "query"
            )
        }
        return value
    }

    /// `{href, rel, method}` links of a paged listing: self, and next when another page follows.
    static func links(_ request: Request, path: String, query: [(String, String)], page: Int, pages: Int) -> JSONValue {
        let base = OAuthHTTP.baseURL(of: request, provider: "paypal") + path
        func href(_ page: Int) -> String {
            base + "?" + FormParameters.encode(query + [("page", String(page))])
        }
        var links: [JSONValue] = [["href": .string(href(page)), "rel": "self", "method": "GET"]]
        if page < pages { links.append(["href": .string(href(page + 1)), "rel": "next", "method": "GET"]) }
        return .array(links)
    }
}
