/// Where a HubSpot listing stands, as the caller stores it between pages: plain text, as nothing
/// in it is secret and tampering can only make a listing skip or repeat. Times are unix
/// milliseconds.
///
/// - `hs1:list:<after>:<checkpoint>`: a full listing through `GET /crm/v3/objects/{type}`,
///   continuing at HubSpot's `after` (empty for the first page), which hands `checkpoint` over.
/// - `hs1:search:<from>:<skip>:<since>`: an incremental listing through the search endpoint,
///   continuing with the objects changed at or after `from`, past the `skip` of them changed
///   exactly at `from` already read; `since` is where the listing began (for its deletions).
/// - `hs1:archived:<after>:<since>:<newest>`: the deletions phase: archived objects, those
///   archived at or after `since` reported, `newest` the checkpoint it hands over.
///
/// A checkpoint on its own is `hs1:<milliseconds>`.
enum HubSpotListCursor: Equatable, PrefixedListCursor {
    typealias Checkpoint = Int64
    static let connectorName = "HubSpot"
    case full(after: String?, checkpoint: Int64)
    case search(from: Int64, skip: Int, since: Int64)
    case archived(after: String?, since: Int64, newest: Int64)

    static let prefix = "hs1:"

    var encoded: String {
        switch self {
        case .full(let after, let checkpoint): "\(Self.prefix)list:\(after ?? ""):\(checkpoint)"
        case .search(let from, let skip, let since): "\(Self.prefix)search:\(from):\(skip):\(since)"
        case .archived(let after, let since, let newest): "\(Self.prefix)archived:\(after ?? ""):\(since):\(newest)"
        }
    }

    init(decoding text: String) throws(ConnectorError) {
        guard text.hasPrefix(Self.prefix) else { throw Self.invalid }
        let parts = text.dropFirst(Self.prefix.count).split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch parts.first {
        case "list"? where parts.count == 3:
            guard Self.isCursorText(parts[1]), let checkpoint = Int64(parts[2]) else { throw Self.invalid }
            self = .full(after: parts[1].isEmpty ? nil : parts[1], checkpoint: checkpoint)
        case "search"? where parts.count == 4:
            guard let from = Int64(parts[1]), let skip = Int(parts[2]), skip >= 0, let since = Int64(parts[3]) else { throw Self.invalid }
            self = .search(from: from, skip: skip, since: since)
        case "archived"? where parts.count == 4:
            guard Self.isCursorText(parts[1]), let since = Int64(parts[2]), let newest = Int64(parts[3]) else { throw Self.invalid }
            self = .archived(after: parts[1].isEmpty ? nil : parts[1], since: since, newest: newest)
        default:
            throw Self.invalid
        }
    }

    /// HubSpot's `after` values are short tokens of letters, digits, `-` and `_`.
    static func isCursorText(_ text: String) -> Bool {
        text.count <= 256
            && text.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_=".unicodeScalars.contains($0))
            }
    }
}
