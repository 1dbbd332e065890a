import Foundation
import HubCore

/// One HubSpot account (portal): seeded objects generated on demand, and what the API changed on
/// top of them — changed and created objects, archived ones (in archive order), the values of
/// unique properties, and a clock that never repeats a millisecond, so every change has its own
/// last-modified time.
struct HubSpotPortal: Sendable {
    let volume: Int
    private var changed: [HubSpotObjectType: [Int64: HubSpotRecord]] = [:]
    private var created: [HubSpotObjectType: [Int64]] = [:]
    private(set) var archived: [HubSpotObjectType: [Int64]] = [:]
    /// Unique property values of changed and created objects: type → property → value → id.
    private var unique: [HubSpotObjectType: [String: [String: Int64]]] = [:]
    private var lastStamp: Int64 = 0

    init(volume: Int) {
        self.volume = volume
    }

    /// A fresh change time: now, or one millisecond after the previous change.
    mutating func stamp(_ now: Date = Date()) -> Int64 {
        lastStamp = max(Int64((now.timeIntervalSince1970 * 1000).rounded(.down)), lastStamp + 1)
        return lastStamp
    }

    /// The object with this id, archived or not.
    func record(_ type: HubSpotObjectType, id: Int64) -> HubSpotRecord? {
        if let record = changed[type]?[id] { return record }
        return HubSpotSeed.index(type, id: id, volume: volume).map { HubSpotSeed.record(type, $0, volume: volume) }
    }

    func live(_ type: HubSpotObjectType, id: Int64) -> HubSpotRecord? {
        record(type, id: id).flatMap { $0.archivedAt == nil ? $0 : nil }
    }

    /// Live objects in id order from `after` (inclusive), at most `limit`, and the id the next
    /// page starts at.
    func list(_ type: HubSpotObjectType, from after: Int64, limit: Int) -> (records: [HubSpotRecord], next: Int64?) {
        var records: [HubSpotRecord] = []
        let last = type.idBase + Int64(HubSpotSeed.count(type, volume: volume))
        var id = max(after, type.idBase + 1)
        while id <= last, records.count <= limit {
            if let record = live(type, id: id) { records.append(record) }
            id += 1
        }
        for id in created[type] ?? [] where id >= after && records.count <= limit {
            if let record = live(type, id: id) { records.append(record) }
        }
        guard records.count > limit else { return (records, nil) }
        return (Array(records.prefix(limit)), records[limit].id)
    }

    /// Archived objects in archive order from position `offset`.
    func listArchived(_ type: HubSpotObjectType, offset: Int, limit: Int) -> (records: [HubSpotRecord], next: Int?) {
        let ids = archived[type] ?? []
        guard offset < ids.count else { return ([], nil) }
        let end = min(offset + limit, ids.count)
        return (ids[offset..<end].compactMap { record(type, id: $0) }, end < ids.count ? end : nil)
    }

    /// Every live object, in id order (a search's candidates).
    func allLive(_ type: HubSpotObjectType) -> [HubSpotRecord] {
        var records: [HubSpotRecord] = []
        let count = HubSpotSeed.count(type, volume: volume)
        records.reserveCapacity(count)
        for index in 0..<count {
            if let record = live(type, id: HubSpotSeed.id(type, index)) { records.append(record) }
        }
        for id in created[type] ?? [] {
            if let record = live(type, id: id) { records.append(record) }
        }
        return records
    }

    /// The live object holding a unique property's value.
    func find(_ type: HubSpotObjectType, property: String, value: String) -> HubSpotRecord? {
        if let id = unique[type]?[property]?[value.lowercased()], let record = live(type, id: id),
            record.properties[property]?.lowercased() == value.lowercased()
        {
            return record
        }
        // Seeded contacts' emails name their index.
        if type == .contacts, property == "email", value.hasPrefix("contact"), value.hasSuffix("@example.com"),
            let n = Int(value.dropFirst(7).dropLast(12)), n >= 1, let record = live(type, id: HubSpotSeed.id(type, n - 1)),
            record.properties["email"]?.lowercased() == value.lowercased()
        {
            return record
        }
        if property == "hs_object_id", let id = Int64(value) { return live(type, id: id) }
        return nil
    }

    // MARK: Writes

    /// Why one input was refused: a message, HubSpot's category and the status a single call answers.
    struct Refusal: Error, Sendable {
        var status: Int
        var category: String
        var message: String
        var code: String?
    }

    /// Checks property names, required properties, email form and unique values; nil when fine.
    func refusal(_ type: HubSpotObjectType, _ properties: [String: String], existing: HubSpotRecord?) -> Refusal? {
        for name in properties.keys.sorted() where !type.knownProperties.contains(name) {
            return Refusal(status: 400, category: "VALIDATION_ERROR", message: "Property \"\(name)\" does not exist", code: "PROPERTY_DOESNT_EXIST")
        }
        if existing == nil {
            for name in type.requiredProperties where (properties[name] ?? "").isEmpty {
                return Refusal(status: 400, category: "VALIDATION_ERROR", message: "Property \"\(name)\" is required", code: "REQUIRED")
            }
        }
        if let email = properties["email"], !email.isEmpty, !(email.contains("@") && email.split(separator: "@").count == 2) {
            return Refusal(status: 400, category: "VALIDATION_ERROR", message: "Email address \(email) is invalid", code: "INVALID_EMAIL")
        }
        for name in type.uniqueProperties {
            guard let value = properties[name], !value.isEmpty, let holder = find(type, property: name, value: value), holder.id != existing?.id
            else { continue }
            let message =
                type == .contacts && name == "email"
                ? "Contact already exists. Existing ID: \(holder.id)"
                : "A \(type.singular) with \(name) '\(value)' already exists. Existing ID: \(holder.id)"
            return Refusal(status: 409, category: "CONFLICT", message: message, code: "OBJECT_ALREADY_EXISTS")
        }
        return nil
    }

    mutating func create(
        _ type: HubSpotObjectType,
        properties given: [String: String],
        associations: [(target: HubSpotObjectType, id: Int64, primary: Bool)] = [],
        now: Date = Date()
    ) throws(Refusal) -> HubSpotRecord {
        if let refusal = refusal(type, given, existing: nil) { throw refusal }
        let stamp = stamp(now)
        let id = type.idBase + HubSpotObjectType.createdOffset + Int64(created[type]?.count ?? 0)
        var properties = given.filter { !$0.value.isEmpty }
        properties["createdate"] = HubSpotRecord.iso(stamp)
        properties[type.modifiedProperty] = HubSpotRecord.iso(stamp)
        properties["hs_object_id"] = String(id)
        if type == .deals, properties["pipeline"] == nil { properties["pipeline"] = "default" }
        var record = HubSpotRecord(id: id, properties: properties, createdAt: stamp, updatedAt: stamp)
        for (target, targetID, primary) in associations where live(target, id: targetID) != nil {
            if !(record.associations[target] ?? []).contains(targetID) { record.associations[target, default: []].append(targetID) }
            if primary && type.hasPrimary(to: target) { record.primary[target] = targetID }
        }
        created[type, default: []].append(id)
        save(type, record)
        for (target, targetID, _) in associations { link(target, targetID, to: type, id) }
        return record
    }

    mutating func update(
        _ type: HubSpotObjectType,
        id: Int64,
        properties given: [String: String],
        now: Date = Date()
    ) throws(Refusal) -> HubSpotRecord {
        guard var record = live(type, id: id) else {
            throw Refusal(status: 404, category: "OBJECT_NOT_FOUND", message: "Object not found.  objectId are usually numeric.", code: nil)
        }
        if let refusal = refusal(type, given, existing: record) { throw refusal }
        for (name, value) in given where !["createdate", "hs_object_id", type.modifiedProperty].contains(name) {
            record.properties[name] = value.isEmpty ? nil : value
        }
        let stamp = stamp(now)
        record.updatedAt = stamp
        record.properties[type.modifiedProperty] = HubSpotRecord.iso(stamp)
        save(type, record)
        return record
    }

    /// Archives a live object; false when there is none.
    mutating func archive(_ type: HubSpotObjectType, id: Int64, now: Date = Date()) -> Bool {
        guard var record = live(type, id: id) else { return false }
        let stamp = stamp(now)
        record.archivedAt = stamp
        record.updatedAt = stamp
        save(type, record)
        archived[type, default: []].append(id)
        return true
    }

    /// Adds an association on both sides (HubSpot's associations are two-way); `primary` also
    /// gives it the "Primary" label, which the object's former primary one loses (one per object).
    mutating func associate(
        _ type: HubSpotObjectType,
        _ id: Int64,
        with target: HubSpotObjectType,
        _ targetID: Int64,
        primary: Bool = false
    ) -> Bool {
        guard live(type, id: id) != nil, live(target, id: targetID) != nil else { return false }
        link(type, id, to: target, targetID)
        link(target, targetID, to: type, id)
        if primary, type.hasPrimary(to: target), var record = record(type, id: id) {
            record.primary[target] = targetID
            save(type, record)
        }
        return true
    }

    /// Removes every association between two objects, on both sides (an archived one too, whose
    /// associations still show); nothing for an object that never existed.
    mutating func dissociate(_ type: HubSpotObjectType, _ id: Int64, from target: HubSpotObjectType, _ targetID: Int64) {
        unlink(type, id, from: target, targetID)
        unlink(target, targetID, from: type, id)
    }

    private mutating func unlink(_ type: HubSpotObjectType, _ id: Int64, from target: HubSpotObjectType, _ targetID: Int64) {
        guard var record = record(type, id: id) else { return }
        record.associations[target]?.removeAll { $0 == targetID }
        if record.primary[target] == targetID { record.primary[target] = nil }
        save(type, record)
    }

    private mutating func link(_ type: HubSpotObjectType, _ id: Int64, to target: HubSpotObjectType, _ targetID: Int64) {
        guard var record = record(type, id: id) else { return }
        if !(record.associations[target] ?? []).contains(targetID) { record.associations[target, default: []].append(targetID) }
        save(type, record)
    }

    private mutating func save(_ type: HubSpotObjectType, _ record: HubSpotRecord) {
        changed[type, default: [:]][record.id] = record
        for name in type.uniqueProperties {
            if let value = record.properties[name], !value.isEmpty { unique[type, default: [:]][name, default: [:]][value.lowercased()] = record.id }
        }
    }
}
