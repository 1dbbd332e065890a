import HubCore
import Hummingbird

/// sObject Collections under `/services/data/vXX.X/composite/sobjects`: up to 200 records a call,
/// each answered on its own (`[{"id","success","errors":[{"statusCode","message","fields"}]}]`).
/// With `allOrNone` one failure rolls every record back.
///
/// - `POST` creates (each record names its type in `attributes.type`); `PATCH` updates (each
///   carries `id`); `DELETE ?ids=…` deletes.
/// - `PATCH /{type}/{externalIdField}` upserts on the field, answering `created` per record.
struct SalesforceCollections {
    let routes: SalesforceRoutes

    static let largest = 200

    func add(to group: RouterGroup<SandboxContext>) {
        group.post(":version/composite/sobjects") { request, context in
            await routes.serve(request, context) { org, _ in
                let (records, allOrNone) = try await Self.batch(request, context)
                return try run(org, records, allOrNone: allOrNone) { org, record throws(SalesforceAPIError) in
                    let type = try Self.type(of: record)
                    return (try org.create(type, record), nil)
                }
            }
        }
        group.patch(":version/composite/sobjects") { request, context in
            await routes.serve(request, context) { org, _ in
                let (records, allOrNone) = try await Self.batch(request, context)
                return try run(org, records, allOrNone: allOrNone) { org, record throws(SalesforceAPIError) in
                    let type = try Self.type(of: record)
                    guard let id = record["id"]?.stringValue ?? record["Id"]?.stringValue else {
                        throw SalesforceAPIError.badRequest("MISSING_ARGUMENT", "Id not specified in an update call", fields: ["Id"])
                    }
                    var fields = record
                    fields["id"] = nil
                    fields["Id"] = nil
                    try org.update(type, id: id, fields)
                    return (id, nil)
                }
            }
        }
        group.delete(":version/composite/sobjects") { request, context in
            await routes.serve(request, context) { org, _ in
                let parameters = FormParameters.query(of: request)
                let ids = (parameters["ids"] ?? "").split(separator: ",").map(String.init)
                guard ids.count <= Self.largest else { throw Self.tooMany }
                let records = ids.map { JSONObject(dictionaryLiteral: ("id", .string($0))) }
                return try run(org, records, allOrNone: parameters["allOrNone"] == "true") { org, record throws(SalesforceAPIError) in
                    let id = record["id"]?.stringValue ?? ""
                    guard let type = SalesforceObjectType.all.first(where: { id.hasPrefix($0.keyPrefix) }) else {
                        throw SalesforceAPIError.badRequest("MALFORMED_ID", "malformed id \(id)")
                    }
                    try org.delete(type, id: id)
                    return (id, nil)
                }
            }
        }
        group.patch(":version/composite/sobjects/:type/:field") { request, context in
            await routes.serve(request, context) { org, _ in
                let type = try SalesforceRoutes.type(context)
                let field = try context.parameters.require("field")
                let (records, allOrNone) = try await Self.batch(request, context)
                return try run(org, records, allOrNone: allOrNone) { org, record throws(SalesforceAPIError) in
                    if let named = record["attributes"]?["type"]?.stringValue, named.lowercased() != type.name.lowercased() {
                        throw SalesforceAPIError.badRequest("INVALID_TYPE", "Records of type \(named) cannot be upserted as \(type.name)")
                    }
                    guard let value = record[field]?.stringValue ?? record[field]?.integer.map(String.init), !value.isEmpty else {
                        throw SalesforceAPIError.badRequest("MISSING_ARGUMENT", "\(field) not specified", fields: [field])
                    }
                    var fields = record
                    fields[field] = nil
                    let (id, created) = try org.upsert(type, field: field, value: value, fields)
                    return (id, created)
                }
            }
        }
    }

    static let tooMany = SalesforceAPIError.badRequest(
        "EXCEEDED_ID_LIMIT",
        "record limit reached. cannot submit more than \(largest) records into this call"
    )

    static func batch(_ request: Request, _ context: SandboxContext) async throws -> ([JSONObject], Bool) {
        let body = try await SalesforceRoutes.object(request, context)
        guard let records = body["records"]?.arrayValue?.compactMap(\.objectValue) else {
            throw SalesforceAPIError.badRequest("INVALID_FIELD", "No records were given", fields: ["records"])
        }
        guard records.count <= largest else { throw tooMany }
        return (records, body["allOrNone"]?.boolValue ?? false)
    }

    static func type(of record: JSONObject) throws(SalesforceAPIError) -> SalesforceObjectType {
        guard let name = record["attributes"]?["type"]?.stringValue else {
            throw SalesforceAPIError.badRequest("INVALID_TYPE", "Must send a concrete entity type.")
        }
        guard let type = SalesforceObjectType.named(name) else { throw SalesforceAPIError.invalidType("sObject type '\(name)' is not supported.") }
        return type
    }

    /// Applies `write` to each record in order; with `allOrNone`, a failure restores the org and
    /// reports every other record as rolled back.
    func run(
        _ orgID: String,
        _ records: [JSONObject],
        allOrNone: Bool,
        _ write: (inout SalesforceOrg, JSONObject) throws(SalesforceAPIError) -> (String, Bool?)
    ) throws -> SalesforceReply {
        let results = try routes.provider.store.withOrg(orgID) { org throws(SalesforceAPIError) -> [JSONValue] in
            let before = org
            var outcomes: [Result<(String, Bool?), SalesforceAPIError>] = []
            for record in records {
                do throws(SalesforceAPIError) {
                    outcomes.append(.success(try write(&org, record)))
                } catch {
                    outcomes.append(.failure(error))
                }
            }
            let failed = outcomes.contains { if case .failure = $0 { true } else { false } }
            if allOrNone && failed { org = before }
            return outcomes.map { outcome -> JSONValue in
                switch outcome {
                case .success(let (id, created)):
                    if allOrNone && failed {
                        let rolledBack = SalesforceAPIError.badRequest(
                            "ALL_OR_NONE_OPERATION_ROLLED_BACK",
                            "Record rolled back because not all records were valid and the request was using AllOrNone header"
                        )
                        return ["id": .null, "success": false, "errors": [rolledBack.collectionElement]]
                    }
                    var result: JSONObject = ["id": .string(id), "success": true, "errors": []]
                    if let created { result["created"] = .bool(created) }
                    return .object(result)
                case .failure(let error):
                    return ["id": .null, "success": false, "errors": [error.collectionElement]]
                }
            }
        }
        return .json(.array(results))
    }
}
