import Foundation
import HubCore

/// Listing, full and incremental.
///
/// A full listing pages through `GET /crm/v3/objects/{type}` with HubSpot's `after` cursor (100
/// a page), asking for the properties the hub maps and the associations it reads (a contact's
/// companies; a deal's companies, contacts and line items). Its checkpoint is fixed when its
/// first page is read: the server's time then, less a margin.
///
/// An incremental listing searches (`POST /crm/v3/objects/{type}/search`) for objects whose
/// last-modified property (`lastmodifieddate` for contacts, `hs_lastmodifieddate` otherwise) is
/// at or after the checkpoint, oldest change first, 200 a page. A search reaches at most 10,000
/// results, so the listing never pages with a growing offset: each page starts a new search
/// from the last change time it read (the window's lower bound moves up), skipping only the
/// objects changed in that same millisecond it already has — no query comes near the ceiling,
/// and an object changed while the listing runs moves to its end instead of shifting a page.
/// Then it lists archived objects (`archived=true`) and reports those archived since the
/// checkpoint as deletions. Search results carry no associations; they are read with the v4
/// batch association endpoint.
///
/// HubSpot's search index trails writes by a few seconds, so a checkpoint is never later than a
/// minute before the server's time: what changed just before a listing is read again next time.
extension HubSpotConnector {
    static let listLimit = 100
    static let searchLimit = 200
    static let checkpointOverlap: Int64 = 60_000

    public func list(_ request: ListRequest) async throws(ConnectorError) -> RecordPage {
        let definition = try object(request.entity, allowing: .read)
        if let cursor = request.cursor {
            switch try HubSpotListCursor(decoding: cursor) {
            case .full(let after, let checkpoint):
                return try await fullPage(definition, after: after, checkpoint: checkpoint, limit: request.pageSize)
            case .search(let from, let skip, let since):
                return try await searchPage(definition, from: from, skip: skip, since: since, limit: request.pageSize)
            case .archived(let after, let since, let newest):
                return try await archivedPage(definition, after: after, since: since, newest: newest)
            }
        }
        if let since = request.since {
            let from = try HubSpotListCursor.checkpoint(decoding: since)
            return try await searchPage(definition, from: from, skip: 0, since: from, limit: request.pageSize)
        }
        return try await fullPage(definition, after: nil, checkpoint: nil, limit: request.pageSize)
    }

    // MARK: Full listing

    func fullPage(_ definition: EntityDefinition, after: String?, checkpoint: Int64?, limit: Int) async throws(ConnectorError) -> RecordPage {
        var query = [("limit", String(min(max(limit, 1), Self.listLimit))), ("archived", "false")]
        if let after { query.append(("after", after)) }
        query.append(("properties", HubSpotEntities.properties(definition).joined(separator: ",")))
        let associations = HubSpotEntities.associations(definition)
        if !associations.isEmpty { query.append(("associations", associations.joined(separator: ","))) }
        let (json, response) = try await call(.GET, "crm/v3/objects/\(definition.providerObject)", query: query, entity: definition.name)
        let objects = try await withLineItems(json["results"]?.arrayValue ?? [], definition)
        let records = try objects.map { object throws(ConnectorError) in try Self.record(object) }
        let checkpoint = checkpoint ?? Self.serverMilliseconds(response) - Self.checkpointOverlap
        if let next = json["paging"]?["next"]?["after"]?.idText, !next.isEmpty {
            guard HubSpotListCursor.isCursorText(next) else { throw .invalidResponse("HubSpot's paging cursor cannot be stored") }
            return RecordPage(records: records, nextCursor: HubSpotListCursor.full(after: next, checkpoint: checkpoint).encoded)
        }
        return RecordPage(records: records, nextCursor: nil, checkpoint: HubSpotListCursor.checkpoint(checkpoint))
    }

    // MARK: Incremental listing

    func searchPage(_ definition: EntityDefinition, from: Int64, skip: Int, since: Int64, limit: Int) async throws(ConnectorError) -> RecordPage {
        guard skip < 10_000 else {
            throw .invalidResponse("more than 10,000 HubSpot \(definition.providerObject) changed in one millisecond; a full resync reads them")
        }
        let modified = HubSpotEntities.modifiedProperty(definition.providerObject)
        let size = min(max(limit, 1), Self.searchLimit)
        var body: [String: JSONValue] = [
            "filterGroups": [["filters": [["propertyName": .string(modified), "operator": "GTE", "value": .string(String(from))]]]],
            "sorts": [["propertyName": .string(modified), "direction": "ASCENDING"]],
            "properties": .array(HubSpotEntities.properties(definition).map(JSONValue.string)),
            "limit": .number(Double(size)),
        ]
        if skip > 0 { body["after"] = .string(String(skip)) }
        let (json, response) = try await call(
            .POST,
            "crm/v3/objects/\(definition.providerObject)/search",
            body: .object(body),
            entity: definition.name,
            isIdempotent: true
        )
        let found = json["results"]?.arrayValue ?? []
        let objects = try await withLineItems(try await withAssociations(found, definition), definition)
        let records = try objects.map { object throws(ConnectorError) in try Self.record(object) }
        let times = found.map { Self.milliseconds($0["properties"]?[modified]) ?? from }
        let newest = times.max() ?? from
        if found.count >= size, json["paging"]?["next"] != nil {
            // Continue from the newest change read, past the objects changed in that millisecond.
            let atNewest = times.filter { $0 == newest }.count + (newest == from ? skip : 0)
            return RecordPage(records: records, nextCursor: HubSpotListCursor.search(from: newest, skip: atNewest, since: since).encoded)
        }
        let checkpoint = max(since, min(newest, Self.serverMilliseconds(response) - Self.checkpointOverlap))
        return RecordPage(records: records, nextCursor: HubSpotListCursor.archived(after: nil, since: since, newest: checkpoint).encoded)
    }

    /// Archived objects, those archived since the listing's start reported as deletions.
    func archivedPage(_ definition: EntityDefinition, after: String?, since: Int64, newest: Int64) async throws(ConnectorError) -> RecordPage {
        var query = [("limit", String(Self.listLimit)), ("archived", "true")]
        if let after { query.append(("after", after)) }
        let (json, _) = try await call(.GET, "crm/v3/objects/\(definition.providerObject)", query: query, entity: definition.name)
        let deleted = (json["results"]?.arrayValue ?? []).compactMap { object -> String? in
            let archivedAt = Self.milliseconds(object["archivedAt"]) ?? Self.milliseconds(object["updatedAt"]) ?? Int64.max
            return archivedAt >= since - Self.checkpointOverlap ? object["id"]?.idText : nil
        }
        if let next = json["paging"]?["next"]?["after"]?.idText, !next.isEmpty, HubSpotListCursor.isCursorText(next) {
            return RecordPage(
                records: [],
                deletedIDs: deleted,
                nextCursor: HubSpotListCursor.archived(after: next, since: since, newest: newest).encoded
            )
        }
        return RecordPage(records: [], deletedIDs: deleted, nextCursor: nil, checkpoint: HubSpotListCursor.checkpoint(newest))
    }

    // MARK: Associations and line items

    /// Search results with the associations a listing would carry (or only those of `targets`),
    /// read in one v4 batch call per associated type, in the list endpoint's shape
    /// (`associations.companies.results[].id`).
    func withAssociations(
        _ objects: [JSONValue],
        _ definition: EntityDefinition,
        targets: [String]? = nil
    ) async throws(ConnectorError) -> [JSONValue] {
        let targets = targets ?? HubSpotEntities.associations(definition)
        guard !objects.isEmpty, !targets.isEmpty else { return objects }
        let ids = objects.compactMap { $0["id"]?.idText }
        var linked: [String: [String: [JSONValue]]] = [:]
        for target in targets {
            let (json, _) = try await call(
                .POST,
                "crm/v4/associations/\(definition.providerObject)/\(target)/batch/read",
                body: ["inputs": .array(ids.map { ["id": .string($0)] })],
                entity: definition.name,
                isIdempotent: true
            )
            let kind = "\(Self.singular(definition.providerObject))_to_\(Self.singular(target))"
            let primaryType = HubSpotEntities.primaryTypeID(definition.providerObject, target)
            for result in json["results"]?.arrayValue ?? [] {
                guard let from = result["from"]?["id"]?.idText else { continue }
                // As a v3 read lists them: a pair that can be primary once per label.
                linked[from, default: [:]][target] = (result["to"]?.arrayValue ?? []).flatMap { to -> [JSONValue] in
                    guard let id = to["toObjectId"]?.idText else { return [] }
                    guard let primaryType else { return [["id": .string(id), "type": .string(kind)]] }
                    let types = (to["associationTypes"]?.arrayValue ?? []).compactMap { $0["typeId"]?.intValue }
                    let unlabeled: JSONValue = ["id": .string(id), "type": .string(kind + "_unlabeled")]
                    return types.contains(primaryType) ? [["id": .string(id), "type": .string(kind)], unlabeled] : [unlabeled]
                }
            }
        }
        return objects.map { object in
            guard case .object(var fields) = object, let id = object["id"]?.idText else { return object }
            var associations = fields["associations"]?.objectValue ?? [:]
            for target in targets {
                associations[target] = linked[id]?[target].map { ["results": .array($0)] }
            }
            fields["associations"] = associations.isEmpty ? nil : .object(associations)
            return Self.primaryFirst(.object(fields))
        }
    }

    /// Deals with their line items (`line_items`, in association order), read in batches of 100.
    func withLineItems(_ objects: [JSONValue], _ definition: EntityDefinition) async throws(ConnectorError) -> [JSONValue] {
        guard definition.providerObject == "deals", !objects.isEmpty else { return objects }
        let ids = objects.flatMap { Self.associatedIDs($0, "line_items") }
        let items = try await batchRead("line_items", ids: ids, properties: HubSpotEntities.lineItemProperties, entity: definition.name)
        return objects.map { object in
            guard case .object(var fields) = object else { return object }
            fields["line_items"] = .array(Self.associatedIDs(object, "line_items").compactMap { items[$0] })
            return .object(fields)
        }
    }

    /// The objects of `type` HubSpot has among `ids`, by id: one batch read per hundred ids
    /// (those it does not have are left out of its 207 answer's results).
    func batchRead(_ type: String, ids: [String], properties: [String], entity: String) async throws(ConnectorError) -> [String: JSONValue] {
        var found: [String: JSONValue] = [:]
        for start in stride(from: 0, to: ids.count, by: HubSpotConnector.largestBatch) {
            let (json, _) = try await call(
                .POST,
                "crm/v3/objects/\(type)/batch/read",
                body: [
                    "inputs": .array(ids[start..<min(start + HubSpotConnector.largestBatch, ids.count)].map { ["id": .string($0)] }),
                    "properties": .array(properties.map(JSONValue.string)),
                ],
                entity: entity,
                isIdempotent: true
            )
            for object in json["results"]?.arrayValue ?? [] {
                if let id = object["id"]?.idText { found[id] = object }
            }
        }
        return found
    }

    /// The ids of `target` objects associated with `object`, each once (a primary company is
    /// listed once per label), in HubSpot's order.
    static func associatedIDs(_ object: JSONValue, _ target: String) -> [String] {
        var ids: [String] = []
        for id in (object["associations"]?[target]?["results"]?.arrayValue ?? []).compactMap({ $0["id"]?.idText }) where !ids.contains(id) {
            ids.append(id)
        }
        return ids
    }

    static func singular(_ object: String) -> String {
        switch object {
        case "companies": "company"
        case "line_items": "line_item"
        default: String(object.dropLast())
        }
    }

    /// A time as HubSpot writes one (ISO 8601, or unix milliseconds), in milliseconds.
    static func milliseconds(_ value: JSONValue?) -> Int64? {
        guard let text = value?.stringValue ?? value?.idText else { return nil }
        if let number = Int64(text) { return number }
        return ISOTimestamp.unix(iso: text).map { Int64(($0 * 1000).rounded()) }
    }

    /// The server's `Date`, so a skewed local clock cannot skip changes; the local clock without one.
    static func serverMilliseconds(_ response: ProviderResponse, now: Date = Date()) -> Int64 {
        let date = response.headers.first(name: "Date").flatMap(HTTPDate.parse) ?? now
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}
