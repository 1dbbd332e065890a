import Foundation
import HubCore
import NIOHTTP1

/// Reading and writing single records (the sync worker pushes up to 200 a call through `push`,
/// SalesforceConnector+Batch). Reads are a SOQL query by `Id`, so a record has the
/// listing's shape (an opportunity its line items). Writes go through sObject Collections
/// (`/composite/sobjects`, `allOrNone` false), whose per-record errors become `validation` errors
/// with Salesforce's message and field, so a refused record is an error sample, not a failed job.
///
/// Salesforce honours no idempotency key, so a create with one is an upsert on the external-id
/// field `Hub_External_Id__c` (`PATCH /composite/sobjects/{Object}/Hub_External_Id__c`): a retried
/// create finds the record the first attempt made instead of making a second. The org needs that
/// custom field (text, External ID, unique) on every object the hub creates.
extension SalesforceConnector: DataConnector {
    /// The custom external-id field creates upsert on.
    public static let externalIDField = "Hub_External_Id__c"

    public func get(_ entity: String, id: String) async throws(ConnectorError) -> ProviderRecord {
        let definition = try entityDefinition(entity, allowing: .read)
        let soql = "SELECT \(Self.selectList(definition)) FROM \(definition.providerObject) WHERE Id = '\(try Self.pathID(id, entity))'"
        let json = try Self.json(await call(.GET, "query", query: [("q", soql)], entity: entity, id: id))
        guard let first = json?["records"]?.arrayValue?.first else { throw .notFound(entity: entity, id: id) }
        return try Self.record(first, entity: entity)
    }

    public func create(_ entity: String, fields: JSONValue, idempotencyKey: String?) async throws(ConnectorError) -> ProviderRecord {
        let definition = try entityDefinition(entity, allowing: .create)
        var body = try Self.creatable(fields, definition)
        body["attributes"] = ["type": .string(definition.providerObject)]
        let id: String
        if let idempotencyKey {
            body[Self.externalIDField] = .string(String(idempotencyKey.prefix(255)))
            id = try await collection(
                .PATCH,
                "composite/sobjects/\(definition.providerObject)/\(Self.externalIDField)",
                body,
                entity: entity,
                id: nil,
                isIdempotent: true
            )
        } else {
            id = try await collection(.POST, "composite/sobjects", body, entity: entity, id: nil, isIdempotent: false)
        }
        return try await get(entity, id: id)
    }

    public func update(_ entity: String, id: String, fields: JSONValue, idempotencyKey: String?) async throws(ConnectorError) -> ProviderRecord {
        let definition = try entityDefinition(entity, allowing: .update)
        var body = try Self.writable(fields, definition)
        body["attributes"] = ["type": .string(definition.providerObject)]
        body["id"] = .string(try Self.pathID(id, entity))
        // Setting the same fields twice leaves the same record: safe to repeat.
        _ = try await collection(.PATCH, "composite/sobjects", body, entity: entity, id: id, isIdempotent: true)
        return try await get(entity, id: id)
    }

    public func delete(_ entity: String, id: String) async throws(ConnectorError) {
        let object = try object(entity, allowing: .delete)
        try await call(.DELETE, "sobjects/\(object)/\(try Self.pathID(id, entity))", entity: entity, id: id)
    }

    /// One record through sObject Collections: its id, or its error classified.
    private func collection(
        _ method: HTTPMethod,
        _ path: String,
        _ record: [String: JSONValue],
        entity: String,
        id: String?,
        isIdempotent: Bool
    ) async throws(ConnectorError) -> String {
        let results = try await collectionResults(method, path, records: [.object(record)], ids: [id], entity: entity, isIdempotent: isIdempotent)
        return try results[0].get()
    }

    /// The fields a write may send: the caller's, without those Salesforce sets itself (ids,
    /// audit times, computed fields, the line items read through the sub-query).
    static func writable(_ fields: JSONValue, _ definition: EntityDefinition) throws(ConnectorError) -> [String: JSONValue] {
        guard case .object(var body) = fields else { throw .validation(message: "fields must be an object", field: nil) }
        for field in definition.fields where field.readOnly { body[field.name] = nil }
        for member in ["attributes", "Id", "id", lineItemsRelationship, "SystemModstamp"] { body[member] = nil }
        return body
    }

    /// The fields a create sends: `writable`, with the defaults an object requires that the
    /// hub's canonical records may lack (an order starts today as a draft).
    static func creatable(_ fields: JSONValue, _ definition: EntityDefinition, now: Date = Date()) throws(ConnectorError) -> [String: JSONValue] {
        var body = try writable(fields, definition)
        if definition.providerObject == "Order" {
            if body["EffectiveDate"] == nil || body["EffectiveDate"] == .null {
                body["EffectiveDate"] = ISOTimestamp.dateString(unix: now.timeIntervalSince1970).map(JSONValue.string) ?? .null
            }
            if body["Status"] == nil || body["Status"] == .null { body["Status"] = "Draft" }
        }
        return body
    }
}
