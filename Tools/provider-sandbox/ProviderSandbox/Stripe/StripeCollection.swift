import HubConnectors
import HubCore

/// The objects of one Stripe kind, kept so a list page costs O(log n + page). Two parts, listed
/// as one, ordered by (created, sequence) ascending — Stripe lists newest first, so pages are read
/// from the end:
/// - the seeded objects, generated when read (from the seed and their index; nothing is kept
///   but what changed: replaced and removed ones), found by id through a hash table built on the
///   first lookup;
/// - the objects written since, held as their encoded JSON in an array by key and an index by
///   id, so a page is a concatenation of ready bytes.
struct StripeCollection: Sendable {
    /// One stored object.
    struct Stored: Sendable {
        var created: Int
        /// Breaks ties between objects created in the same second: later writes list first.
        var sequence: Int
        var bytes: [UInt8]
        /// The values list filters read (`customer`, `status`, `type`) without parsing the object
        /// (empty for a seeded object as generated: filters read `StripeSeed.attributes`).
        var attributes: [String: String]

        var key: Key { Key(created: created, sequence: sequence) }
    }

    struct Key: Comparable, Sendable {
        var created: Int
        var sequence: Int

        static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.created, lhs.sequence) < (rhs.created, rhs.sequence)
        }
    }

    /// What a list call asks for, already validated.
    struct Query: Sendable {
        var limit = 10
        var startingAfter: String?
        var endingBefore: String?
        /// Inclusive bounds on `created`.
        var createdFrom = Int.min
        var createdTo = Int.max
        /// Attribute filters: the object's attribute must be one of the values.
        var attributes: [String: Set<String>] = [:]
        /// A custom predicate for filters the attributes cannot express (event type wildcards).
        var matches: (@Sendable ([String: String]) -> Bool)?

        var filters: Bool { !attributes.isEmpty || matches != nil }
    }

    enum PageError: Error, Equatable {
        /// The cursor names no object of this kind; the associated value is the parameter.
        case unknownCursor(param: String, id: String)
    }

    /// The seeded objects of this kind: `count` of them, object `index` keyed (its created time,
    /// `index`), so they list in index order.
    struct Seeded: Sendable {
        let seed: StripeSeed
        let resource: StripeResource
        let count: Int
        let ids: SeededIDIndex

        init(seed: StripeSeed, resource: StripeResource) {
            self.seed = seed
            self.resource = resource
            count = seed.count(resource)
            ids = SeededIDIndex(count: count) { [seed] index in seed.id(resource, index) }
        }

        func key(_ index: Int) -> Key { Key(created: seed.created(index), sequence: index) }

        func stored(_ index: Int) -> Stored {
            Stored(
                created: seed.created(index),
                sequence: index,
                bytes: seed.encodedObject(resource, index),
                attributes: [:]
            )
        }
    }

    private let seeded: Seeded?
    /// Seeded objects changed since (by index), and those deleted.
    private var replaced: [Int: Stored] = [:]
    private var removed: Set<Int> = []
    /// Objects written since seeding.
    private var order: [(key: Key, id: String)] = []
    private var objects: [String: Stored] = [:]

    init(seeded: Seeded? = nil) {
        self.seeded = seeded
    }

    var count: Int { objects.count + (seeded?.count ?? 0) - removed.count }

    private var seededCount: Int { seeded?.count ?? 0 }

    /// Where an id lies: among the objects written since, or the seeded object at an index.
    private enum Place {
        case written(Stored)
        case seeded(Int)
    }

    private func place(_ id: String) -> Place? {
        if let stored = objects[id] { return .written(stored) }
        guard let seeded, let index = seeded.ids.index(of: id), !removed.contains(index) else { return nil }
        return .seeded(index)
    }

    func object(_ id: String) -> Stored? {
        switch place(id) {
        case .written(let stored): stored
        case .seeded(let index): seededStored(index)
        case nil: nil
        }
    }

    /// The object's fields (a seeded one generated, not parsed back from its bytes).
    func fields(_ id: String) -> JSONObject? {
        switch place(id) {
        case .written(let stored): return JSONReader.parse(stored.bytes)?.objectValue
        case .seeded(let index):
            if let stored = replaced[index] { return JSONReader.parse(stored.bytes)?.objectValue }
            return seeded.map { $0.seed.object($0.resource, index) }
        case nil: return nil
        }
    }

    private func seededStored(_ index: Int) -> Stored? {
        guard let seeded, !removed.contains(index) else { return nil }
        return replaced[index] ?? seeded.stored(index)
    }

    /// Every id, newest first.
    var idsNewestFirst: [String] {
        var ids: [String] = []
        ids.reserveCapacity(count)
        walkDown(below: Key(created: Int.max, sequence: Int.max), floor: Key(created: Int.min, sequence: Int.min)) { entry in
            switch entry {
            case .written(let id): ids.append(id)
            case .seeded(let index): ids.append(seeded.map { $0.seed.id($0.resource, index) } ?? "")
            }
            return true
        }
        return ids
    }

    // MARK: Writing

    mutating func insert(id: String, _ stored: Stored) {
        if let existing = objects[id] { removeFromOrder(id: id, key: existing.key) }
        objects[id] = stored
        if let last = order.last, stored.key < last.key {
            order.insert((stored.key, id), at: lowerBound(stored.key))
        } else {
            order.append((stored.key, id))
        }
    }

    /// Replaces an object's content in place: an update does not move it in the list.
    mutating func replace(id: String, bytes: [UInt8], attributes: [String: String]) {
        switch place(id) {
        case .written:
            objects[id]?.bytes = bytes
            objects[id]?.attributes = attributes
        case .seeded(let index):
            guard let seeded else { return }
            let key = seeded.key(index)
            replaced[index] = Stored(created: key.created, sequence: key.sequence, bytes: bytes, attributes: attributes)
        case nil:
            break
        }
    }

    mutating func remove(id: String) {
        switch place(id) {
        case .written(let stored):
            objects[id] = nil
            removeFromOrder(id: id, key: stored.key)
        case .seeded(let index):
            removed.insert(index)
            replaced[index] = nil
        case nil:
            break
        }
    }

    private mutating func removeFromOrder(id: String, key: Key) {
        let index = lowerBound(key)
        if index < order.count, order[index].id == id { order.remove(at: index) }
    }

    // MARK: Reading

    /// One page, newest first, and whether more match beyond it in the direction of travel.
    func page(_ query: Query) throws(PageError) -> (objects: [Stored], hasMore: Bool) {
        // A cursor must name an object of this kind, even when nothing else would match.
        let before = try query.endingBefore.map { id throws(PageError) in try key(of: id, param: "ending_before") }
        let after = try query.startingAfter.map { id throws(PageError) in try key(of: id, param: "starting_after") }
        let floor = Key(created: query.createdFrom, sequence: Int.min)
        let ceiling = Key(created: query.createdTo, sequence: Int.max)
        var found: [Stored] = []
        var hasMore = false
        let visit = { (entry: Entry) -> Bool in
            guard let stored = matching(entry, query) else { return true }
            guard found.count < query.limit else {
                hasMore = true
                return false
            }
            found.append(stored)
            return true
        }
        if let before {
            walkUp(above: Swift.max(before, Key(created: query.createdFrom, sequence: Int.min)), ceiling: ceiling, visit)
            return (found.reversed(), hasMore)
        }
        walkDown(below: Swift.min(after ?? ceiling, ceiling), floor: floor, visit)
        return (found, hasMore)
    }

    private func key(of id: String, param: String) throws(PageError) -> Key {
        switch place(id) {
        case .written(let stored): return stored.key
        case .seeded(let index): return seeded?.key(index) ?? Key(created: 0, sequence: index)
        case nil: throw .unknownCursor(param: param, id: id)
        }
    }

    /// One object met while walking the list, before it is generated.
    private enum Entry {
        case written(String)
        case seeded(Int)
    }

    private func matching(_ entry: Entry, _ query: Query) -> Stored? {
        switch entry {
        case .written(let id):
            guard let stored = objects[id] else { return nil }
            return Self.matches(stored.attributes, query) ? stored : nil
        case .seeded(let index):
            guard let seeded else { return nil }
            if let stored = replaced[index] { return Self.matches(stored.attributes, query) ? stored : nil }
            // Filters read a seeded object's attributes without generating it.
            if query.filters, !Self.matches(seeded.seed.attributes(seeded.resource, index), query) { return nil }
            return seeded.stored(index)
        }
    }

    private static func matches(_ attributes: [String: String], _ query: Query) -> Bool {
        for (name, values) in query.attributes {
            guard let value = attributes[name], values.contains(value) else { return false }
        }
        if let matches = query.matches, !matches(attributes) { return false }
        return true
    }

    /// Visits the objects keyed below `upper` and at least `floor`, newest first, both parts
    /// merged, until `visit` answers false.
    private func walkDown(below upper: Key, floor: Key, _ visit: (Entry) -> Bool) {
        var written = lowerBound(upper) - 1
        var index = seededLowerBound(upper) - 1
        while true {
            let writtenKey = written >= 0 ? order[written].key : nil
            let seededKey = index >= 0 ? seeded?.key(index) : nil
            let entry: Entry
            if let writtenKey, seededKey.map({ $0 < writtenKey }) ?? true {
                guard writtenKey >= floor else { return }
                entry = .written(order[written].id)
                written -= 1
            } else if let seededKey {
                guard seededKey >= floor else { return }
                index -= 1
                if removed.contains(index + 1) { continue }
                entry = .seeded(index + 1)
            } else {
                return
            }
            guard visit(entry) else { return }
        }
    }

    /// Visits the objects keyed above `lower` and at most `ceiling`, oldest first, until `visit`
    /// answers false.
    private func walkUp(above lower: Key, ceiling: Key, _ visit: (Entry) -> Bool) {
        var written = upperBound(lower)
        var index = seededUpperBound(lower)
        while true {
            let writtenKey = written < order.count ? order[written].key : nil
            let seededKey = index < seededCount ? seeded?.key(index) : nil
            let entry: Entry
            if let writtenKey, seededKey.map({ writtenKey < $0 }) ?? true {
                guard writtenKey <= ceiling else { return }
                entry = .written(order[written].id)
                written += 1
            } else if let seededKey {
                guard seededKey <= ceiling else { return }
                index += 1
                if removed.contains(index - 1) { continue }
                entry = .seeded(index - 1)
            } else {
                return
            }
            guard visit(entry) else { return }
        }
    }

    /// The first index of the written objects whose key is not less than `key`.
    private func lowerBound(_ key: Key) -> Int {
        Self.partition(order.count) { order[$0].key < key }
    }

    /// The first index of the written objects whose key is greater than `key`.
    private func upperBound(_ key: Key) -> Int {
        Self.partition(order.count) { order[$0].key <= key }
    }

    private func seededLowerBound(_ key: Key) -> Int {
        guard let seeded else { return 0 }
        return Self.partition(seeded.count) { seeded.key($0) < key }
    }

    private func seededUpperBound(_ key: Key) -> Int {
        guard let seeded else { return 0 }
        return Self.partition(seeded.count) { seeded.key($0) <= key }
    }

    /// The first index in `0..<count` for which `isBelow` is false (it must be true, then false).
    private static func partition(_ count: Int, _ isBelow: (Int) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if isBelow(middle) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
