import Foundation

/// The opaque position of a Stripe listing, as the caller stores it between pages (base64url
/// JSON, prefixed `stripe1.`). A full listing carries the id to continue after and the checkpoint
/// it will hand over at its end; an incremental one carries the newest change already returned.
/// Nothing in it is secret; tampering with it can only make a listing skip or repeat.
struct StripeListCursor: Codable, Sendable, Equatable {
    enum Mode: String, Codable, Sendable {
        /// Every object, newest first, continuing `starting_after`.
        case full
        /// Changes oldest first, continuing `ending_before` the anchor (events, or the entity's
        /// own list for immutable objects).
        case changes
    }

    /// Where a completed listing ended: the newest change (event id, or the newest immutable
    /// object's id) that existed when it started, and that change's time. `anchor` is nil when
    /// the account had no such change yet; `at` is then when the listing started.
    struct Checkpoint: Codable, Sendable, Equatable {
        var anchor: String?
        var at: Int

        var encoded: String { StripeListCursor.encode(self) }

        static func decode(_ text: String) throws(ConnectorError) -> Checkpoint {
            try StripeListCursor.decode(text, as: Checkpoint.self)
        }
    }

    var mode: Mode
    /// `full`: the last id returned, and its creation time (to carry on from if that object is
    /// deleted before the next page is read).
    var after: String?
    var afterCreated: Int?
    /// `full`: the checkpoint taken when the listing started, handed over on its last page.
    /// `changes`: the newest change returned so far.
    var checkpoint: Checkpoint

    var encoded: String { Self.encode(self) }

    static func decode(_ text: String) throws(ConnectorError) -> StripeListCursor {
        try decode(text, as: StripeListCursor.self)
    }

    // MARK: Encoding

    static let prefix = "stripe1."

    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = (try? encoder.encode(value)) ?? Data()
        return prefix
            + data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode<Value: Decodable>(_ text: String, as type: Value.Type) throws(ConnectorError) -> Value {
        guard text.hasPrefix(prefix) else { throw invalid }
        var base64 = String(text.dropFirst(prefix.count)).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let value = try? JSONDecoder().decode(Value.self, from: data) else { throw invalid }
        return value
    }

    static let invalid = ConnectorError.validation(message: "the cursor or checkpoint was not made by the Stripe connector", field: "cursor")
}
