/// The objects of one Stripe kind, kept so a list page costs O(log n + page): an array ordered
/// by (created, sequence) ascending — Stripe lists newest first, so pages are read from the end —
/// and an index by id. Objects are held as their encoded JSON, so a page is a concatenation of
/// ready bytes and 100,000 objects take a few dozen megabytes.
struct StripeCollection: Sendable {
    /// One stored object.
    struct Stored: Sendable {
        var created: Int
        /// Breaks ties between objects created in the same second: later writes list first.
        var sequence: Int
        var bytes: [UInt8]
        /// The values list filters read (`customer`, `status`, `type`) without parsing the object.
        var attributes: [String: String]
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
    }

    enum PageError: Error, Equatable {
        /// The cursor names no object of this kind; the associated value is the parameter.
        case unknownCursor(param: String, id: String)
    }

    private var order: [(key: Key, id: String)] = []
    private var objects: [String: Stored] = [:]

    var count: Int { objects.count }

    func object(_ id: String) -> Stored? {
        objects[id]
    }

    /// Every id, newest first.
    var idsNewestFirst: [String] { order.reversed().map(\.id) }

    // MARK: Writing

    mutating func insert(id: String, _ stored: Stored) {
        if let existing = objects[id] { removeFromOrder(id: id, key: Key(created: existing.created, sequence: existing.sequence)) }
        objects[id] = stored
        let key = Key(created: stored.created, sequence: stored.sequence)
        if let last = order.last, key < last.key {
            order.insert((key, id), at: lowerBound(key))
        } else {
            order.append((key, id))
        }
    }

    /// Replaces an object's content in place: an update does not move it in the list.
    mutating func replace(id: String, bytes: [UInt8], attributes: [String: String]) {
        objects[id]?.bytes = bytes
        objects[id]?.attributes = attributes
    }

    @discardableResult
    mutating func remove(id: String) -> Stored? {
        guard let stored = objects.removeValue(forKey: id) else { return nil }
        removeFromOrder(id: id, key: Key(created: stored.created, sequence: stored.sequence))
        return stored
    }

    mutating func removeAll() {
        order.removeAll()
        objects.removeAll()
    }

    private mutating func removeFromOrder(id: String, key: Key) {
        let index = lowerBound(key)
        if index < order.count, order[index].id == id { order.remove(at: index) }
    }

    // MARK: Reading

    /// One page, newest first, and whether more match beyond it in the direction of travel.
    func page(_ query: Query) throws(PageError) -> (objects: [Stored], hasMore: Bool) {
        // A cursor must name an object of this kind, even when nothing else would match.
        let before = try query.endingBefore.map { id throws(PageError) in try position(of: id, param: "ending_before") }
        let after = try query.startingAfter.map { id throws(PageError) in try position(of: id, param: "starting_after") }
        // Bounds of the created window: [low, high).
        let low = lowerBound(Key(created: query.createdFrom, sequence: Int.min))
        let high = query.createdTo == Int.max ? order.count : lowerBound(Key(created: query.createdTo + 1, sequence: Int.min))
        guard low < high else { return ([], false) }
        if let before {
            let start = before + 1
            var found: [Stored] = []
            var index = max(start, low)
            while index < high {
                if let stored = matching(order[index].id, query) {
                    if found.count == query.limit { return (found.reversed(), true) }
                    found.append(stored)
                }
                index += 1
            }
            return (found.reversed(), false)
        }
        var index = high - 1
        if let after { index = min(after - 1, high - 1) }
        var found: [Stored] = []
        while index >= low {
            if let stored = matching(order[index].id, query) {
                if found.count == query.limit { return (found, true) }
                found.append(stored)
            }
            index -= 1
        }
        return (found, false)
    }

    private func matching(_ id: String, _ query: Query) -> Stored? {
        guard let stored = objects[id] else { return nil }
        for (name, values) in query.attributes {
            guard let value = stored.attributes[name], values.contains(value) else { return nil }
        }
        if let matches = query.matches, !matches(stored.attributes) { return nil }
        return stored
    }

    private func position(of id: String, param: String) throws(PageError) -> Int {
        guard let stored = objects[id] else { throw .unknownCursor(param: param, id: id) }
        return lowerBound(Key(created: stored.created, sequence: stored.sequence))
    }

    /// The first index whose key is not less than `key`.
    private func lowerBound(_ key: Key) -> Int {
        var low = 0
        var high = order.count
        while low < high {
            let middle = (low + high) / 2
            if order[middle].key < key { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
