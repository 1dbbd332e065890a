import HubCore

/// One tenant's objects of one resource, in creation order (the order pages are cut in), with
/// each object's last change in milliseconds beside it so `If-Modified-Since` needs no parsing.
struct XeroCollection: Sendable {
    var objects: [JSONObject] = []
    var updated: [Int64] = []
    var positions: [String: Int] = [:]

    init(resource: XeroResource, volume: Int) {
        let count = resource.seededCount(volume: volume)
        objects.reserveCapacity(count)
        for index in 0..<count {
            let object = XeroSeed.object(resource, index, volume: volume)
            append(object, id: object[resource.idField]?.stringValue ?? "", updated: XeroSeed.updated(index))
        }
    }

    mutating func append(_ object: JSONObject, id: String, updated stamp: Int64) {
        positions[id.lowercased()] = objects.count
        objects.append(object)
        updated.append(stamp)
    }

    func object(_ id: String) -> JSONObject? {
        positions[id.lowercased()].map { objects[$0] }
    }

    mutating func replace(_ object: JSONObject, id: String, updated stamp: Int64) {
        guard let position = positions[id.lowercased()] else { return append(object, id: id, updated: stamp) }
        objects[position] = object
        updated[position] = stamp
    }

    /// Removes an object for good (Items are deleted, not archived).
    mutating func remove(_ id: String) -> Bool {
        guard let position = positions.removeValue(forKey: id.lowercased()) else { return false }
        objects.remove(at: position)
        updated.remove(at: position)
        for (key, value) in positions where value > position { positions[key] = value - 1 }
        return true
    }

    /// The objects a query admits, sorted by its `order`, and the page it asked for with Xero's
    /// pagination object (nil when it asked for no page or the resource does not page).
    func list(_ query: XeroListQuery, resource: XeroResource) -> (objects: [JSONObject], pagination: JSONObject?) {
        var admitted = objects.indices.filter { query.admits(objects[$0], updated: updated[$0], resource: resource) }
        if let order = query.order {
            let byUpdate = order.path == ["UpdatedDateUTC"]
            admitted.sort { a, b in
                let ascending =
                    byUpdate
                    ? (updated[a], a) < (updated[b], b) : Self.less(Self.value(objects[a], order.path), Self.value(objects[b], order.path), a, b)
                return order.descending ? !ascending : ascending
            }
        }
        guard resource.paged, let page = query.page else { return (admitted.map { objects[$0] }, nil) }
        let size = query.pageSize
        let start = (page - 1) * size
        let slice = start < admitted.count ? Array(admitted[start..<min(start + size, admitted.count)]) : []
        let pagination: JSONObject = [
            "page": .number(Double(page)), "pageSize": .number(Double(size)),
            "pageCount": .number(Double((admitted.count + size - 1) / size)), "itemCount": .number(Double(admitted.count)),
        ]
        return (slice.map { objects[$0] }, pagination)
    }

    static func value(_ object: JSONObject, _ path: [String]) -> JSONValue {
        var value: JSONValue? = .object(object)
        for key in path { value = value?[key] }
        return value ?? .null
    }

    /// Numbers by value, everything else as text; ties by creation order, so pages stay stable.
    static func less(_ lhs: JSONValue, _ rhs: JSONValue, _ a: Int, _ b: Int) -> Bool {
        switch (lhs, rhs) {
        case (.number(let x), .number(let y)) where x != y: return x < y
        case (.string(let x), .string(let y)) where x != y: return x < y
        default: return a < b
        }
    }
}
