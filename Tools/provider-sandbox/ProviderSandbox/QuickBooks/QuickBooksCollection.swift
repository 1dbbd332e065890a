import HubCore

/// The objects of one entity in one company: the seeded ones (ids `1…seeded`, generated when
/// read; only their changes are kept) and those created since (ids above), with each object's
/// last-updated time and the deletions change data capture reports.
struct QuickBooksCollection: Sendable {
    /// An object that changed since seeding.
    struct Stored: Sendable {
        var object: JSONObject
        var updated: Int
        var active: Bool
    }

    /// What a query can filter and order on without generating the object.
    struct Row {
        var id: Int
        var updated: Int
        var active: Bool
    }

    let entity: QuickBooksEntity
    let seed: QuickBooksSeed
    private(set) var changed: [Int: Stored] = [:]
    /// Deleted ids and when they were deleted.
    private(set) var deleted: [Int: Int] = [:]
    private(set) var nextID: Int

    init(entity: QuickBooksEntity, seed: QuickBooksSeed) {
        self.entity = entity
        self.seed = seed
        nextID = seed.count(entity) + 1
    }

    var seededCount: Int { seed.count(entity) }

    func contains(_ id: Int) -> Bool {
        id >= 1 && id < nextID && deleted[id] == nil
    }

    func row(_ id: Int) -> Row? {
        guard contains(id) else { return nil }
        if let stored = changed[id] { return Row(id: id, updated: stored.updated, active: stored.active) }
        return Row(id: id, updated: seed.updated(entity, id - 1), active: true)
    }

    func object(_ id: Int) -> JSONObject? {
        guard contains(id) else { return nil }
        return changed[id]?.object ?? seed.object(entity, id - 1)
    }

    /// Every live row in id order.
    var rows: [Row] {
        (1..<nextID).compactMap(row)
    }

    mutating func insert(_ object: JSONObject, at time: Int) -> Int {
        let id = nextID
        nextID += 1
        store(id, object, at: time)
        return id
    }

    mutating func store(_ id: Int, _ object: JSONObject, at time: Int) {
        changed[id] = Stored(object: object, updated: time, active: object["Active"]?.boolValue ?? true)
    }

    mutating func remove(_ id: Int, at time: Int) {
        changed[id] = nil
        deleted[id] = time
    }

    /// Objects changed (created, updated or deleted) at or after `since`: (id, time, object or
    /// nil for a deletion).
    func changes(since: Int) -> [(id: Int, updated: Int, object: JSONObject?)] {
        let updates = changed.filter { $0.value.updated >= since }.map { (id: $0.key, updated: $0.value.updated, object: Optional($0.value.object)) }
        let deletions = deleted.filter { $0.value >= since }.map { (id: $0.key, updated: $0.value, object: JSONObject?.none) }
        return updates + deletions
    }
}
