import HubCore

/// Pushing up to 100 objects a call through HubSpot's batch endpoints: creates as
/// `batch/upsert` on `logiaccounting_id` set to the hub's id for the record (a batch repeated
/// after a lost answer updates what the first attempt made), updates as `batch/update`, deletes
/// as `batch/archive`. HubSpot answers a partly refused batch 207 Multi-Status, and its results
/// need not follow the inputs' order: each input carries its position as `objectWriteTraceId`,
/// which HubSpot echoes on its result and names in the `context` of its error. The written
/// objects' associations are then set as their fields ask (HubSpotConnector+Associations).
extension HubSpotConnector: BatchPushingConnector {
    /// HubSpot's batch limit.
    public static let largestBatch = 100

    public func push(
        _ entity: String,
        _ operation: BatchWrite.Operation,
        _ writes: [BatchWrite]
    ) async throws(ConnectorError) -> [Result<ProviderRecord?, ConnectorError>] {
        try Self.checkSize(writes)
        let definition = try object(entity, allowing: operation.entityOperation)
        let wanted = operation == .delete ? writes.map { _ in [:] } : writes.map { Self.wantedAssociations($0.fields, definition) }
        let absent = try await absentAssociations(wanted, definition)
        var batch = BatchInputs(writes) { (index, write) throws(ConnectorError) in
            if let refusal = Self.refusal(wanted[index], absent: absent, definition) { throw refusal }
            return try Self.input(write, operation, trace: String(index), entity: entity)
        }
        guard !batch.inputs.isEmpty else { return batch.finished() }
        let action =
            switch operation {
            case .create: "upsert"
            case .update: "update"
            case .delete: "archive"
            }
        let (json, _) = try await call(
            .POST,
            "crm/v3/objects/\(definition.providerObject)/batch/\(action)",
            body: ["inputs": .array(batch.inputs)],
            entity: entity,
            isIdempotent: true
        )
        // Archive answers 204 whatever existed: every input is gone.
        if operation == .delete { return batch.finished() }
        var written: [(index: Int, object: JSONValue)] = []
        for result in json["results"]?.arrayValue ?? [] {
            guard let index = Self.position(result["objectWriteTraceId"], of: writes.count) else { continue }
            written.append((index, result))
        }
        for error in json["errors"]?.arrayValue ?? [] {
            for trace in error["context"]?["objectWriteTraceId"]?.arrayValue ?? [] {
                guard let index = Self.position(trace, of: writes.count) else { continue }
                batch.outcomes[index] = .failure(Self.inputError(error, entity: entity, id: writes[index].id))
            }
        }
        let settled = try await settle(written.map(\.object), wanting: written.map { wanted[$0.index] }, definition)
        for ((index, _), object) in zip(written, settled) {
            batch.outcomes[index] = Result { () throws(ConnectorError) -> ProviderRecord? in try Self.record(object) }
        }
        return batch.finished(unanswered: .failure(.invalidResponse("HubSpot's batch answer says nothing of one \(entity) record")))
    }

    /// One batch input: an upsert on `logiaccounting_id` for a create, the object's id otherwise.
    static func input(_ write: BatchWrite, _ operation: BatchWrite.Operation, trace: String, entity: String) throws(ConnectorError) -> JSONValue {
        switch operation {
        case .create:
            var values = try properties(write.fields)
            values[externalIDProperty] = .string(write.externalKey)
            return [
                "idProperty": .string(externalIDProperty), "id": .string(write.externalKey), "properties": .object(values),
                "objectWriteTraceId": .string(trace),
            ]
        case .update:
            let id = try pathID(write.id ?? "", entity)
            return ["id": .string(id), "properties": .object(try properties(write.fields)), "objectWriteTraceId": .string(trace)]
        case .delete:
            return ["id": .string(try pathID(write.id ?? "", entity))]
        }
    }

    /// The input position an `objectWriteTraceId` names, when it names one of `count`.
    static func position(_ trace: JSONValue?, of count: Int) -> Int? {
        guard let index = trace?.idText.flatMap(Int.init), (0..<count).contains(index) else { return nil }
        return index
    }
}
