import HubConnectors
import HubCore
import HubSync
import Testing

/// A record is stored as the provider wrote it when the connector kept its text, and content
/// written two ways is still one content.
@Suite struct PreparedRecordTests {
    static let mapping = StripeConnector.defaultFieldMappings["customers"]!

    /// A customer as Stripe writes it (`id` and `object` first), or as the hub writes it (sorted).
    static func customer(name: String, listed: Bool) -> PreparedRecord {
        let payload: JSONValue = ["id": "cus_1", "object": "customer", "name": .string(name)]
        let text = Array(#"{"id":"cus_1","object":"customer","name":"\#(name)"}"#.utf8)
        let record = ProviderRecord(externalID: "cus_1", updatedAt: nil, payload: payload, payloadText: listed ? text[...] : nil)
        return PreparedRecord(record, mapping: mapping)
    }

    @Test func aListingsTextIsStoredAndHashedAsItCame() {
        let listed = Self.customer(name: "Ada", listed: true)
        let text = #"{"id":"cus_1","object":"customer","name":"Ada"}"#
        #expect(listed.payload == text)
        #expect(listed.contentHash == sha256Hex(Array(text.utf8)))
        let written = Self.customer(name: "Ada", listed: false)
        #expect(written.payload == #"{"id":"cus_1","name":"Ada","object":"customer"}"#)
        #expect(listed.canonicalText == #"{"id":"cus_1","name":"Ada"}"#)
        #expect(written.canonicalText == listed.canonicalText)
    }

    @Test func theSameContentWrittenTwoWaysIsOneContent() {
        let listed = Self.customer(name: "Ada", listed: true)
        let written = Self.customer(name: "Ada", listed: false)
        #expect(listed.contentHash != written.contentHash)
        #expect(written.hasSameContent(asStored: listed.payload, hash: listed.contentHash))
        #expect(listed.hasSameContent(asStored: written.payload, hash: written.contentHash))
        let changed = Self.customer(name: "Bea", listed: false)
        #expect(!changed.hasSameContent(asStored: listed.payload, hash: listed.contentHash))
        #expect(!written.hasSameContent(asStored: nil, hash: nil), "nothing stored")
        #expect(written.hasSameContent(asStored: nil, hash: written.contentHash), "equal hashes settle it alone")
        #expect(!written.hasSameContent(asStored: "not json", hash: listed.contentHash))
    }

    @Test func theHashIsOfTheTextAsStoredWhenTheProvidersBytesAreNotUTF8() {
        let bytes: [UInt8] = Array(#"{"id":"cus_1","name":"A"#.utf8) + [0xFF] + Array(#""}"#.utf8)
        let payload: JSONValue = ["id": "cus_1", "name": .string(String(decoding: [0x41, 0xFF], as: UTF8.self))]
        let listed = ProviderRecord(externalID: "cus_1", updatedAt: nil, payload: payload, payloadText: bytes[...])
        let record = PreparedRecord(listed, mapping: Self.mapping)
        #expect(record.payload.contains("\u{FFFD}"), "repaired as PostgreSQL needs it")
        #expect(record.contentHash == sha256Hex(Array(record.payload.utf8)))
        #expect(record.contentHash != sha256Hex(bytes))
        #expect(record.payloadIsProviders)
    }
}
