import HubCore

/// The associations the hub writes: a contact's or a deal's company (`customer_id`) and a deal's
/// contacts (`contact_ids`), which the mappings put where a listing carries them
/// (`associations.<type>.results[].id`). HubSpot's upsert and update take no associations, so
/// once the objects are written the v4 endpoints make each associated type the fields name hold
/// exactly what they say (`batch/archive` for the others, `batch/associate/default` for the
/// missing); a type the fields leave out is left as it is. Every answer is then completed with
/// its associations and line items, as a listing carries them, so the record the hub keeps after
/// a push still has them; a pair HubSpot did not make is that record's own error.
extension HubSpotConnector {
    /// HubSpot's limit for one batch association call.
    static let largestAssociationBatch = 1_000

    /// The association sets `fields` asks for, by associated type; a type it leaves out is absent.
    static func wantedAssociations(_ fields: JSONValue, _ definition: EntityDefinition) -> [String: [String]] {
        var wanted: [String: [String]] = [:]
        for target in HubSpotEntities.associations(definition) where target != "line_items" {
            guard let asked = fields["associations"]?[target] else { continue }
            var ids: [String] = []
            for id in (asked["results"]?.arrayValue ?? []).compactMap({ $0["id"]?.idText }) where !ids.contains(id) { ids.append(id) }
            wanted[target] = ids
        }
        return wanted
    }

    /// Written objects given the associations asked for, then read back with their associations
    /// and line items: one outcome per object, in order.
    func settle(
        _ objects: [JSONValue],
        wanting wanted: [[String: [String]]],
        _ definition: EntityDefinition
    ) async throws(ConnectorError) -> [Result<JSONValue, ConnectorError>] {
        guard !objects.isEmpty, !HubSpotEntities.associations(definition).isEmpty else { return objects.map { .success($0) } }
        var current = try await withAssociations(objects, definition)
        var removals: [String: [JSONValue]] = [:]
        var additions: [String: [JSONValue]] = [:]
        for (object, wanted) in zip(current, wanted) {
            guard let id = object["id"]?.idText else { continue }
            for (target, ids) in wanted {
                let held = Self.associatedIDs(object, target)
                let extra = held.filter { !ids.contains($0) }
                if !extra.isEmpty {
                    removals[target, default: []].append(["from": ["id": .string(id)], "to": .array(extra.map { ["id": .string($0)] })])
                }
                for missing in ids where !held.contains(missing) {
                    additions[target, default: []].append(["from": ["id": .string(id)], "to": ["id": .string(missing)]])
                }
            }
        }
        for (target, inputs) in removals.sorted(by: { $0.key < $1.key }) {
            try await associationBatch(definition, target, "archive", inputs)
        }
        for (target, inputs) in additions.sorted(by: { $0.key < $1.key }) {
            try await associationBatch(definition, target, "associate/default", inputs)
        }
        if !removals.isEmpty || !additions.isEmpty {
            current = try await withAssociations(objects, definition)
        }
        return zip(try await withLineItems(current, definition), wanted).map { object, wanted in
            for (target, ids) in wanted.sorted(by: { $0.key < $1.key }) where Set(Self.associatedIDs(object, target)) != Set(ids) {
                let asked = ids.isEmpty ? "no \(target)" : "\(target) \(ids.joined(separator: ", "))"
                return .failure(.validation(message: "HubSpot did not leave the \(definition.name) record with \(asked)", field: nil))
            }
            return .success(object)
        }
    }

    /// One kind of association write for many pairs, in calls of HubSpot's batch size.
    func associationBatch(_ definition: EntityDefinition, _ target: String, _ action: String, _ inputs: [JSONValue]) async throws(ConnectorError) {
        for start in stride(from: 0, to: inputs.count, by: Self.largestAssociationBatch) {
            let chunk = Array(inputs[start..<min(start + Self.largestAssociationBatch, inputs.count)])
            _ = try await call(
                .POST,
                "crm/v4/associations/\(definition.providerObject)/\(target)/batch/\(action)",
                body: ["inputs": .array(chunk)],
                entity: definition.name,
                isIdempotent: true
            )
        }
    }
}
