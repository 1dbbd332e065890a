/// One resource of one shop (products, orders, …), kept so that any page costs time in proportion
/// to the page, not to the collection: ids in ascending order (Shopify lists by id), objects by
/// id, and a log of modification times for `updated_at_min`.
///
/// Ids are assigned in ascending order, so inserting appends. The log holds one entry per write,
/// ascending by time; an entry whose time is not the object's current `updated_at` is stale and
/// skipped, so an `updated_at_min` query reads only the writes since that time.
struct ShopifyCollection: Sendable {
    private(set) var ids: [Int64] = []
    private(set) var objects: [Int64: JSONObject] = [:]
    private var updatedAt: [Int64: Int64] = [:]
    private var log: [(at: Int64, id: Int64)] = []

    var count: Int { ids.count }

    subscript(id: Int64) -> JSONObject? { objects[id] }

    /// Stores a new or changed object modified at `at` (unix seconds). Unlogged writes (bulk
    /// seeding, times out of order) need a `reindex()` before the next `updated_at_min` query.
    mutating func put(_ id: Int64, _ object: JSONObject, at: Int64, logged: Bool = true) {
        if objects[id] == nil {
            if let last = ids.last, last > id {
                ids.insert(id, at: lowerBound(id))
            } else {
                ids.append(id)
            }
        }
        objects[id] = object
        updatedAt[id] = at
        guard logged else { return }
        if let last = log.last, last.at > at {
            var low = 0
            var high = log.count
            while low < high {
                let middle = (low + high) / 2
                if log[middle].at <= at { low = middle + 1 } else { high = middle }
            }
            log.insert((at, id), at: low)
        } else {
            log.append((at, id))
        }
    }

    /// Replaces an existing object without recording a modification (derived fields).
    mutating func amend(_ id: Int64, _ object: JSONObject) {
        if objects[id] != nil { objects[id] = object }
    }

    mutating func remove(_ id: Int64) {
        guard objects.removeValue(forKey: id) != nil else { return }
        updatedAt.removeValue(forKey: id)
        let index = lowerBound(id)
        if index < ids.count, ids[index] == id { ids.remove(at: index) }
    }

    /// Rebuilds the log from scratch after a bulk load with times out of order (seeding).
    mutating func reindex() {
        log = updatedAt.map { (at: $0.value, id: $0.key) }.sorted { ($0.at, $0.id) < ($1.at, $1.id) }
    }

    /// Up to `limit` objects in id order after `after` (or, with `before`, the `limit` objects
    /// just before it), matching `filter` and modified at or after `updatedAtMin`. `more` says
    /// whether another match lies beyond the page in the same direction.
    func page(
        after: Int64? = nil, before: Int64? = nil, limit: Int, updatedAtMin: Int64? = nil,
        where filter: (JSONObject) -> Bool = { _ in true }
    ) -> (objects: [JSONObject], ids: [Int64], more: Bool) {
        let forward = before == nil
        var found: [Int64] = []
        if let updatedAtMin, let candidates = recentIDs(since: updatedAtMin, after: after, before: before) {
            for id in candidates {
                guard let object = objects[id], filter(object) else { continue }
                found.append(id)
                if found.count > limit { break }
            }
        } else {
            var index = forward ? (after.map(upperBound) ?? 0) : (before.map(lowerBound) ?? ids.count) - 1
            while index >= 0, index < ids.count {
                let id = ids[index]
                index += forward ? 1 : -1
                guard let object = objects[id], filter(object) else { continue }
                if let updatedAtMin, (updatedAt[id] ?? 0) < updatedAtMin { continue }
                found.append(id)
                if found.count > limit { break }
            }
        }
        let more = found.count > limit
        var pageIDs = Array(found.prefix(limit))
        if !forward { pageIDs.reverse() }
        return (pageIDs.compactMap { objects[$0] }, pageIDs, more)
    }

    /// Ids written since `time`, in listing order, when that is cheaper than scanning the ids in
    /// range; nil when scanning is cheaper (an old `updated_at_min`).
    private func recentIDs(since time: Int64, after: Int64?, before: Int64?) -> [Int64]? {
        var low = 0
        var high = log.count
        while low < high {
            let middle = (low + high) / 2
            if log[middle].at < time { low = middle + 1 } else { high = middle }
        }
        guard log.count - low < ids.count / 4 else { return nil }
        var seen = Set<Int64>()
        var result: [Int64] = []
        for entry in log[low...] where updatedAt[entry.id] == entry.at && seen.insert(entry.id).inserted {
            if let after, entry.id <= after { continue }
            if let before, entry.id >= before { continue }
            result.append(entry.id)
        }
        return before == nil ? result.sorted() : result.sorted(by: >)
    }

    private func lowerBound(_ id: Int64) -> Int {
        var low = 0
        var high = ids.count
        while low < high {
            let middle = (low + high) / 2
            if ids[middle] < id { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private func upperBound(_ id: Int64) -> Int {
        var low = 0
        var high = ids.count
        while low < high {
            let middle = (low + high) / 2
            if ids[middle] <= id { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
