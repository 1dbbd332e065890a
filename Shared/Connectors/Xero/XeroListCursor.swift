import Foundation

/// The opaque position of a Xero listing between pages (`xero1.` + base64url JSON): the next
/// page, the `If-Modified-Since` it runs with, and what it has learned for its checkpoint — the
/// server's time when the first page was read and the newest `UpdatedDateUTC` seen so far.
/// Nothing in it is secret; tampering with it can only make a listing skip or repeat.
struct XeroListCursor: Codable, Sendable, Equatable {
    var page: Int
    /// The listing's `If-Modified-Since`, unix milliseconds; nil for a full listing.
    var since: Int64?
    /// Milliseconds: the first page's server time, and the newest change seen.
    var started: Int64
    var newest: Int64?

    static let prefix = "xero1."

    var encoded: String {
        let data = (try? JSONEncoder().encode(self)) ?? Data()
        return Self.prefix
            + data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init(page: Int, since: Int64?, started: Int64, newest: Int64?) {
        self.page = page
        self.since = since
        self.started = started
        self.newest = newest
    }

    init(encoded text: String) throws(ConnectorError) {
        guard text.hasPrefix(Self.prefix) else { throw Self.invalid }
        var base64 = String(text.dropFirst(Self.prefix.count)).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let cursor = try? JSONDecoder().decode(Self.self, from: data), cursor.page >= 1 else {
            throw Self.invalid
        }
        self = cursor
    }

    static let invalid = ConnectorError.validation(message: "the cursor was not made by the Xero connector", field: "cursor")
}
