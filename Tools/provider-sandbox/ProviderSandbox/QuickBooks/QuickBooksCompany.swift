import Foundation
import HubCore

/// One emulated QuickBooks Online company (a realm): a collection per entity, read through the
/// query language and written with `SyncToken` concurrency.
struct QuickBooksCompany: Sendable {
    let realm: String
    let name: String
    private(set) var collections: [QuickBooksEntity: QuickBooksCollection]
    /// Answers to writes that carried a `requestid`, replayed when the same id comes again.
    var answered: [String: JSONObject] = [:]

    init(realm: String, seed: QuickBooksSeed) {
        self.realm = realm
        name = "Sandbox Company \(realm.suffix(4))"
        var collections: [QuickBooksEntity: QuickBooksCollection] = [:]
        for entity in QuickBooksEntity.allCases { collections[entity] = QuickBooksCollection(entity: entity, seed: seed) }
        self.collections = collections
    }

    func collection(_ entity: QuickBooksEntity) -> QuickBooksCollection {
        collections[entity] ?? QuickBooksCollection(entity: entity, seed: QuickBooksSeed(seed: 0, volume: 0))
    }

    mutating func modify<Result>(
        _ entity: QuickBooksEntity,
        _ body: (inout QuickBooksCollection) throws(QuickBooksFault) -> Result
    )
        throws(QuickBooksFault) -> Result
    {
        var collection = collection(entity)
        collections[entity] = nil
        defer { collections[entity] = collection }
        return try body(&collection)
    }

    /// `GET {entity}/{id}`.
    func read(_ entity: QuickBooksEntity, id: String) throws(QuickBooksFault) -> JSONObject {
        guard let number = Int(id), let object = collection(entity).object(number) else { throw .notFound(entity, id: id) }
        return object
    }

    // MARK: Query

    /// The `QueryResponse` of a parsed query.
    func answer(_ query: QuickBooksQuery) -> JSONObject {
        let collection = collection(query.entity)
        let filtersActive = query.conditions.contains { Self.normalized($0.field) == "active" }
        var rows = collection.rows.filter { row in
            if query.entity.isNameList, !filtersActive, !row.active { return false }
            return query.conditions.allSatisfy { Self.matches($0, row: row, collection: collection) }
        }
        if query.isCount { return ["totalCount": .int(rows.count)] }
        // Rows come in Id order already: only another order sorts (a listing of every page of
        // a large entity would otherwise sort it once per page).
        let byID = query.orders.count == 1 && Self.normalized(query.orders[0].field) == "id" && !query.orders[0].descending
        if !query.orders.isEmpty, !byID {
            let keys = Dictionary(uniqueKeysWithValues: rows.map { row in (row.id, query.orders.map { Self.sortKey($0.field, row, collection) }) })
            rows.sort { left, right in
                for (index, order) in query.orders.enumerated() {
                    let (a, b) = (keys[left.id]?[index] ?? .none, keys[right.id]?[index] ?? .none)
                    if a == b { continue }
                    return order.descending ? b < a : a < b
                }
                return left.id < right.id
            }
        }
        let page = rows.dropFirst(query.startPosition - 1).prefix(query.maxResults)
        var response: JSONObject = ["startPosition": .int(query.startPosition), "maxResults": .int(page.count)]
        if !page.isEmpty {
            response[query.entity.rawValue] = .array(page.compactMap { collection.object($0.id).map(JSONValue.object) })
        }
        return response
    }

    /// A field path in lower case, `metadata` for Intuit's `MetaData` as queries spell it.
    static func normalized(_ field: String) -> String {
        field.lowercased()
    }

    enum SortKey: Comparable {
        case none
        case number(Double)
        case text(String)
    }

    static func sortKey(_ field: String, _ row: QuickBooksCollection.Row, _ collection: QuickBooksCollection) -> SortKey {
        switch normalized(field) {
        case "id": return .number(Double(row.id))
        case "metadata.lastupdatedtime": return .number(Double(row.updated))
        default:
            switch value(field, collection.object(row.id)) {
            case .number(let number)?: return .number(number)
            case .string(let text)?: return QuickBooksTime.parse(text).map { .number(Double($0)) } ?? .text(text.lowercased())
            case .bool(let flag)?: return .number(flag ? 1 : 0)
            default: return .none
            }
        }
    }

    static func matches(_ condition: QuickBooksQuery.Condition, row: QuickBooksCollection.Row, collection: QuickBooksCollection) -> Bool {
        let field = normalized(condition.field)
        let actual: JSONValue?
        switch field {
        case "id": actual = .number(Double(row.id))
        case "metadata.lastupdatedtime": actual = .number(Double(row.updated))
        case "active": actual = .bool(row.active)
        default: actual = value(condition.field, collection.object(row.id))
        }
        guard var actual else { return condition.op == .notEqual }
        // A reference (`CustomerRef`) compares by its `value`, as Intuit's queries read it.
        if case .object(let reference) = actual, let value = reference["value"] { actual = value }
        let isTime = field.hasSuffix("time")
        return condition.values.contains { literal in
            let ordering = compare(actual, literal, asTime: isTime || field == "metadata.lastupdatedtime")
            switch condition.op {
            case .equal, .isIn: return ordering == .orderedSame
            case .notEqual: return ordering != .orderedSame
            case .less: return ordering == .orderedAscending
            case .greater: return ordering == .orderedDescending
            case .lessOrEqual: return ordering == .orderedAscending || ordering == .orderedSame
            case .greaterOrEqual: return ordering == .orderedDescending || ordering == .orderedSame
            case .like: return like(actual, literal)
            }
        }
    }

    /// How an object's value compares with a literal; nil when they cannot be compared.
    static func compare(_ actual: JSONValue, _ literal: QuickBooksQuery.Literal, asTime: Bool) -> ComparisonResult? {
        switch (actual, literal) {
        case (.number(let number), _) where asTime:
            guard case .string(let text) = literal, let time = QuickBooksTime.parse(text) else { return nil }
            return order(number, Double(time))
        case (.string(let text), .string(let other)) where asTime:
            guard let a = QuickBooksTime.parse(text), let b = QuickBooksTime.parse(other) else { return nil }
            return order(Double(a), Double(b))
        case (.number(let number), .number(let other)): return order(number, other)
        case (.number(let number), .string(let text)): return Double(text).map { order(number, $0) }
        case (.string(let text), .number(let other)): return Double(text).map { order($0, other) }
        case (.string(let text), .string(let other)): return order(text.lowercased(), other.lowercased())
        case (.bool(let flag), .bool(let other)): return flag == other ? .orderedSame : .orderedAscending
        default: return nil
        }
    }

    private static func order<Value: Comparable>(_ a: Value, _ b: Value) -> ComparisonResult {
        a < b ? .orderedAscending : a > b ? .orderedDescending : .orderedSame
    }

    /// `LIKE` with `%` wildcards, case-insensitive.
    static func like(_ actual: JSONValue, _ literal: QuickBooksQuery.Literal) -> Bool {
        guard case .string(let text) = actual, case .string(let pattern) = literal else { return false }
        let parts = pattern.lowercased().split(separator: "%", omittingEmptySubsequences: false).map(String.init)
        var rest = Substring(text.lowercased())
        for (index, part) in parts.enumerated() {
            if index == 0 {
                guard rest.hasPrefix(part) else { return false }
                rest = rest.dropFirst(part.count)
            } else if index == parts.count - 1 {
                return part.isEmpty || rest.hasSuffix(part)
            } else if let range = rest.range(of: part) {
                rest = rest[range.upperBound...]
            } else {
                return false
            }
        }
        return rest.isEmpty
    }

    /// The value at a dotted path, matching member names case-insensitively (`Metadata` finds
    /// `MetaData`).
    static func value(_ path: String, _ object: JSONObject?) -> JSONValue? {
        var current: JSONValue? = object.map(JSONValue.object)
        for part in path.split(separator: ".") {
            guard case .object(let members)? = current else { return nil }
            current = members[String(part)] ?? members.first { $0.key.lowercased() == part.lowercased() }?.value
        }
        return current
    }
}
