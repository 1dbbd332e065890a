import HubCore

/// The associations the hub writes: a contact's or a deal's company (`customer_id`, HubSpot's
/// primary company, listed first) and a deal's contacts (`contact_ids`), which the mappings put
/// where a listing carries them (`associations.<type>.results[].id`). HubSpot's upsert and update
/// take no associations, so:
///
/// - before writing, the associated objects named are looked up; a record naming one HubSpot
///   does not have is refused as its own error and not written;
/// - after writing, the v4 endpoints add what is missing, then remove what the fields replace:
///   for a deal's contacts the list becomes exactly the one given; for a company, the one named
///   is made primary (`batch/create` with the primary type) in place of the one the hub read as
///   the record's company, and any other companies stay (a cleared `customer_id` removes them
///   all); a type the fields leave out is left alone;
/// - every answer is then completed with its associations and line items, as a listing carries
///   them, so the record the hub keeps after a push still has them.
extension HubSpotConnector {
    /// HubSpot's limit for one batch association call.
    static let largestAssociationBatch = 1_000

    /// The associations `fields` asks for, by associated type (one id at most for a company); a
    /// type it leaves out is absent.
    static func wantedAssociations(_ fields: JSONValue, _ definition: EntityDefinition) -> [String: [String]] {
        var wanted: [String: [String]] = [:]
        for target in HubSpotEntities.associations(definition) where target != "line_items" {
            guard fields["associations"]?[target] != nil else { continue }
            let ids = associatedIDs(fields, target)
            wanted[target] = HubSpotEntities.isSingle(target) ? Array(ids.prefix(1)) : ids
        }
        return wanted
    }

    /// What to add and remove so that `held` (the record's company first, for a single type)
    /// says what `wanted` asks. A single type's company is added (as primary) unless it already
    /// is the `primary` one, even when HubSpot holds it as another of the record's companies or
    /// the record has no primary company; the company the hub read is removed if another is named.
    static func change(held: [String], primary: String?, wanted: [String], single: Bool) -> (add: [String], remove: [String]) {
        guard single else { return (wanted.filter { !held.contains($0) }, held.filter { !wanted.contains($0) }) }
        guard let one = wanted.first else { return ([], held) }
        return (primary == one ? [] : [one], held.first.map { $0 == one ? [] : [$0] } ?? [])
    }

    /// The record's primary company, if HubSpot labels one (`contact_to_company`, `deal_to_company`).
    static func primaryID(_ object: JSONValue, _ target: String) -> String? {
        (object["associations"]?[target]?["results"]?.arrayValue ?? []).first { Self.isPrimaryEntry($0) }?["id"]?.idText
    }

    /// The associated objects the writes name that HubSpot does not have, by type.
    func absentAssociations(_ wanted: [[String: [String]]], _ definition: EntityDefinition) async throws(ConnectorError) -> [String: Set<String>] {
        var named: [String: [String]] = [:]
        for write in wanted {
            for (target, ids) in write {
                for id in ids where !(named[target] ?? []).contains(id) { named[target, default: []].append(id) }
            }
        }
        var absent: [String: Set<String>] = [:]
        for (target, ids) in named.sorted(by: { $0.key < $1.key }) {
            let found = try await batchRead(target, ids: ids, properties: [], entity: definition.name)
            let missing = Set(ids).subtracting(found.keys)
            if !missing.isEmpty { absent[target] = missing }
        }
        return absent
    }

    /// The refusal of a write naming associated objects HubSpot does not have.
    static func refusal(_ wanted: [String: [String]], absent: [String: Set<String>], _ definition: EntityDefinition) -> ConnectorError? {
        for (target, ids) in wanted.sorted(by: { $0.key < $1.key }) {
            let missing = ids.filter { absent[target]?.contains($0) == true }
            if !missing.isEmpty {
                return .validation(
                    message: "HubSpot has no \(target) \(missing.joined(separator: ", ")) to associate the \(definition.name) record with",
                    field: nil
                )
            }
        }
        return nil
    }

    /// Written objects given the associations asked for, then read back with their associations
    /// and line items, in order.
    func settle(
        _ objects: [JSONValue],
        wanting wanted: [[String: [String]]],
        _ definition: EntityDefinition
    ) async throws(ConnectorError) -> [JSONValue] {
        guard !objects.isEmpty, !HubSpotEntities.associations(definition).isEmpty else { return objects }
        var current = try await withAssociations(objects, definition)
        var additions: [String: [JSONValue]] = [:]
        var removals: [String: [JSONValue]] = [:]
        for (object, wanted) in zip(current, wanted) {
            guard let id = object["id"]?.idText else { continue }
            for (target, ids) in wanted {
                let change = Self.change(
                    held: Self.associatedIDs(object, target),
                    primary: Self.primaryID(object, target),
                    wanted: ids,
                    single: HubSpotEntities.isSingle(target)
                )
                for added in change.add {
                    var input: [String: JSONValue] = ["from": ["id": .string(id)], "to": ["id": .string(added)]]
                    if let primary = HubSpotEntities.primaryTypeID(definition.providerObject, target) {
                        input["types"] = [["associationCategory": "HUBSPOT_DEFINED", "associationTypeId": .number(Double(primary))]]
                    }
                    additions[target, default: []].append(.object(input))
                }
                if !change.remove.isEmpty {
                    removals[target, default: []].append(["from": ["id": .string(id)], "to": .array(change.remove.map { ["id": .string($0)] })])
                }
            }
        }
        // Added first: a failure between the two calls leaves a record with one association too
        // many, never with none.
        for (target, inputs) in additions.sorted(by: { $0.key < $1.key }) {
            // A primary company is created with its label; others get HubSpot's default type.
            let labelled = HubSpotEntities.primaryTypeID(definition.providerObject, target) != nil
            try await associationBatch(definition, target, labelled ? "create" : "associate/default", inputs)
        }
        for (target, inputs) in removals.sorted(by: { $0.key < $1.key }) {
            try await associationBatch(definition, target, "archive", inputs)
        }
        // Read again only the types written to: the others are as just read.
        let written = Set(additions.keys).union(removals.keys).sorted()
        if !written.isEmpty {
            current = try await withAssociations(current, definition, targets: written)
        }
        return try await withLineItems(current, definition)
    }

    /// One kind of association write for many pairs, in calls of HubSpot's batch size. A pair
    /// HubSpot refuses (its 207's `errors`) fails the write, before any removal that would
    /// otherwise leave a record with no company.
    func associationBatch(_ definition: EntityDefinition, _ target: String, _ action: String, _ inputs: [JSONValue]) async throws(ConnectorError) {
        for start in stride(from: 0, to: inputs.count, by: Self.largestAssociationBatch) {
            let chunk = Array(inputs[start..<min(start + Self.largestAssociationBatch, inputs.count)])
            let (json, _) = try await call(
                .POST,
                "crm/v4/associations/\(definition.providerObject)/\(target)/batch/\(action)",
                body: ["inputs": .array(chunk)],
                entity: definition.name,
                isIdempotent: true
            )
            if let refused = json["errors"]?.arrayValue?.first {
                let message = refused["message"]?.stringValue ?? "refused"
                throw .validation(message: "HubSpot did not associate the \(definition.name) record with \(target): \(message)", field: nil)
            }
        }
    }
}
