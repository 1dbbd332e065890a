import Foundation
import HubCore

/// Listing, full and incremental, through SOQL (`/query?q=…`), following `nextRecordsUrl` until
/// `done`; batches of the caller's page size held to Salesforce's 200–2,000
/// (`Sforce-Query-Options: batchSize`). The query selects the entity's fields; opportunities add
/// their line items (`OpportunityLineItems`) and the contacts on them (`OpportunityContactRoles`)
/// as sub-queries.
///
/// A full listing reads every record in `Id` order. Its checkpoint is fixed when its first page
/// is read: the time then, less a margin, so whatever changes while a long listing runs is seen
/// by the next incremental listing.
///
/// An incremental listing reads the records whose `SystemModstamp` is at or after the checkpoint
/// (changed records in full, one query, not `/updated`'s ids and a read of each), and on its
/// first page the ids `/sobjects/{type}/deleted` reports between the checkpoint and now.
/// Salesforce keeps deletions for 15 days (and `/updated` for 30), less when an administrator
/// empties the Recycle Bin (`earliestDateAvailable` then moves up): a checkpoint older than the
/// log falls back to a full listing, its pages marked `isFullRelisting`, so the caller takes what
/// it does not list as deleted during the gap.
extension SalesforceConnector {
    /// How old a checkpoint may be before its deletions may be gone: 15 days less an hour.
    static let deletionRetention: Int64 = (15 * 86_400 - 3_600) * 1000
    /// How far before a listing's start its checkpoint lies: writes in flight while it began,
    /// and clocks that differ, fall inside it.
    static let checkpointOverlap: Int64 = 60_000
    /// The child relationship an opportunity's line items are read through.
    static let lineItemsRelationship = "OpportunityLineItems"
    static let lineItemFields = ["Id", "Product2Id", "Description", "Quantity", "UnitPrice", "TotalPrice", "ServiceDate"]
    /// The child relationship naming an opportunity's contacts, and what is read of each.
    static let contactRolesRelationship = "OpportunityContactRoles"
    static let contactRoleFields = ["ContactId", "Role", "IsPrimary"]
    /// The sub-query results a record carries, read as records of their own.
    static let childRelationships = [lineItemsRelationship, contactRolesRelationship]

    public func list(_ request: ListRequest) async throws(ConnectorError) -> RecordPage {
        let definition = try entityDefinition(request.entity, allowing: .read)
        let batch = [("Sforce-Query-Options", "batchSize=\(min(max(request.pageSize, 200), 2_000))")]
        if let cursor = request.cursor {
            switch try SalesforceListCursor(decoding: cursor) {
            case .next(let checkpoint, let url, let relisting):
                let response = try await call(.GET, url, headers: batch, entity: request.entity)
                return try page(response, entity: request.entity, checkpoint: checkpoint, relisting: relisting)
            }
        }
        let now = Self.nowMilliseconds
        var filter = ""
        var deleted: [String] = []
        var checkpoint = now - Self.checkpointOverlap
        var relisting = false
        if let since = request.since {
            let from = try SalesforceListCursor.checkpoint(decoding: since)
            var log: JSONValue?
            if now - from <= Self.deletionRetention {
                log = try await Self.json(
                    call(
                        .GET,
                        "sobjects/\(definition.providerObject)/deleted",
                        query: [("start", Self.timestamp(from)), ("end", Self.timestamp(now, milliseconds: true))],
                        entity: request.entity
                    )
                )
            }
            // An emptied Recycle Bin cuts the log short too: deletions before it are lost.
            if let log, Self.milliseconds(log["earliestDateAvailable"]).map({ $0 <= from }) ?? true {
                deleted = (log["deletedRecords"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
                // What the deletion log covered bounds the next start, so a deletion it had not
                // caught up with is asked for again.
                checkpoint = min(now, Self.milliseconds(log["latestDateCovered"]) ?? now) - Self.checkpointOverlap
                filter = " WHERE SystemModstamp >= \(Self.timestamp(from))"
            } else {
                relisting = true
            }
        }
        let soql = "SELECT \(Self.selectList(definition)) FROM \(definition.providerObject)\(filter) ORDER BY Id"
        let response = try await call(.GET, "query", query: [("q", soql)], headers: batch, entity: request.entity)
        return try page(response, entity: request.entity, checkpoint: checkpoint, deleted: deleted, relisting: relisting)
    }

    /// One batch of a query as a page: a cursor at `nextRecordsUrl` while not `done`, the
    /// checkpoint on the last, and the org's API usage the response reported.
    func page(
        _ response: ProviderResponse,
        entity: String,
        checkpoint: Int64,
        deleted: [String] = [],
        relisting: Bool = false
    ) throws(ConnectorError) -> RecordPage {
        var page = try page(Self.json(response), entity: entity, checkpoint: checkpoint, deleted: deleted, relisting: relisting)
        page.quota = Self.quota(response.headers)
        return page
    }

    func page(
        _ json: JSONValue?,
        entity: String,
        checkpoint: Int64,
        deleted: [String] = [],
        relisting: Bool = false
    ) throws(ConnectorError) -> RecordPage {
        guard let json, let items = json["records"]?.arrayValue else { throw .invalidResponse("Salesforce's query result has no records") }
        let records = try items.map { item throws(ConnectorError) in try Self.record(item, entity: entity) }
        if json["done"]?.boolValue == false {
            guard let next = json["nextRecordsUrl"]?.stringValue, next.hasPrefix("/services/data/") else {
                throw .invalidResponse("Salesforce's unfinished query result has no nextRecordsUrl")
            }
            let cursor = SalesforceListCursor.next(checkpoint: checkpoint, url: next, relisting: relisting)
            return RecordPage(records: records, deletedIDs: deleted, nextCursor: cursor.encoded, isFullRelisting: relisting)
        }
        return RecordPage(
            records: records,
            deletedIDs: deleted,
            nextCursor: nil,
            checkpoint: SalesforceListCursor.checkpoint(checkpoint),
            isFullRelisting: relisting
        )
    }

    /// The entity's fields, and for opportunities their line items and contact roles as
    /// sub-queries.
    static func selectList(_ definition: EntityDefinition) -> String {
        var fields = definition.fields.map(\.name).filter { !childRelationships.contains($0) }
        if definition.providerObject == "Opportunity" {
            for (relationship, children) in [(lineItemsRelationship, lineItemFields), (contactRolesRelationship, contactRoleFields)] {
                fields.append("(SELECT \(children.joined(separator: ", ")) FROM \(relationship))")
            }
        }
        return fields.joined(separator: ", ")
    }

    /// A time as SOQL and the replication resources take it: ISO 8601 in UTC, whole seconds
    /// (rounded down, so a lower bound never passes a change).
    /// An end is written to the millisecond, so a change made within the current second is
    /// inside it.
    static func timestamp(_ milliseconds: Int64, milliseconds exact: Bool = false) -> String {
        let whole = Date(timeIntervalSince1970: TimeInterval(milliseconds / 1000)).formatted(.iso8601)
        guard exact else { return whole }
        let fraction = String(1000 + milliseconds % 1000).dropFirst()
        return whole.dropLast() + ".\(fraction)Z"
    }

    static var nowMilliseconds: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// A time the API wrote (`2026-01-01T00:00:00.000+0000`) in unix milliseconds.
    static func milliseconds(_ value: JSONValue?) -> Int64? {
        value?.stringValue.flatMap(ISOTimestamp.unix(iso:)).map { Int64($0 * 1000) }
    }
}
