import HubCore

/// Reading and writing single objects.
///
/// Invoices are created as drafts (`POST /v2/invoicing/invoices`) carrying the caller's
/// idempotency key as `PayPal-Request-Id`, so a retried create answers the invoice the first one
/// made. PayPal's update (`PUT`) replaces the whole invoice, so the given fields are laid over the
/// invoice as it is now. Payments are read by id through Transaction Search over the last 31 days
/// (PayPal has no lookup by id without a date range); disputes by id.
extension PayPalConnector: DataConnector {
    public func get(_ entity: String, id: String) async throws(ConnectorError) -> ProviderRecord {
        _ = try entityDefinition(entity, allowing: .read)
        let safe = try Self.pathID(id, entity)
        switch entity {
        case "invoices":
            let json = try await call(.GET, "/v2/invoicing/invoices/\(safe)", entity: entity, id: id)
            return try Self.record(json, entity: entity, idPath: "id", updatedPath: "detail.metadata.last_update_time")
        case "disputes":
            let json = try await call(.GET, "/v1/customer/disputes/\(safe)", entity: entity, id: id)
            return try Self.record(json, entity: entity, idPath: "dispute_id", updatedPath: "update_time")
        default:
            let until = Self.now
            let json = try await call(
                .GET,
                "/v1/reporting/transactions",
                query: [
                    ("start_date", Self.timestamp(until - Self.longestWindow)), ("end_date", Self.timestamp(until)),
                    ("transaction_id", safe), ("fields", "all"),
                ],
                entity: entity,
                id: id
            )
            guard let detail = json["transaction_details"]?.arrayValue?.first else { throw .notFound(entity: entity, id: id) }
            return try Self.record(
                detail,
                entity: entity,
                idPath: "transaction_info.transaction_id",
                updatedPath: "transaction_info.transaction_updated_date"
            )
        }
    }

    public func create(_ entity: String, fields: JSONValue, idempotencyKey: String?) async throws(ConnectorError) -> ProviderRecord {
        _ = try entityDefinition(entity, allowing: .create)
        guard case .object = fields else { throw .validation(message: "fields must be an object", field: nil) }
        // PayPal keeps request ids of up to 108 characters.
        let requestID = idempotencyKey.map { [("PayPal-Request-Id", String($0.prefix(108)))] } ?? []
        let json = try await call(
            .POST,
            "/v2/invoicing/invoices",
            body: Self.writable(fields),
            headers: requestID + [("Prefer", "return=representation")],
            entity: entity,
            isIdempotent: idempotencyKey != nil
        )
        return try Self.record(json, entity: entity, idPath: "id", updatedPath: "detail.metadata.last_update_time")
    }

    public func update(_ entity: String, id: String, fields: JSONValue, idempotencyKey: String?) async throws(ConnectorError) -> ProviderRecord {
        _ = try entityDefinition(entity, allowing: .update)
        guard case .object = fields else { throw .validation(message: "fields must be an object", field: nil) }
        let safe = try Self.pathID(id, entity)
        let current = try await get(entity, id: id)
        let json = try await call(
            .PUT,
            "/v2/invoicing/invoices/\(safe)",
            body: Self.writable(Self.merge(current.payload, fields)),
            headers: [("Prefer", "return=representation")],
            entity: entity,
            id: id
        )
        return try Self.record(json, entity: entity, idPath: "id", updatedPath: "detail.metadata.last_update_time")
    }

    /// Deletes a draft invoice (PayPal refuses to delete a sent one: cancel it there).
    public func delete(_ entity: String, id: String) async throws(ConnectorError) {
        _ = try entityDefinition(entity, allowing: .delete)
        _ = try await call(.DELETE, "/v2/invoicing/invoices/\(try Self.pathID(id, entity))", entity: entity, id: id, isIdempotent: true)
    }

    /// The parts of an invoice a caller writes: PayPal computes the rest. Every amount PayPal
    /// takes is a Money object that names its currency; the canonical lines carry the amount only,
    /// so each item's `unit_amount` gets the invoice's currency.
    static func writable(_ fields: JSONValue) -> JSONValue {
        guard case .object(var object) = fields else { return fields }
        for computed in ["id", "status", "amount", "due_amount", "payments", "refunds", "links"] { object[computed] = nil }
        if case .object(var detail)? = object["detail"] {
            detail["metadata"] = nil
            object["detail"] = .object(detail)
        }
        if let currency = object["detail"]?["currency_code"], case .array(let items)? = object["items"] {
            object["items"] = .array(
                items.map { item in
                    guard case .object(var line) = item, case .object(var amount)? = line["unit_amount"] else { return item }
                    if amount["currency_code"] == nil { amount["currency_code"] = currency }
                    line["unit_amount"] = .object(amount)
                    return .object(line)
                }
            )
        }
        return .object(object)
    }

    /// `changes` laid over `base`, objects merged member by member, anything else replaced.
    static func merge(_ base: JSONValue, _ changes: JSONValue) -> JSONValue {
        guard case .object(var merged) = base, case .object(let new) = changes else { return changes }
        for (key, value) in new { merged[key] = merged[key].map { merge($0, value) } ?? value }
        return .object(merged)
    }
}
