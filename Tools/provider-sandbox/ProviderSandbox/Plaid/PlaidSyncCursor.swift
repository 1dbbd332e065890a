import Foundation

/// A `/transactions/sync` cursor: the Item, a position in its change log, and the log's length
/// when the pagination loop began. A cursor in the middle of a loop whose Item changed since is
/// refused with `TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION`, as Plaid does.
struct PlaidSyncCursor: Equatable {
    var itemID: String
    var position: Int
    /// The log length the loop pages towards; equal to `position` at the end of a loop.
    var end: Int

    var isMidLoop: Bool { position < end }

    var encoded: String {
        Data("v1|\(itemID)|\(position)|\(end)".utf8).base64EncodedString()
    }

    init(itemID: String, position: Int, end: Int) {
        self.itemID = itemID
        self.position = position
        self.end = end
    }

    /// Nil when `text` is not a cursor the sandbox issued.
    init?(_ text: String) {
        guard let data = Data(base64Encoded: text) else { return nil }
        let parts = String(decoding: data, as: UTF8.self).split(separator: "|").map(String.init)
        guard parts.count == 4, parts[0] == "v1", let position = Int(parts[2]), let end = Int(parts[3]), position >= 0, position <= end
        else { return nil }
        self.init(itemID: parts[1], position: position, end: end)
    }
}
