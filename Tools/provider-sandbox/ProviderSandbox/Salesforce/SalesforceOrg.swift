import HubCore

/// One Salesforce org: its tables, each seeded when first touched, the query cursors
/// `nextRecordsUrl` continues, the day's API usage, and a clock that never repeats a
/// millisecond, so every change has its own `SystemModstamp`.
struct SalesforceOrg: Sendable {
    let id: String
    let volume: Int
    private var tables: [String: SalesforceTable] = [:]
    /// Query locator → the query and the ids it matched when it ran (a cursor's snapshot).
    var cursors: [String: Cursor] = [:]
    private var cursorCount = 0
    var apiUsage = 0
    private var lastStamp: Int64 = 0
    /// When an administrator last emptied the Recycle Bin: the delete log starts then.
    private(set) var recycleBinEmptiedAt: Int64 = 0

    struct Cursor: Sendable {
        var query: SalesforceSOQL
        var ids: [String]
    }

    init(id: String, volume: Int) {
        self.id = id
        self.volume = volume
    }

    mutating func withTable<Result, Failure: Error>(
        _ type: SalesforceObjectType,
        _ body: (inout SalesforceTable) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        // Taken out while `body` runs, so the table is mutated in place, not copied.
        var table = tables.removeValue(forKey: type.name) ?? SalesforceTable(type: type, volume: volume)
        defer { tables[type.name] = table }
        return try body(&table)
    }

    /// A fresh change time: now, or one millisecond after the previous change.
    mutating func stamp() -> Int64 {
        lastStamp = max(SalesforceTime.now, lastStamp + 1)
        return lastStamp
    }

    // MARK: Queries

    /// Runs a query: the first batch, and a cursor for the rest when there is more.
    mutating func query(_ query: SalesforceSOQL, batchSize: Int, includeDeleted: Bool) -> (records: [JSONValue], total: Int, locator: String?) {
        let ids = withTable(query.object) { table in
            var matched = table.records.indices.filter { position in
                (includeDeleted || table.records[position]["IsDeleted"] != .bool(true))
                    && query.conditions.allSatisfy { Self.admits(table.records[position], $0) }
            }
            if !query.orders.isEmpty {
                matched.sort { a, b in Self.ordered(table.records[a], table.records[b], query.orders) ?? (a < b) }
            }
            let skipped = matched.dropFirst(query.offset)
            let limited = query.limit.map { Array(skipped.prefix($0)) } ?? Array(skipped)
            return limited.compactMap { table.records[$0]["Id"]?.stringValue }
        }
        if query.isCount { return ([], ids.count, nil) }
        cursorCount += 1
        let locator = "01gHb" + String(SalesforceID.make("000", cursorCount).dropFirst(5).prefix(10))
        cursors[locator] = Cursor(query: query, ids: ids)
        let (records, next) = batch(locator, offset: 0, batchSize: batchSize, includeDeleted: includeDeleted)
        return (records, ids.count, next)
    }

    /// The batch of a cursor at `offset`, and the locator of the batch after it (nil when done).
    mutating func batch(_ locator: String, offset: Int, batchSize: Int, includeDeleted: Bool = true) -> (records: [JSONValue], next: String?) {
        guard let cursor = cursors[locator] else { return ([], nil) }
        let slice = cursor.ids.dropFirst(offset).prefix(batchSize)
        let query = cursor.query
        let children = childIndex(query)
        let records = withTable(query.object) { table in
            slice.compactMap { id -> JSONValue? in
                guard let key = SalesforceID.key(id), let position = table.positions[key] else { return nil }
                return .object(Self.project(table.records[position], query.object, query.fields, children: children, version: ""))
            }
        }
        let end = offset + slice.count
        return (records, end < cursor.ids.count ? "\(locator)-\(end)" : nil)
    }

    /// For each sub-query, the children of every parent: parent key → child records (projected).
    private mutating func childIndex(_ query: SalesforceSOQL) -> [String: [String: [JSONValue]]] {
        var index: [String: [String: [JSONValue]]] = [:]
        for sub in query.subQueries {
            var byParent: [String: [JSONValue]] = [:]
            withTable(sub.child) { table in
                for record in table.records where record["IsDeleted"] != .bool(true) {
                    guard let parent = record[sub.parentField]?.stringValue.flatMap(SalesforceID.key) else { continue }
                    byParent[parent, default: []].append(.object(Self.project(record, sub.child, sub.fields, children: [:], version: "")))
                }
            }
            index[sub.relationship] = byParent
        }
        return index
    }

    /// A record as a query returns it: `attributes`, then the selected fields (null when unset),
    /// and each sub-query's children as a nested query result (null when there are none).
    static func project(
        _ record: JSONObject,
        _ type: SalesforceObjectType,
        _ fields: [String],
        children: [String: [String: [JSONValue]]],
        version: String
    ) -> JSONObject {
        let id = record["Id"]?.stringValue ?? ""
        var projected: JSONObject = ["attributes": attributes(type, id: id)]
        for field in fields { projected[field] = record[field] ?? .null }
        for (relationship, byParent) in children {
            guard let key = SalesforceID.key(id), let rows = byParent[key], !rows.isEmpty else {
                projected[relationship] = .null
                continue
            }
            projected[relationship] = ["totalSize": .int(rows.count), "done": true, "records": .array(rows)]
        }
        return projected
    }

    static func attributes(_ type: SalesforceObjectType, id: String) -> JSONValue {
        ["type": .string(type.name), "url": .string("/services/data/\(SalesforceProvider.latestVersion)/sobjects/\(type.name)/\(id)")]
    }

    // MARK: Filters

    static func admits(_ record: JSONObject, _ condition: SalesforceSOQL.Condition) -> Bool {
        let value = record[condition.field] ?? .null
        switch condition.op {
        case .isIn: return condition.values.contains { compare(value, $0) == 0 }
        case .like:
            guard case .string(let pattern)? = condition.values.first, let text = value.stringValue else { return false }
            return like(text.lowercased(), pattern.lowercased())
        case .equal: return compare(value, condition.values[0]) == 0
        case .notEqual: return compare(value, condition.values[0]) != 0
        case .less: return compare(value, condition.values[0]).map { $0 < 0 } ?? false
        case .lessOrEqual: return compare(value, condition.values[0]).map { $0 <= 0 } ?? false
        case .greater: return compare(value, condition.values[0]).map { $0 > 0 } ?? false
        case .greaterOrEqual: return compare(value, condition.values[0]).map { $0 >= 0 } ?? false
        }
    }

    /// -1, 0 or 1 comparing a record's value with a literal; nil when they cannot be compared
    /// (null against anything but `null`).
    static func compare(_ value: JSONValue, _ literal: SalesforceSOQL.Literal) -> Int? {
        func sign<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : a > b ? 1 : 0 }
        switch (value, literal) {
        case (.null, .null): return 0
        case (.null, _), (_, .null): return nil
        case (.string(let text), .dateTime(let milliseconds)): return SalesforceTime.parse(text).map { sign($0, milliseconds) }
        case (.string(let text), .date(let day)): return sign(String(text.prefix(10)), day)
        case (.string(let text), .string(let other)):
            // Ids compare in either length; other text without regard to case, as SOQL does.
            if let a = SalesforceID.key(text), let b = SalesforceID.key(other) { return sign(a, b) }
            return sign(text.lowercased(), other.lowercased())
        case (.number(let a), .number(let b)): return sign(a, b)
        case (.bool(let a), .bool(let b)): return a == b ? 0 : 1
        default: return nil
        }
    }

    static func ordered(_ a: JSONObject, _ b: JSONObject, _ orders: [SalesforceSOQL.Order]) -> Bool? {
        for order in orders {
            let x = a[order.field] ?? .null
            let y = b[order.field] ?? .null
            let result: Int
            switch (x, y) {
            case (.number(let p), .number(let q)): result = p < q ? -1 : p > q ? 1 : 0
            case (.string(let p), .string(let q)):
                // Times in one offset, and ids, sort as text.
                result = p < q ? -1 : p > q ? 1 : 0
            case (.null, .null): result = 0
            case (.null, _): result = -1
            case (_, .null): result = 1
            default: result = 0
            }
            if result != 0 { return order.descending ? result > 0 : result < 0 }
        }
        return nil
    }

    /// SOQL `LIKE`: `%` any run, `_` one character.
    static func like(_ text: String, _ pattern: String) -> Bool {
        let t = Array(text)
        let p = Array(pattern)
        func match(_ i: Int, _ j: Int) -> Bool {
            if j == p.count { return i == t.count }
            if p[j] == "%" { return (i...t.count).contains { match($0, j + 1) } }
            guard i < t.count, p[j] == "_" || p[j] == t[i] else { return false }
            return match(i + 1, j + 1)
        }
        return match(0, 0)
    }

    // MARK: Replication

    /// Ids of live records changed in `[start, end]`.
    mutating func updated(_ type: SalesforceObjectType, start: Int64, end: Int64) -> [String] {
        withTable(type) { table in
            table.records.indices.compactMap { position in
                guard table.stamps[position] >= start, table.stamps[position] <= end, table.records[position]["IsDeleted"] != .bool(true) else {
                    return nil
                }
                return table.records[position]["Id"]?.stringValue
            }
        }
    }

    /// Records deleted in `[start, end]` that the delete log still holds.
    mutating func deleted(_ type: SalesforceObjectType, start: Int64, end: Int64) -> [(id: String, at: Int64)] {
        let emptied = recycleBinEmptiedAt
        return withTable(type) { table in table.deletions.filter { $0.at >= max(start, emptied) && $0.at <= end } }
    }

    /// Empties the Recycle Bin: the deletions logged so far are gone for good.
    mutating func emptyRecycleBin() {
        recycleBinEmptiedAt = stamp()
    }
}
