import HubCore

/// One resource of one shop (products, orders, …), kept so that any page costs time in proportion
/// to the page, not to the collection. Two parts, listed as one in id order (Shopify lists by id):
/// - the seeded objects, generated when read (`ShopifySeed`); only what changed since is kept
///   (replaced objects, removed ids);
/// - the objects written since: ids in ascending order, objects by id, and a log of
///   modification times for `updated_at_min`.
///
/// Ids are assigned in ascending order, after every seeded id, so inserting appends. The log holds
/// one entry per write, ascending by time; an entry whose time is not the object's current
/// `updated_at` is stale and skipped, so an `updated_at_min` query reads only the writes since
/// that time.
struct ShopifyCollection: Sendable {
    /// Where the seeded objects come from (nil: none), and which of the seed's resources this is.
    private let seed: ShopifySeed?
    private let resource: ShopifyResource
    /// Seeded objects deleted since, by index.
    private var removed: Set<Int> = []
    /// Ids of the objects written since seeding, ascending.
    private var writtenIDs: [Int64] = []
    /// Objects written since seeding, and seeded objects replaced since, by id.
    private(set) var objects: [Int64: JSONObject] = [:]
    private var updatedAt: [Int64: Int64] = [:]
    private var log: [(at: Int64, id: Int64)] = []

    /// A collection of `resource`, starting with its seeded objects.
    init(seed: ShopifySeed, resource: ShopifyResource) {
        self.seed = seed
        self.resource = resource
    }

    /// A collection with nothing seeded.
    init() {
        seed = nil
        resource = .webhooks
    }

    private var seededCount: Int { seed?.count(resource) ?? 0 }

    var count: Int { seededCount - removed.count + writtenIDs.count }

    /// Every id, ascending (generates the seeded ids: for small collections).
    var ids: [Int64] {
        guard let seed else { return writtenIDs }
        return (0..<seededCount).filter { !removed.contains($0) }.map { seed.id(resource, $0) } + writtenIDs
    }

    /// The seeded index of `id`, when it names a seeded object that was not removed.
    private func seededIndex(_ id: Int64) -> Int? {
        guard let index = seed?.index(resource, of: id), !removed.contains(index) else { return nil }
        return index
    }

    subscript(id: Int64) -> JSONObject? {
        if let object = objects[id] { return object }
        guard let seed, let index = seededIndex(id) else { return nil }
        return seed.object(resource, index)
    }

    func contains(_ id: Int64) -> Bool {
        objects[id] != nil || seededIndex(id) != nil
    }

    /// When the object was last modified (unix seconds).
    private func modified(_ id: Int64) -> Int64? {
        if let time = updatedAt[id] { return time }
        guard let seed, let index = seededIndex(id) else { return nil }
        return seed.updatedAt(resource, index)
    }

    /// Stores a new or changed object modified at `at` (unix seconds).
    mutating func put(_ id: Int64, _ object: JSONObject, at: Int64) {
        if let index = seed?.index(resource, of: id) {
            removed.remove(index)
        } else if objects[id] == nil {
            if let last = writtenIDs.last, last > id {
                writtenIDs.insert(id, at: Self.partition(writtenIDs.count) { writtenIDs[$0] < id })
            } else {
                writtenIDs.append(id)
            }
        }
        objects[id] = object
        updatedAt[id] = at
        if let last = log.last, last.at > at {
            log.insert((at, id), at: Self.partition(log.count) { log[$0].at <= at })
        } else {
            log.append((at, id))
        }
    }

    /// Replaces an existing object without recording a modification (derived fields).
    mutating func amend(_ id: Int64, _ object: JSONObject) {
        if contains(id) { objects[id] = object }
    }

    mutating func remove(_ id: Int64) {
        if let index = seededIndex(id) {
            removed.insert(index)
        } else {
            guard objects[id] != nil else { return }
            let index = Self.partition(writtenIDs.count) { writtenIDs[$0] < id }
            if index < writtenIDs.count, writtenIDs[index] == id { writtenIDs.remove(at: index) }
        }
        objects.removeValue(forKey: id)
        updatedAt.removeValue(forKey: id)
    }

    /// Up to `limit` objects in id order after `after` (or, with `before`, the `limit` objects
    /// just before it), matching `filter` and modified at or after `updatedAtMin`. `more` says
    /// whether another match lies beyond the page in the same direction.
    func page(
        after: Int64? = nil,
        before: Int64? = nil,
        limit: Int,
        updatedAtMin: Int64? = nil,
        where filter: (JSONObject) -> Bool = { _ in true }
    ) -> (objects: [JSONObject], ids: [Int64], more: Bool) {
        let forward = before == nil
        var found: [(id: Int64, object: JSONObject)] = []
        if let updatedAtMin, updatedAtMin > (seed?.latestUpdate ?? Int64.min),
            let candidates = recentIDs(since: updatedAtMin, after: after, before: before)
        {
            for id in candidates {
                guard let object = objects[id], filter(object) else { continue }
                found.append((id, object))
                if found.count > limit { break }
            }
        } else {
            // Positions: the seeded objects by index, then the written ones.
            var position = forward ? (after.map(upperPosition) ?? 0) : (before.map(lowerPosition) ?? seededCount + writtenIDs.count) - 1
            while position >= 0, position < seededCount + writtenIDs.count {
                let current = position
                position += forward ? 1 : -1
                guard let id = id(at: current), let object = self[id], filter(object) else { continue }
                if let updatedAtMin, (modified(id) ?? 0) < updatedAtMin { continue }
                found.append((id, object))
                if found.count > limit { break }
            }
        }
        let more = found.count > limit
        var page = Array(found.prefix(limit))
        if !forward { page.reverse() }
        return (page.map(\.object), page.map(\.id), more)
    }

    /// The id at a position of the listing (nil for a removed seeded object).
    private func id(at position: Int) -> Int64? {
        guard position >= seededCount else {
            guard let seed, !removed.contains(position) else { return nil }
            return seed.id(resource, position)
        }
        return writtenIDs[position - seededCount]
    }

    /// The first position whose id is at least `id`.
    private func lowerPosition(_ id: Int64) -> Int {
        if let seed {
            let position = Self.partition(seededCount) { seed.id(resource, $0) < id }
            if position < seededCount { return position }
        }
        return seededCount + Self.partition(writtenIDs.count) { writtenIDs[$0] < id }
    }

    /// The first position whose id is greater than `id`.
    private func upperPosition(_ id: Int64) -> Int {
        lowerPosition(id == Int64.max ? id : id + 1)
    }

    /// Ids written since `time`, in listing order, when that is cheaper than scanning the ids in
    /// range; nil when scanning is cheaper (an old `updated_at_min`).
    private func recentIDs(since time: Int64, after: Int64?, before: Int64?) -> [Int64]? {
        let low = Self.partition(log.count) { log[$0].at < time }
        guard log.count - low < count / 4 else { return nil }
        var seen = Set<Int64>()
        var result: [Int64] = []
        for entry in log[low...] where updatedAt[entry.id] == entry.at && seen.insert(entry.id).inserted {
            if let after, entry.id <= after { continue }
            if let before, entry.id >= before { continue }
            result.append(entry.id)
        }
        return before == nil ? result.sorted() : result.sorted(by: >)
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
