/// Where a PayPal listing stands, as the caller stores it between pages: plain text, as nothing
/// in it is secret and tampering can only make a listing skip or repeat.
///
/// - `pp1:tx:<from>:<until>:<page>`: Transaction Search, in the 31-day window starting at `from`
///   (unix seconds), at `page`; `until` is where the whole listing ends and becomes its checkpoint.
/// - `pp1:page:<page>`: a paged listing (invoices, disputes) at `page`.
///
/// A checkpoint is `pp1:<seconds>`.
enum PayPalListCursor: Equatable, PrefixedListCursor {
    typealias Checkpoint = Int
    static let connectorName = "PayPal"
    case transactions(from: Int, until: Int, page: Int)
    case page(Int)

    static let prefix = "pp1:"

    var encoded: String {
        switch self {
        case .transactions(let from, let until, let page): "\(Self.prefix)tx:\(from):\(until):\(page)"
        case .page(let page): "\(Self.prefix)page:\(page)"
        }
    }

    init(decoding text: String) throws(ConnectorError) {
        guard text.hasPrefix(Self.prefix) else { throw Self.invalid }
        let parts = text.dropFirst(Self.prefix.count).split(separator: ":").map(String.init)
        switch parts.first {
        case "tx"? where parts.count == 4:
            guard let from = Int(parts[1]), let until = Int(parts[2]), let page = Int(parts[3]), from <= until, page >= 1 else { throw Self.invalid }
            self = .transactions(from: from, until: until, page: page)
        case "page"? where parts.count == 2:
            guard let page = Int(parts[1]), page >= 1 else { throw Self.invalid }
            self = .page(page)
        default:
            throw Self.invalid
        }
    }
}
