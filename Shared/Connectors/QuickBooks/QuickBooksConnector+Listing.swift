import Foundation
import HubCore

/// Listing, full and incremental.
///
/// A full listing pages through the query language in `Id` order (`SELECT * FROM Invoice ORDERBY
/// Id STARTPOSITION n MAXRESULTS m`, at most 1,000 a page; name lists with `Active IN (true,
/// false)` so inactive ones come too). Its checkpoint is fixed when its first page is read: the
/// server's `time` then, less a margin, so whatever changes while a long listing runs is seen by
/// the next incremental listing.
///
/// An incremental listing reads change data capture (`/cdc?entities=…&changedSince=…`): created
/// and changed objects in full, deleted ones as ids. One answer holds at most 1,000 objects,
/// oldest change first; a full answer continues from the newest change it held (repeating that
/// second's changes, which the caller's upsert absorbs).
///
/// Intuit keeps 30 days of changes. A checkpoint older than that falls back to a full listing,
/// whose records the caller upserts; deletions made during the gap are not reported.
extension QuickBooksConnector {
    /// How old a checkpoint may be before its changes may be gone: 30 days less an hour.
    static let changeRetention = 30 * 86_400 - 3_600
    /// How far before a listing's start its checkpoint lies: writes in flight while it began,
    /// and Intuit's one-second timestamps, fall inside it.
    static let checkpointOverlap = 60
    /// The most objects one CDC answer holds.
    static let largestChangeSet = 1_000

    public func list(_ request: ListRequest) async throws(ConnectorError) -> RecordPage {
        let object = try object(request.entity, allowing: .read)
        let limit = min(max(request.pageSize, 1), 1_000)
        if let cursor = request.cursor {
            switch try QuickBooksListCursor(decoding: cursor) {
            case .full(let start, let checkpoint):
                return try await fullPage(request.entity, object, start: start, checkpoint: checkpoint, limit: limit)
            case .changes(let since):
                return try await changes(request.entity, object, since: since, limit: limit)
            }
        }
        if let since = request.since {
            let checkpoint = try QuickBooksListCursor.checkpoint(decoding: since)
            guard Self.now - checkpoint <= Self.changeRetention else {
                return try await fullPage(request.entity, object, start: 1, checkpoint: nil, limit: limit)
            }
            return try await changes(request.entity, object, since: checkpoint, limit: limit)
        }
        return try await fullPage(request.entity, object, start: 1, checkpoint: nil, limit: limit)
    }

    // MARK: Full listing

    /// One page of a full listing; `checkpoint` is nil on the first page, which takes it from the
    /// server's time.
    func fullPage(_ entity: String, _ object: String, start: Int, checkpoint: Int?, limit: Int) async throws(ConnectorError) -> RecordPage {
        let filter = QuickBooksEntities.nameLists.contains(object) ? " WHERE Active IN (true, false)" : ""
        let select = "SELECT * FROM \(object)\(filter) ORDERBY Id STARTPOSITION \(start) MAXRESULTS \(limit)"
        let json = try await call(.GET, "query", query: [("query", select)], entity: entity)
        guard let response = json["QueryResponse"], case .object = response else {
            throw .invalidResponse("QuickBooks' answer to a query has no QueryResponse")
        }
        let items = response[object]?.arrayValue ?? []
        let records = try items.map { item throws(ConnectorError) in try Self.record(item, entity: entity) }
        let checkpoint = checkpoint ?? Self.serverTime(json) - Self.checkpointOverlap
        guard items.count == limit else {
            return RecordPage(records: records, nextCursor: nil, checkpoint: QuickBooksListCursor.checkpoint(checkpoint))
        }
        let next = QuickBooksListCursor.full(startPosition: start + items.count, checkpoint: checkpoint)
        return RecordPage(records: records, nextCursor: next.encoded)
    }

    // MARK: Incremental listing

    func changes(_ entity: String, _ object: String, since: Int, limit: Int) async throws(ConnectorError) -> RecordPage {
        let json = try await call(
            .GET,
            "cdc",
            query: [("entities", object), ("changedSince", Self.timestamp(since))],
            entity: entity
        )
        let responses = json["CDCResponse"]?.arrayValue?.first?["QueryResponse"]?.arrayValue ?? []
        let items = responses.flatMap { $0[object]?.arrayValue ?? [] }
        var records: [ProviderRecord] = []
        var deleted: [String] = []
        var newest = since
        for item in items {
            let updated = Self.date(item["MetaData"]?["LastUpdatedTime"]).map { Int($0.timeIntervalSince1970) } ?? since
            newest = max(newest, updated)
            if item["status"]?.stringValue == "Deleted" {
                guard let id = item["Id"]?.idText else { continue }
                deleted.append(id)
            } else {
                records.append(try Self.record(item, entity: entity))
            }
        }
        guard items.count >= Self.largestChangeSet else {
            let checkpoint = max(since, Self.serverTime(json) - Self.checkpointOverlap)
            return RecordPage(records: records, deletedIDs: deleted, nextCursor: nil, checkpoint: QuickBooksListCursor.checkpoint(checkpoint))
        }
        // A full answer: continue from its newest change. More than 1,000 changes within one
        // second cannot be walked that way; a full listing reads them all instead.
        guard newest > since else { return try await fullPage(entity, object, start: 1, checkpoint: nil, limit: limit) }
        return RecordPage(records: records, deletedIDs: deleted, nextCursor: QuickBooksListCursor.changes(since: newest).encoded)
    }

    /// The server's `time` of an answer in unix seconds (the local clock when it has none).
    static func serverTime(_ json: JSONValue) -> Int {
        date(json["time"]).map { Int($0.timeIntervalSince1970) } ?? now
    }

    /// A time as the query language and CDC take it: ISO 8601 in UTC.
    static func timestamp(_ seconds: Int) -> String {
        Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
    }

    static var now: Int { Int(Date().timeIntervalSince1970) }
}
