/// Where a Salesforce listing stands, as the caller stores it between pages: plain text, as
/// nothing in it is secret and tampering can only make a listing skip or repeat.
///
/// - `sf1:next:<checkpoint>:<nextRecordsUrl>`: a query (full or incremental) continuing at the
///   locator Salesforce handed back, which hands `checkpoint` over at its end.
/// - `sf1:relist:<checkpoint>:<nextRecordsUrl>`: the same for a full query run in place of an
///   incremental one whose checkpoint was too old (its pages are `isFullRelisting`).
///
/// Checkpoints are unix milliseconds of `SystemModstamp`; one on its own is `sf1:<milliseconds>`.
enum SalesforceListCursor: Equatable, PrefixedListCursor {
    typealias Checkpoint = Int64
    static let connectorName = "Salesforce"
    case next(checkpoint: Int64, url: String, relisting: Bool = false)

    static let prefix = "sf1:"

    var encoded: String {
        switch self {
        case .next(let checkpoint, let url, let relisting): "\(Self.prefix)\(relisting ? "relist" : "next"):\(checkpoint):\(url)"
        }
    }

    init(decoding text: String) throws(ConnectorError) {
        guard text.hasPrefix(Self.prefix) else { throw Self.invalid }
        let parts = text.dropFirst(Self.prefix.count).split(separator: ":", maxSplits: 2)
        guard parts.count == 3, parts[0] == "next" || parts[0] == "relist", let checkpoint = Int64(parts[1]),
            parts[2].hasPrefix("/services/data/")
        else {
            throw Self.invalid
        }
        self = .next(checkpoint: checkpoint, url: String(parts[2]), relisting: parts[0] == "relist")
    }
}
