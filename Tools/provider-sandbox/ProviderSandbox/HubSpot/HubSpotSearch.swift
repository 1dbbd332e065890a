import HubConnectors
import HubCore

/// A CRM search (`POST /crm/v3/objects/{type}/search`): `filterGroups` (OR of groups, AND of
/// filters within one; at most 5 groups, 10 filters a group, 25 in all), `sorts` (one), `query`,
/// `properties`, `limit` (at most 200) and `after` (an offset). A search reaches at most 10,000
/// results: asking past that is refused with 400, as HubSpot does.
struct HubSpotSearch {
    struct Filter {
        var property: String
        var op: String
        var value: String?
        var highValue: String?
        var values: [String]
    }

    var groups: [[Filter]] = []
    var sortProperty: String?
    var descending = false
    var query: String?
    var properties: [String]?
    var limit = 10
    var offset = 0

    static let ceiling = 10_000
    static let operators: Set = [
        "EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN", "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN",
        "NOT_CONTAINS_TOKEN",
    ]

    init(_ body: JSONValue) throws(HubSpotAPIError) {
        let groups = body["filterGroups"]?.arrayValue ?? []
        guard groups.count <= 5 else { throw .validation("There were \(groups.count) filter groups, the max is 5") }
        var total = 0
        for group in groups {
            var filters: [Filter] = []
            for filter in group["filters"]?.arrayValue ?? [] {
                guard let property = filter["propertyName"]?.stringValue, let op = filter["operator"]?.stringValue?.uppercased(),
                    Self.operators.contains(op)
                else { throw .validation("Invalid input JSON: every filter needs a propertyName and a known operator") }
                filters.append(
                    Filter(
                        property: property,
                        op: op,
                        value: filter["value"].flatMap(Self.text),
                        highValue: filter["highValue"].flatMap(Self.text),
                        values: filter["values"]?.arrayValue?.compactMap(Self.text) ?? []
                    )
                )
            }
            guard filters.count <= 10 else { throw .validation("There were \(filters.count) filters in a group, the max is 10") }
            total += filters.count
            self.groups.append(filters)
        }
        guard total <= 25 else { throw .validation("There were \(total) filters, the max is 25") }
        if let sort = body["sorts"]?.arrayValue?.first {
            if let text = sort.stringValue {
                // The short form `"-createdate"`.
                descending = text.hasPrefix("-")
                sortProperty = descending ? String(text.dropFirst()) : text
            } else {
                sortProperty = sort["propertyName"]?.stringValue
                descending = sort["direction"]?.stringValue?.uppercased() == "DESCENDING"
            }
        }
        query = body["query"]?.stringValue
        properties = body["properties"]?.arrayValue?.compactMap(\.stringValue)
        if let limit = body["limit"]?.intValue {
            guard (1...200).contains(limit) else { throw .validation("limit must be between 1 and 200, was \(limit)") }
            self.limit = limit
        }
        if let after = body["after"], after != .null {
            guard let offset = Self.text(after).flatMap(Int.init), offset >= 0 else { throw .validation("after must be a number") }
            self.offset = offset
        }
        guard offset < Self.ceiling else {
            throw .validation("Cannot page past \(Self.ceiling) results. Refine the search to reduce the number of results.")
        }
    }

    static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .number(let number): number.rounded() == number ? String(Int64(number)) : String(number)
        case .bool(let flag): String(flag)
        default: nil
        }
    }

    /// The page and the total number of matches.
    func run(_ candidates: [HubSpotRecord]) -> (page: [HubSpotRecord], total: Int) {
        var matches = candidates.filter(admits)
        if let property = sortProperty {
            matches.sort { a, b in
                let order = Self.compare(a.properties[property], b.properties[property])
                if order == 0 { return descending ? a.id > b.id : a.id < b.id }
                return descending ? order > 0 : order < 0
            }
        }
        let start = min(offset, matches.count)
        let end = min(offset + limit, matches.count)
        return (Array(matches[start..<end]), matches.count)
    }

    func admits(_ record: HubSpotRecord) -> Bool {
        if let query, !query.isEmpty {
            let needle = query.lowercased()
            guard record.properties.values.contains(where: { $0.lowercased().contains(needle) }) else { return false }
        }
        guard !groups.isEmpty else { return true }
        return groups.contains { group in group.allSatisfy { Self.admits(record.properties[$0.property], $0) } }
    }

    static func admits(_ actual: String?, _ filter: Filter) -> Bool {
        switch filter.op {
        case "HAS_PROPERTY": return actual.map { !$0.isEmpty } ?? false
        case "NOT_HAS_PROPERTY": return actual.map(\.isEmpty) ?? true
        case "IN": return filter.values.contains { compare(actual, $0) == 0 }
        case "NOT_IN": return !filter.values.contains { compare(actual, $0) == 0 }
        case "CONTAINS_TOKEN":
            return actual?.lowercased().contains((filter.value ?? "").lowercased().replacingOccurrences(of: "*", with: "")) ?? false
        case "NOT_CONTAINS_TOKEN": return !(actual?.lowercased().contains((filter.value ?? "").lowercased()) ?? false)
        default: break
        }
        guard let actual, let value = filter.value else { return filter.op == "NEQ" }
        let order = compare(actual, value)
        switch filter.op {
        case "EQ": return order == 0
        case "NEQ": return order != 0
        case "LT": return order < 0
        case "LTE": return order <= 0
        case "GT": return order > 0
        case "GTE": return order >= 0
        case "BETWEEN": return order >= 0 && compare(actual, filter.highValue ?? value) <= 0
        default: return false
        }
    }

    /// Numbers and times (milliseconds or ISO 8601) by value, everything else as text ignoring case.
    static func compare(_ lhs: String?, _ rhs: String?) -> Int {
        guard let lhs, let rhs else { return lhs == nil ? (rhs == nil ? 0 : -1) : 1 }
        if let x = number(lhs), let y = number(rhs) { return x < y ? -1 : (x > y ? 1 : 0) }
        let x = lhs.lowercased()
        let y = rhs.lowercased()
        return x < y ? -1 : (x > y ? 1 : 0)
    }

    static func number(_ text: String) -> Double? {
        if let value = Double(text) { return value }
        return ISOTimestamp.unix(iso: text).map { ($0 * 1000).rounded() }
    }
}
