import HubCore

/// Reading and writing single objects. Bodies are the Accounting API's own objects; answers wrap
/// them in the object name (`{"Invoice": {…}, "time": …}`).
///
/// Updates are sparse (only the fields given change) and carry the `SyncToken`: the caller's
/// when it gives one, else the current one, read just before. A stale token — the object
/// changed since it was read — is a `conflict`, never an overwrite. Writes carry the caller's
/// idempotency key as Intuit's `requestid`, so a retried create returns the first result.
extension QuickBooksConnector: DataConnector {
    public func get(_ entity: String, id: String) async throws(ConnectorError) -> ProviderRecord {
        let object = try object(entity, allowing: .read)
        let json = try await call(.GET, "\(object.lowercased())/\(try Self.pathID(id, entity))", entity: entity, id: id)
        return try Self.record(try Self.unwrap(json, object), entity: entity)
    }

    public func create(_ entity: String, fields: JSONValue, idempotencyKey: String?) async throws(ConnectorError) -> ProviderRecord {
        let object = try object(entity, allowing: .create)
        guard case .object(var body) = fields else { throw .validation(message: "fields must be an object", field: nil) }
        for member in ["Id", "SyncToken", "MetaData", "sparse"] { body[member] = nil }
        Self.completeLines(&body)
        let json = try await write(object, body: .object(body), entity: entity, id: nil, idempotencyKey: idempotencyKey)
        return try Self.record(try Self.unwrap(json, object), entity: entity)
    }

    public func update(_ entity: String, id: String, fields: JSONValue, idempotencyKey: String?) async throws(ConnectorError) -> ProviderRecord {
        let object = try object(entity, allowing: .update)
        guard case .object(var body) = fields else { throw .validation(message: "fields must be an object", field: nil) }
        body["MetaData"] = nil
        body["Id"] = .string(try Self.pathID(id, entity))
        body["sparse"] = .bool(true)
        Self.completeLines(&body)
        if body["SyncToken"]?.idText == nil {
            body["SyncToken"] = try await currentSyncToken(entity, object: object, id: id)
        }
        let json = try await write(object, body: .object(body), entity: entity, id: id, idempotencyKey: idempotencyKey)
        return try Self.record(try Self.unwrap(json, object), entity: entity)
    }

    /// Deletes a transaction (name lists are made inactive with an update instead).
    public func delete(_ entity: String, id: String) async throws(ConnectorError) {
        let object = try object(entity, allowing: .delete)
        let token = try await currentSyncToken(entity, object: object, id: id)
        let body: JSONValue = ["Id": .string(try Self.pathID(id, entity)), "SyncToken": token]
        _ = try await call(
            .POST,
            object.lowercased(),
            query: [("operation", "delete")],
            body: body,
            entity: entity,
            id: id,
            isIdempotent: false
        )
    }

    private func write(
        _ object: String,
        body: JSONValue,
        entity: String,
        id: String?,
        idempotencyKey: String?
    ) async throws(ConnectorError)
        -> JSONValue
    {
        // Intuit's requestid makes a write safe to repeat; without one it is sent once.
        let query = idempotencyKey.map { [("requestid", String($0.prefix(50)))] } ?? []
        return try await call(.POST, object.lowercased(), query: query, body: body, entity: entity, id: id, isIdempotent: idempotencyKey != nil)
    }

    private func currentSyncToken(_ entity: String, object: String, id: String) async throws(ConnectorError) -> JSONValue {
        let current = try await get(entity, id: id)
        guard let token = current.payload["SyncToken"]?.idText else {
            throw .invalidResponse("QuickBooks' \(object) \(id) has no SyncToken")
        }
        return .string(token)
    }

    /// The detail objects a line can carry, each named by the `DetailType` of the same name.
    static let lineDetails = [
        "SalesItemLineDetail", "AccountBasedExpenseLineDetail", "ItemBasedExpenseLineDetail", "DiscountLineDetail",
        "SubTotalLineDetail", "GroupLineDetail", "DescriptionLineDetail",
    ]

    /// Names each line's `DetailType` after the detail object it carries, when the caller (a
    /// mapping's canonical lines) did not: QuickBooks requires it on every line.
    static func completeLines(_ body: inout [String: JSONValue]) {
        guard case .array(var lines)? = body["Line"] else { return }
        for index in lines.indices {
            guard case .object(var line) = lines[index], line["DetailType"] == nil else { continue }
            guard let detail = lineDetails.first(where: { line[$0]?.objectValue != nil }) else { continue }
            line["DetailType"] = .string(detail == "DescriptionLineDetail" ? "DescriptionOnly" : detail)
            lines[index] = .object(line)
        }
        body["Line"] = .array(lines)
    }

    /// The object wrapped as `{"Invoice": {…}}` in an answer.
    static func unwrap(_ json: JSONValue, _ object: String) throws(ConnectorError) -> JSONValue {
        guard let inner = json[object], case .object = inner else { throw .invalidResponse("QuickBooks' answer has no \(object) object") }
        return inner
    }
}
