import Foundation

/// The connector's opaque cursor inside one `/transactions/sync` loop: Plaid's cursor for the
/// next page, and the cursor the loop began with. When Plaid answers
/// `TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION`, the loop restarts from `start`, as Plaid
/// requires; pages already returned are then returned again (the hub's upserts are idempotent).
struct PlaidListCursor: Codable, Equatable {
    var start: String
    var next: String

    enum CodingKeys: String, CodingKey {
        case start = "s"
        case next = "n"
    }

    init(start: String, next: String) {
        self.start = start
        self.next = next
    }

    init(encoded: String) throws(ConnectorError) {
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let cursor = try? JSONDecoder().decode(Self.self, from: data) else {
            throw .validation(message: "the cursor is not one this Plaid connector issued", field: "cursor")
        }
        self = cursor
    }

    var encoded: String {
        let data = (try? JSONEncoder().encode(self)) ?? Data()
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
