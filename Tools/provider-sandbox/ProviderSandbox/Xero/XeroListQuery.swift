import HubCore

/// What a list request asked for: Xero's `page` / `pageSize` (100 by default, at most 1000),
/// `If-Modified-Since`, `where`, `order`, `Statuses`, `IDs` and `includeArchived`. Without `page`
/// a paged collection answers everything, as Xero's do.
struct XeroListQuery: Sendable {
    static let defaultPageSize = 100
    static let maxPageSize = 1000

    var page: Int?
    var pageSize = defaultPageSize
    var modifiedSince: Int64?
    var filter: XeroWhere?
    /// The field to sort by (dotted) and whether descending.
    var order: (path: [String], descending: Bool)?
    var statuses: Set<String>?
    var ids: Set<String>?
    var includeArchived = false

    /// Whether the object passes every filter but paging.
    func admits(_ object: JSONObject, updated: Int64, resource: XeroResource) -> Bool {
        if let modifiedSince, updated <= modifiedSince { return false }
        let status = object[resource.statusField]?.stringValue ?? ""
        if resource.hidesArchived, !includeArchived, status == "ARCHIVED" { return false }
        if let statuses, !statuses.contains(status) { return false }
        if let ids, !ids.contains((object[resource.idField]?.stringValue ?? "").lowercased()) { return false }
        if let filter, !filter.matches(object) { return false }
        return true
    }

    /// Parses `order` (`UpdatedDateUTC DESC`, `Name`); nil when it is not a field name.
    static func order(_ text: String) -> (path: [String], descending: Bool)? {
        let words = text.split(separator: " ").map(String.init)
        guard let field = words.first, field.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." }), words.count <= 2 else { return nil }
        let direction = words.count == 2 ? words[1].uppercased() : "ASC"
        guard direction == "ASC" || direction == "DESC" else { return nil }
        return (field.split(separator: ".").map(String.init), direction == "DESC")
    }
}
