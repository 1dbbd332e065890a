import Foundation
import HubCore

/// Listing.
///
/// Payments walk Transaction Search in windows of at most 31 days (PayPal refuses longer ones),
/// oldest first, `fields=all`, up to 500 a page. A full listing starts three years back (as far as
/// PayPal searches); an incremental one starts at its checkpoint less the reporting lag, because
/// PayPal lists a transaction up to three hours after it happened, under the time it happened: the
/// overlap finds the late ones, and the caller's upsert absorbs those read before. Every listing
/// ends at the time its first page was read, which becomes its checkpoint.
///
/// Invoices (Invoicing v2, up to 100 a page, with totals) and disputes (up to 50 a page, `next`
/// links) are listed whole each time: neither can be searched by last change.
extension PayPalConnector {
    /// How late PayPal lists a transaction: "up to three hours".
    static let reportingLag = 3 * 3_600
    /// The longest range one Transaction Search accepts.
    static let longestWindow = 31 * 86_400
    /// How far back Transaction Search reaches.
    static let history = 3 * 365 * 86_400

    public func list(_ request: ListRequest) async throws(ConnectorError) -> RecordPage {
        _ = try entityDefinition(request.entity, allowing: .read)
        switch request.entity {
        case "payments": return try await listTransactions(request)
        case "invoices": return try await listInvoices(request)
        default: return try await listDisputes(request)
        }
    }

    private func listTransactions(_ request: ListRequest) async throws(ConnectorError) -> RecordPage {
        var from: Int
        let until: Int
        var page: Int
        if let cursor = request.cursor {
            guard case .transactions(let start, let end, let number) = try PayPalListCursor(decoding: cursor) else { throw PayPalListCursor.invalid }
            from = start
            until = end
            page = number
        } else {
            until = Self.now
            let since = try request.since.map { text throws(ConnectorError) in try PayPalListCursor.checkpoint(decoding: text) }
            from = max(since.map { $0 - Self.reportingLag } ?? 0, until - Self.history)
            page = 1
        }
        // An empty window moves on to the next in the same call: a full listing's first years are
        // often empty, and a page of nothing would only cost the caller a round trip.
        while true {
            let windowEnd = min(from + Self.longestWindow, until)
            let json = try await call(
                .GET,
                "/v1/reporting/transactions",
                query: [
                    ("start_date", Self.timestamp(from)), ("end_date", Self.timestamp(windowEnd)), ("fields", "all"),
                    ("page_size", String(min(max(request.pageSize, 1), 500))), ("page", String(page)),
                ],
                entity: request.entity
            )
            let records = try (json["transaction_details"]?.arrayValue ?? []).map { detail throws(ConnectorError) in
                try Self.record(
                    detail,
                    entity: request.entity,
                    idPath: "transaction_info.transaction_id",
                    updatedPath: "transaction_info.transaction_updated_date"
                )
            }
            if page < (json["total_pages"]?.intValue ?? 0) {
                return RecordPage(records: records, nextCursor: PayPalListCursor.transactions(from: from, until: until, page: page + 1).encoded)
            }
            guard windowEnd < until else {
                return RecordPage(records: records, nextCursor: nil, checkpoint: PayPalListCursor.checkpoint(until))
            }
            if !records.isEmpty {
                return RecordPage(records: records, nextCursor: PayPalListCursor.transactions(from: windowEnd, until: until, page: 1).encoded)
            }
            from = windowEnd
            page = 1
        }
    }

    private func listInvoices(_ request: ListRequest) async throws(ConnectorError) -> RecordPage {
        let page = try pageNumber(request)
        let json = try await call(
            .GET,
            "/v2/invoicing/invoices",
            query: [("page", String(page)), ("page_size", String(min(max(request.pageSize, 1), 100))), ("total_required", "true")],
            entity: request.entity
        )
        let records = try (json["items"]?.arrayValue ?? []).map { invoice throws(ConnectorError) in
            try Self.record(invoice, entity: request.entity, idPath: "id", updatedPath: "detail.metadata.last_update_time")
        }
        let more = page < (json["total_pages"]?.intValue ?? 0)
        return RecordPage(records: records, nextCursor: more ? PayPalListCursor.page(page + 1).encoded : nil)
    }

    private func listDisputes(_ request: ListRequest) async throws(ConnectorError) -> RecordPage {
        let page = try pageNumber(request)
        let json = try await call(
            .GET,
            "/v1/customer/disputes",
            query: [("page_size", String(min(max(request.pageSize, 1), 50))), ("page", String(page))],
            entity: request.entity
        )
        let records = try (json["items"]?.arrayValue ?? []).map { dispute throws(ConnectorError) in
            try Self.record(dispute, entity: request.entity, idPath: "dispute_id", updatedPath: "update_time")
        }
        // The next page is announced by a `next` link; only its existence is used, so the token
        // is never sent to a host the link names.
        let more = (json["links"]?.arrayValue ?? []).contains { $0["rel"]?.stringValue == "next" }
        return RecordPage(records: records, nextCursor: more && !records.isEmpty ? PayPalListCursor.page(page + 1).encoded : nil)
    }

    private func pageNumber(_ request: ListRequest) throws(ConnectorError) -> Int {
        guard let cursor = request.cursor else { return 1 }
        guard case .page(let page) = try PayPalListCursor(decoding: cursor) else { throw PayPalListCursor.invalid }
        return page
    }

    /// RFC 3339 in UTC, to the second, as Transaction Search takes its dates.
    static func timestamp(_ seconds: Int) -> String {
        ISOTimestamp.string(unix: Double(seconds)) ?? ""
    }

    static var now: Int { Int(Date().timeIntervalSince1970) }
}
