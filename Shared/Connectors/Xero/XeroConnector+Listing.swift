import Foundation
import HubCore

/// Listing with Xero's page numbers, resumable at any page through the cursor.
///
/// Incremental listings send `If-Modified-Since` from the checkpoint, so they see created,
/// changed, voided, deleted and archived objects; an object whose status means it is gone
/// (`XeroEntityRoute.goneStatuses`) is reported in `deletedIDs`, never as a record. Pages are cut
/// in Xero's default order (creation), so a change made while paging never shifts an unread page.
extension XeroConnector {
    /// How far before the listing's newest change its checkpoint lies: Xero's `If-Modified-Since`
    /// has whole seconds, and writes in flight while the first page was read fall inside it.
    /// Records read twice are upserted twice, which costs nothing.
    static let checkpointOverlap: Int64 = 5_000
    static let maxPageSize = 1000

    public func list(_ request: ListRequest) async throws(ConnectorError) -> RecordPage {
        let route = try route(request.entity, allowing: .read)
        let resumed = try request.cursor.map { text throws(ConnectorError) in try XeroListCursor(encoded: text) }
        let since: Int64?
        if let resumed {
            since = resumed.since
        } else {
            since = route.incremental ? try Self.milliseconds(checkpoint: request.since) : nil
        }
        let page = resumed?.page ?? 1
        let pageSize = min(max(request.pageSize, 1), Self.maxPageSize)
        var query: [(String, String)] = []
        if route.paged { query += [("page", String(page)), ("pageSize", String(pageSize))] }
        let member = since == nil ? nil : route.member
        if let filter = route.filter, member == nil { query.append(("where", filter)) }
        // Archived contacts and accounts are hidden unless asked for; the hub needs them as deletions.
        if ["Contacts", "Accounts"].contains(route.resource) { query.append(("includeArchived", "true")) }
        let headers = since.map { [("If-Modified-Since", Self.ifModifiedSince($0))] } ?? []
        let (json, response) = try await call(.GET, route.resource, query: query, headers: headers, entity: request.entity)
        let objects = try Self.objects(json, route.resource)
        var records: [ProviderRecord] = []
        var deleted: [String] = []
        var newest = resumed?.newest
        for object in objects {
            let record = Self.record(object, route: route)
            guard !record.externalID.isEmpty else { continue }
            if let updatedAt = record.updatedAt {
                let stamp = Int64((updatedAt.timeIntervalSince1970 * 1000).rounded())
                newest = max(newest ?? stamp, stamp)
            }
            if route.goneStatuses.contains(object[route.statusField]?.stringValue ?? "") || member?(.object(object)) == false {
                deleted.append(record.externalID)
            } else {
                records.append(record)
            }
        }
        let started = resumed?.started ?? Self.serverMilliseconds(response)
        if route.paged, Self.hasMore(json, page: page, count: objects.count, pageSize: pageSize) {
            let next = XeroListCursor(page: page + 1, since: since, started: started, newest: newest)
            return RecordPage(records: records, deletedIDs: deleted, nextCursor: next.encoded)
        }
        let checkpoint = route.incremental ? Self.checkpoint(newest: newest, started: started) : nil
        return RecordPage(records: records, deletedIDs: deleted, nextCursor: nil, checkpoint: checkpoint)
    }

    /// Whether another page follows: Xero's `pagination` when it sends one, else a full page.
    static func hasMore(_ json: JSONValue, page: Int, count: Int, pageSize: Int) -> Bool {
        if let pageCount = json["pagination"]?["pageCount"]?.numberValue { return Double(page) < pageCount }
        return count >= pageSize
    }

    /// The newest change seen, but never later than the server's time at the first page: an
    /// object changed on an already-read page while paging is then read again next time.
    static func checkpoint(newest: Int64?, started: Int64) -> String? {
        let position = min(newest ?? started, started) - checkpointOverlap
        return ISOTimestamp.string(unix: Double(position) / 1000)
    }

    /// Xero's documented form, `2026-01-02T03:04:05` in UTC: whole seconds, rounded down, so the
    /// listing starts no later than the checkpoint.
    static func ifModifiedSince(_ milliseconds: Int64) -> String {
        let seconds = (Double(milliseconds) / 1000).rounded(.down)
        return String((ISOTimestamp.string(unix: seconds) ?? "1970-01-01T00:00:00Z").dropLast())
    }

    static func milliseconds(checkpoint: String?) throws(ConnectorError) -> Int64? {
        guard let checkpoint else { return nil }
        guard let seconds = ISOTimestamp.unix(iso: checkpoint) else {
            throw .validation(message: "the checkpoint '\(checkpoint)' is not an ISO 8601 time", field: "since")
        }
        return Int64((seconds * 1000).rounded())
    }

    /// The server's `Date`, so a skewed local clock cannot skip changes; the local clock without one.
    static func serverMilliseconds(_ response: ProviderResponse, now: Date = Date()) -> Int64 {
        let date = response.headers.first(name: "Date").flatMap(HTTPDate.parse) ?? now
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}
