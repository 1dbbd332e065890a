import HubCore
import NIOHTTP1

/// Pushing up to 200 records a call through sObject Collections, `allOrNone` false, so each
/// record succeeds or fails on its own and the answer (in the order sent) says which:
///
/// - creates upsert on `Hub_External_Id__c` (`PATCH /composite/sobjects/{Object}/Hub_External_Id__c`)
///   with the hub's id for the record, so a batch repeated after a lost answer updates what the
///   first attempt made;
/// - updates `PATCH /composite/sobjects`, each record naming its `id`;
/// - deletes `DELETE /composite/sobjects?ids=…`.
///
/// The written records are read back with one SOQL query (`WHERE Id IN (…)`), so each outcome
/// has the listing's shape, as a single write's `get` gives.
extension SalesforceConnector: BatchPushingConnector {
    /// sObject Collections' limit.
    public static let largestBatch = 200

    public func push(
        _ entity: String,
        _ operation: BatchWrite.Operation,
        _ writes: [BatchWrite]
    ) async throws(ConnectorError) -> [Result<ProviderRecord?, ConnectorError>] {
        try Self.checkSize(writes)
        let definition = try entityDefinition(entity, allowing: operation.entityOperation)
        let object = definition.providerObject
        var batch = BatchInputs(writes) { (_, write) throws(ConnectorError) -> JSONValue in
            switch operation {
            case .create:
                var body = try Self.creatable(write.fields, definition)
                body["attributes"] = ["type": .string(object)]
                body[Self.externalIDField] = .string(String(write.externalKey.prefix(255)))
                return .object(body)
            case .update:
                var body = try Self.writable(write.fields, definition)
                body["attributes"] = ["type": .string(object)]
                body["id"] = .string(try Self.pathID(write.id ?? "", entity))
                return .object(body)
            case .delete:
                return .string(try Self.pathID(write.id ?? "", entity))
            }
        }
        let (sent, records) = (batch.sent, batch.inputs)
        guard !sent.isEmpty else { return batch.finished() }
        let ids = sent.map { writes[$0].id }
        let results: [Result<String, ConnectorError>]
        switch operation {
        case .create:
            let path = "composite/sobjects/\(object)/\(Self.externalIDField)"
            results = try await collectionResults(.PATCH, path, records: records, ids: ids, entity: entity, isIdempotent: true)
        case .update:
            results = try await collectionResults(.PATCH, "composite/sobjects", records: records, ids: ids, entity: entity, isIdempotent: true)
        case .delete:
            let list = records.compactMap(\.stringValue).joined(separator: ",")
            results = try await collectionResults(
                .DELETE,
                "composite/sobjects",
                query: [("ids", list), ("allOrNone", "false")],
                ids: ids,
                entity: entity,
                isIdempotent: true
            )
        }
        var written: [String: ProviderRecord] = [:]
        if operation != .delete { written = try await read(definition, ids: results.compactMap { try? $0.get() }) }
        for (position, result) in results.enumerated() {
            let index = sent[position]
            switch result {
            case .failure(let error): batch.outcomes[index] = .failure(error)
            case .success where operation == .delete: batch.outcomes[index] = .success(nil)
            case .success(let id):
                batch.outcomes[index] = written[id].map { .success($0) } ?? .failure(.notFound(entity: entity, id: id))
            }
        }
        return batch.finished()
    }

    /// One sObject Collections call: per record sent, its id or its own error classified.
    /// `ids` names the records for `notFound` (nil for creates).
    func collectionResults(
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)] = [],
        records: [JSONValue]? = nil,
        ids: [String?],
        entity: String,
        isIdempotent: Bool
    ) async throws(ConnectorError) -> [Result<String, ConnectorError>] {
        let body: JSONValue? = records.map { ["allOrNone": false, "records": .array($0)] }
        let response = try await call(method, path, query: query, body: body, entity: entity, isIdempotent: isIdempotent)
        guard let results = try Self.json(response)?.arrayValue, results.count == ids.count else {
            throw .invalidResponse("Salesforce answered a collection call of \(ids.count) records with another number of results")
        }
        return zip(results, ids).map { result, id -> Result<String, ConnectorError> in
            if result["success"]?.boolValue == true, let written = result["id"]?.stringValue ?? id {
                return .success(written)
            }
            let detail = result["errors"]?.arrayValue?.first.flatMap(SalesforceErrorMapper.detail)
            return .failure(
                detail.map { SalesforceErrorMapper.classify($0, entity: entity, id: id) }
                    ?? .invalidResponse("Salesforce refused a \(entity) record without saying why")
            )
        }
    }

    /// The records of `ids` as the listing reads them, by id: one SOQL query, following
    /// `nextRecordsUrl` should Salesforce answer in several batches.
    func read(_ definition: EntityDefinition, ids: [String]) async throws(ConnectorError) -> [String: ProviderRecord] {
        guard !ids.isEmpty else { return [:] }
        let list = ids.map { "'\($0)'" }.joined(separator: ",")
        let soql = "SELECT \(Self.selectList(definition)) FROM \(definition.providerObject) WHERE Id IN (\(list))"
        var records: [String: ProviderRecord] = [:]
        var json = try Self.json(await call(.GET, "query", query: [("q", soql)], entity: definition.name))
        while true {
            for object in json?["records"]?.arrayValue ?? [] {
                let record = try Self.record(object, entity: definition.name)
                records[record.externalID] = record
            }
            guard json?["done"]?.boolValue == false, let next = json?["nextRecordsUrl"]?.stringValue else { return records }
            json = try Self.json(await call(.GET, next, entity: definition.name))
        }
    }
}
