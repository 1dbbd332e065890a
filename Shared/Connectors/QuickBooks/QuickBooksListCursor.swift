import Foundation

/// Where a QuickBooks listing stands, as the caller stores it between pages: plain text, as
/// nothing in it is secret and tampering can only make a listing skip or repeat.
///
/// - `qbo1:full:<startposition>:<checkpoint>`: a full listing by the query language, continuing
///   at a 1-based `STARTPOSITION`, which hands `checkpoint` over at its end.
/// - `qbo1:cdc:<since>`: change data capture continuing from `since` (inclusive).
///
/// Checkpoints and `since` are unix seconds; a checkpoint on its own is `qbo1:<seconds>`.
enum QuickBooksListCursor: Equatable, PrefixedListCursor {
    typealias Checkpoint = Int
    static let connectorName = "QuickBooks"
    case full(startPosition: Int, checkpoint: Int)
    case changes(since: Int)

    static let prefix = "qbo1:"

    var encoded: String {
        switch self {
        case .full(let start, let checkpoint): "\(Self.prefix)full:\(start):\(checkpoint)"
        case .changes(let since): "\(Self.prefix)cdc:\(since)"
        }
    }

    init(decoding text: String) throws(ConnectorError) {
        let parts = text.dropFirst(Self.prefix.count).split(separator: ":")
        guard text.hasPrefix(Self.prefix) else { throw Self.invalid }
        switch parts.first {
        case "full"? where parts.count == 3:
            guard let start = Int(parts[1]), start >= 1, let checkpoint = Int(parts[2]) else { throw Self.invalid }
            self = .full(startPosition: start, checkpoint: checkpoint)
        case "cdc"? where parts.count == 2:
            guard let since = Int(parts[1]) else { throw Self.invalid }
            self = .changes(since: since)
        default:
            throw Self.invalid
        }
    }
}
