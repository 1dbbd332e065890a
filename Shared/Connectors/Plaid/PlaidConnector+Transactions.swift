import HubCore

/// Listing: transactions through `/transactions/sync` (added, modified and removed since a
/// stored cursor), accounts through `/accounts/get` (re-read whole, they are few).
extension PlaidConnector {
    /// How many times one page restarts its loop after `TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION`
    /// before giving up with `conflict` (the caller retries later).
    static let maxSyncRestarts = 3

    public func list(_ request: ListRequest) async throws(ConnectorError) -> RecordPage {
        _ = try entityDefinition(request.entity, allowing: .read)
        if request.entity == "bank_accounts" {
            let body = try await call("accounts/get", entity: request.entity)
            return RecordPage(records: Self.objects(body["accounts"]).map(Self.account), nextCursor: nil)
        }
        var cursor =
            try request.cursor.map { raw throws(ConnectorError) in try PlaidListCursor(encoded: raw) }
            ?? PlaidListCursor(start: request.since ?? "", next: request.since ?? "")
        var restarts = 0
        while true {
            do {
                return try await syncPage(cursor, count: min(max(request.pageSize, 1), 500))
            } catch .conflict(let message) {
                guard restarts < Self.maxSyncRestarts else { throw .conflict(message) }
                restarts += 1
                cursor.next = cursor.start
            }
        }
    }

    /// One `/transactions/sync` call: added and modified transactions as records, removed ones as
    /// deleted ids; the last page of the loop carries `next_cursor` as the checkpoint.
    private func syncPage(_ cursor: PlaidListCursor, count: Int) async throws(ConnectorError) -> RecordPage {
        var fields: [String: JSONValue] = ["count": .number(Double(count))]
        if !cursor.next.isEmpty { fields["cursor"] = .string(cursor.next) }
        let body = try await call("transactions/sync", fields, entity: "bank_transactions")
        guard let next = Self.string(body["next_cursor"]), case .bool(let hasMore)? = body["has_more"] else {
            throw .invalidResponse("Plaid's sync answer has no next_cursor or has_more")
        }
        let records = (Self.objects(body["added"]) + Self.objects(body["modified"])).map(Self.transaction)
        let removed = Self.objects(body["removed"]).compactMap { Self.string($0["transaction_id"]) }
        if hasMore {
            return RecordPage(records: records, deletedIDs: removed, nextCursor: PlaidListCursor(start: cursor.start, next: next).encoded)
        }
        return RecordPage(records: records, deletedIDs: removed, nextCursor: nil, checkpoint: next)
    }

    static func transaction(_ object: [String: JSONValue]) -> ProviderRecord {
        ProviderRecord(externalID: string(object["transaction_id"]) ?? "", updatedAt: nil, payload: .object(object))
    }

    static func account(_ object: [String: JSONValue]) -> ProviderRecord {
        ProviderRecord(externalID: string(object["account_id"]) ?? "", updatedAt: nil, payload: .object(object))
    }
}
