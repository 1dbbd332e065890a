import Foundation
import HubCore
import NIOHTTP1

/// Reading and writing single objects. `PUT` creates and `POST /{Resource}/{id}` updates, each
/// with an `Idempotency-Key` (the hub's, or one made per call and kept across the transport's
/// retries), so a write whose answer was lost is retried without creating a second invoice.
/// Deleting is a status change in Xero (drafts `DELETED`, approved documents `VOIDED`, contacts
/// and accounts `ARCHIVED`); only items are deleted outright.
extension XeroConnector: DataConnector {
    public func get(_ entity: String, id: String) async throws(ConnectorError) -> ProviderRecord {
        let route = try route(entity, allowing: .read)
        let (json, _) = try await call(.GET, "\(route.resource)/\(try Self.pathComponent(id, entity: entity))", entity: entity, id: id)
        guard let object = try Self.objects(json, route.resource).first,
            !route.goneStatuses.contains(object[route.statusField]?.stringValue ?? "")
        else { throw .notFound(entity: entity, id: id) }
        return Self.record(object, route: route)
    }

    public func create(_ entity: String, fields: JSONValue, idempotencyKey: String?) async throws(ConnectorError) -> ProviderRecord {
        let route = try route(entity, allowing: .create)
        guard case .object(var object) = fields else { throw .validation(message: "fields must be an object", field: nil) }
        for (key, value) in route.implied { object[key] = .string(value) }
        return try await write(.PUT, route.resource, object, route: route, idempotencyKey: idempotencyKey, id: nil)
    }

    public func update(_ entity: String, id: String, fields: JSONValue, idempotencyKey: String?) async throws(ConnectorError) -> ProviderRecord {
        let route = try route(entity, allowing: .update)
        guard case .object(var object) = fields else { throw .validation(message: "fields must be an object", field: nil) }
        let path = "\(route.resource)/\(try Self.pathComponent(id, entity: entity))"
        object[route.idField] = .string(id)
        return try await write(.POST, path, object, route: route, idempotencyKey: idempotencyKey, id: id)
    }

    public func delete(_ entity: String, id: String) async throws(ConnectorError) {
        let route = try route(entity, allowing: .delete)
        let component = try Self.pathComponent(id, entity: entity)
        if route.resource == "Items" {
            _ = try await call(.DELETE, "Items/\(component)", entity: entity, id: id)
            return
        }
        let status: String
        switch route.resource {
        case "Invoices", "CreditNotes":
            // Drafts are deleted; approved documents can only be voided.
            let current = try await get(entity, id: id).payload[route.statusField]?.stringValue ?? ""
            status = ["DRAFT", "SUBMITTED"].contains(current) ? "DELETED" : "VOIDED"
        case "Contacts", "Accounts":
            status = "ARCHIVED"
        default:
            status = "DELETED"
        }
        _ = try await write(
            .POST,
            "\(route.resource)/\(component)",
            [route.idField: .string(id), route.statusField: .string(status)],
            route: route,
            idempotencyKey: nil,
            id: id
        )
    }

    /// One write of one object, wrapped as Xero expects (`{"Invoices": [{…}]}`).
    func write(
        _ method: HTTPMethod,
        _ path: String,
        _ object: [String: JSONValue],
        route: XeroEntityRoute,
        idempotencyKey: String?,
        id: String?
    ) async throws(ConnectorError) -> ProviderRecord {
        // Xero takes keys of at most 128 characters; a longer one is shortened by its digest.
        let key = idempotencyKey.map { $0.count <= 128 ? $0 : sha256Hex(Array($0.utf8)) } ?? UUID().uuidString.lowercased()
        let (json, _) = try await call(
            method,
            path,
            headers: [("Idempotency-Key", key)],
            body: .object([route.resource: .array([.object(object)])]),
            entity: route.entity,
            id: id,
            isIdempotent: true
        )
        guard let saved = try Self.objects(json, route.resource).first else { throw .invalidResponse("Xero's answer holds no \(route.resource)") }
        return Self.record(saved, route: route)
    }
}
