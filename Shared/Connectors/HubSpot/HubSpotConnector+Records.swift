import Foundation
import HubCore

/// Reading and writing single objects through HubSpot's batch endpoints
/// (`/crm/v3/objects/{type}/batch/{upsert|create|update|archive}`), whose answers name every
/// refused input (207 Multi-Status with `errors`): a refusal becomes the record's own error
/// (`validation`, or `conflict` for a taken unique value), never a failed job. Each call here
/// holds one input; the sync worker pushes up to 100 a call through `push` (HubSpotConnector+Batch).
///
/// HubSpot takes no idempotency key. A create with one is an upsert on the custom unique
/// property `logiaccounting_id` set to the key: a retried create whose first answer was lost
/// finds the object it made instead of making a second. Updates and archives are safe to repeat.
extension HubSpotConnector: DataConnector {
    /// The custom unique property the hub's idempotency keys live in.
    static let externalIDProperty = "logiaccounting_id"

    public func get(_ entity: String, id: String) async throws(ConnectorError) -> ProviderRecord {
        let definition = try object(entity, allowing: .read)
        var query = [("properties", HubSpotEntities.properties(definition).joined(separator: ","))]
        let associations = HubSpotEntities.associations(definition)
        if !associations.isEmpty { query.append(("associations", associations.joined(separator: ","))) }
        let path = "crm/v3/objects/\(definition.providerObject)/\(try Self.pathID(id, entity))"
        let (json, _) = try await call(.GET, path, query: query, entity: entity, id: id)
        return try Self.record(try await withLineItems([json], definition).first ?? json)
    }

    public func create(_ entity: String, fields: JSONValue, idempotencyKey: String?) async throws(ConnectorError) -> ProviderRecord {
        let definition = try object(entity, allowing: .create)
        var properties = try Self.properties(fields)
        let wanted = try await checkedAssociations(fields, definition)
        let written: JSONValue
        if let key = idempotencyKey {
            properties[Self.externalIDProperty] = .string(key)
            let input: JSONValue = ["idProperty": .string(Self.externalIDProperty), "id": .string(key), "properties": .object(properties)]
            written = try await batch(definition, "upsert", input, id: nil, isIdempotent: true)
        } else {
            written = try await batch(definition, "create", ["properties": .object(properties)], id: nil, isIdempotent: false)
        }
        return try await settled(written, wanted, definition)
    }

    public func update(_ entity: String, id: String, fields: JSONValue, idempotencyKey: String?) async throws(ConnectorError) -> ProviderRecord {
        let definition = try object(entity, allowing: .update)
        let input: JSONValue = ["id": .string(try Self.pathID(id, entity)), "properties": .object(try Self.properties(fields))]
        let wanted = try await checkedAssociations(fields, definition)
        return try await settled(try await batch(definition, "update", input, id: id, isIdempotent: true), wanted, definition)
    }

    /// The associations `fields` ask for, once HubSpot is known to have every object they name.
    func checkedAssociations(_ fields: JSONValue, _ definition: EntityDefinition) async throws(ConnectorError) -> [String: [String]] {
        let wanted = Self.wantedAssociations(fields, definition)
        guard !wanted.isEmpty else { return wanted }
        if let refusal = Self.refusal(wanted, absent: try await absentAssociations([wanted], definition), definition) { throw refusal }
        return wanted
    }

    /// A written object with the associations asked for, read back as a listing has it.
    func settled(_ object: JSONValue, _ wanted: [String: [String]], _ definition: EntityDefinition) async throws(ConnectorError) -> ProviderRecord {
        try Self.record(try await settle([object], wanting: [wanted], definition).first ?? object)
    }

    public func delete(_ entity: String, id: String) async throws(ConnectorError) {
        let definition = try object(entity, allowing: .delete)
        _ = try await call(
            .POST,
            "crm/v3/objects/\(definition.providerObject)/batch/archive",
            body: ["inputs": [["id": .string(try Self.pathID(id, entity))]]],
            entity: entity,
            id: id,
            isIdempotent: true
        )
    }

    /// One input through a batch endpoint: its result, or its own error from `errors`.
    func batch(
        _ definition: EntityDefinition,
        _ action: String,
        _ input: JSONValue,
        id: String?,
        isIdempotent: Bool
    ) async throws(ConnectorError)
        -> JSONValue
    {
        let (json, _) = try await call(
            .POST,
            "crm/v3/objects/\(definition.providerObject)/batch/\(action)",
            body: ["inputs": [input]],
            entity: definition.name,
            id: id,
            isIdempotent: isIdempotent
        )
        if let result = json["results"]?.arrayValue?.first { return result }
        if let error = json["errors"]?.arrayValue?.first { throw Self.inputError(error, entity: definition.name, id: id) }
        throw .invalidResponse("HubSpot's batch answer holds no result")
    }

    /// A refused input of a multi-status answer, classified as the same refusal of a single call.
    static func inputError(_ error: JSONValue, entity: String, id: String?) -> ConnectorError {
        let message = HubSpotErrorMapper.message(error) ?? "HubSpot refused the record"
        switch error["category"]?.stringValue {
        case "OBJECT_NOT_FOUND": return .notFound(entity: entity, id: id ?? "")
        case "CONFLICT": return .conflict(message)
        default: return .validation(message: message, field: nil)
        }
    }

    /// The `properties` of mapped fields, every value as HubSpot stores it (text, or null to clear).
    static func properties(_ fields: JSONValue) throws(ConnectorError) -> [String: JSONValue] {
        guard case .object(let object) = fields else { throw .validation(message: "fields must be an object", field: nil) }
        guard case .object(let properties)? = object["properties"] else { return [:] }
        return properties.mapValues { value in
            switch value {
            case .number(let number): .string(number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number))
            case .bool(let flag): .string(String(flag))
            default: value
            }
        }
    }
}
