import HubCore
import Hummingbird

/// Transaction Search: `start_date` and `end_date` required, at most 31 days apart; `page_size`
/// 1–500 (default 100), `page` from 1; `fields` chooses the sections (`transaction_info` always,
/// `payer_info` with `all` or by name); `transaction_id` narrows to one. Transactions whose
/// initiation time lies in the range, oldest first.
extension PayPalRoutes {
    static let longestRange = 31 * 86_400

    func searchTransactions(_ request: Request) -> Response {
        serve(request) {
            let query = request.uri.queryParameters
            func required(_ name: String) throws -> String {
                guard let value = query[name[...]] else {
                    throw PayPalAPIError.invalid(
                        field: name,
                        issue: "MISSING_REQUIRED_PARAMETER",
                        description: "\(name) is required.",
                        location: "query"
                    )
                }
                return String(value)
            }
            let (startText, endText) = (try required("start_date"), try required("end_date"))
            guard let start = PayPalTime.parse(startText), let end = PayPalTime.parse(endText) else {
                throw PayPalAPIError.invalid(
                    field: "start_date",
                    issue: "INVALID_PARAMETER_SYNTAX",
                    description: "Dates are RFC 3339 date-times (yyyy-MM-dd'T'HH:mm:ssZ).",
                    location: "query"
                )
            }
            guard end >= start else {
                throw PayPalAPIError.invalid(
                    field: "end_date",
                    issue: "INVALID_DATE_RANGE",
                    description: "end_date is before start_date.",
                    location: "query"
                )
            }
            guard end - start <= Self.longestRange else {
                throw PayPalAPIError.invalid(
                    field: "end_date",
                    issue: "INVALID_DATE_RANGE",
                    description: "Date range is greater than 31 days.",
                    location: "query"
                )
            }
            let pageSize = try Self.integer(request, "page_size", in: 1...500, fallback: 100)
            let page = try Self.integer(request, "page", in: 1...Int.max, fallback: 1)
            let fields = Set((query["fields"].map(String.init) ?? "transaction_info").split(separator: ",").map(String.init))
            let payerInfo = fields.contains("all") || fields.contains("payer_info")
            let only = query["transaction_id"].map(String.init)
            let merchant = provider.store.merchantID
            let (details, total) = provider.store.withMerchant { account -> ([JSONValue], Int) in
                let matching = account.transactions.filter { ($0.initiated >= start && $0.initiated <= end) && (only == nil || $0.id == only) }
                let details = matching.dropFirst((page - 1) * pageSize).prefix(pageSize).map { $0.json(merchant: merchant, payerInfo: payerInfo) }
                return (Array(details), matching.count)
            }
            let pages = (total + pageSize - 1) / pageSize
            let echoed = [
                ("start_date", startText), ("end_date", endText), ("fields", fields.sorted().joined(separator: ",")), ("page_size", String(pageSize)),
            ]
            return Self.json([
                "transaction_details": .array(details), "account_number": .string(merchant),
                "start_date": .string(PayPalTime.reporting(start)), "end_date": .string(PayPalTime.reporting(end)),
                "last_refreshed_datetime": .string(PayPalTime.reporting(PayPalTime.now)), "page": .int(page), "total_items": .int(total),
                "total_pages": .int(pages),
                "links": Self.links(request, path: "/v1/reporting/transactions", query: echoed, page: page, pages: pages),
            ])
        }
    }
}
