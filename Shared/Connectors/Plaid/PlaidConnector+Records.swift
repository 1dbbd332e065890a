import HubCore

/// The generic calls: Plaid is read-only, and reads one account by id; transactions have no
/// lookup by id in Plaid's API, so they are only listed.
extension PlaidConnector: DataConnector {
    public static let apiBaseURL = "https://production.plaid.com"

    /// `/item/remove`: the access token dies and Plaid stops billing for the Item.
    public func revokeAccess() async throws(ConnectorError) -> Bool {
        try await removeItem()
        return true
    }

    /// `/item/get`: the Item id routes webhooks to this connection.
    public func testConnection() async throws(ConnectorError) -> ConnectionCheck {
        let body = try await call("item/get", entity: "item")
        guard case .object(let item)? = body["item"], let itemID = Self.string(item["item_id"]) else {
            throw .invalidResponse("Plaid's item answer has no item_id")
        }
        return ConnectionCheck(accountID: itemID, accountName: Self.string(item["institution_name"]) ?? Self.string(item["institution_id"]))
    }

    public func get(_ entity: String, id: String) async throws(ConnectorError) -> ProviderRecord {
        _ = try entityDefinition(entity, allowing: .read)
        guard entity == "bank_accounts" else {
            throw .unsupported("Plaid has no lookup of one transaction by id; list bank_transactions instead")
        }
        let body = try await call("accounts/get", ["options": .object(["account_ids": .array([.string(id)])])], entity: entity, id: id)
        guard let account = Self.objects(body["accounts"]).first(where: { Self.string($0["account_id"]) == id }) else {
            throw .notFound(entity: entity, id: id)
        }
        return Self.account(account)
    }

    public func create(_ entity: String, fields: JSONValue, idempotencyKey: String?) async throws(ConnectorError) -> ProviderRecord {
        _ = try entityDefinition(entity, allowing: .create)
        throw .unsupported("Plaid is read-only")
    }

    public func update(_ entity: String, id: String, fields: JSONValue, idempotencyKey: String?) async throws(ConnectorError) -> ProviderRecord {
        _ = try entityDefinition(entity, allowing: .update)
        throw .unsupported("Plaid is read-only")
    }

    public func delete(_ entity: String, id: String) async throws(ConnectorError) {
        _ = try entityDefinition(entity, allowing: .delete)
        throw .unsupported("Plaid is read-only")
    }
}
