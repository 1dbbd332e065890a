import Foundation
import HubConnectors
import HubCore

/// A pulled record ready for the store: its payload's text (the provider's own where the
/// connector kept it, else the hub's writing) and that text's hash, its canonical fields mapped,
/// and the mapping's complaints.
public struct PreparedRecord: Sendable {
    public var externalID: String
    public var remoteUpdatedAt: Date?
    public var payload: String
    /// Hex SHA-256 of `payload`'s bytes. The same content written two ways (a listing's text
    /// and the hub's writing of a webhook's object) hashes differently: equal hashes mean equal
    /// content; different ones are settled by `hasSameContent(asStored:hash:)` (and in SQL by
    /// `hub_same_json`, when the two writings are of different origins).
    public var contentHash: String
    /// Whether `payload` is the provider's text rather than the hub's writing.
    public var payloadIsProviders: Bool
    /// The canonical fields' JSON text (keys sorted).
    public var canonicalText: String
    public var mappingErrors: [String]

    public init(_ record: ProviderRecord, mapping: FieldMapping) {
        let mapped = mapping.mapText(record.payload)
        externalID = record.externalID
        remoteUpdatedAt = record.updatedAt
        if let text = record.payloadText {
            // The hash is of the text as stored: invalid UTF-8 in the provider's bytes is repaired.
            var stored = String(decoding: text, as: UTF8.self)
            contentHash = stored.withUTF8(sha256Hex)
            payload = stored
            payloadIsProviders = true
        } else {
            let bytes = record.payload.encoded()
            payload = String(decoding: bytes, as: UTF8.self)
            contentHash = sha256Hex(bytes)
            payloadIsProviders = false
        }
        canonicalText = String(decoding: mapped.text, as: UTF8.self)
        mappingErrors = mapped.errors
    }

    /// Whether this record's payload is the content stored as `payload` with `hash`: the same
    /// hash, or texts that read as the same JSON. False when nothing is stored.
    public func hasSameContent(asStored payload: String?, hash: String?) -> Bool {
        if hash == contentHash { return true }
        guard let payload, let stored = JSONReader.parse(Array(payload.utf8)) else { return false }
        return JSONReader.parse(Array(self.payload.utf8)) == stored
    }

    /// The page's records, the last occurrence of an id winning: one statement cannot upsert the
    /// same row twice, and a provider may repeat an object across a resumed page boundary.
    public static func prepare(_ records: [ProviderRecord], mapping: FieldMapping) -> [PreparedRecord] {
        var seen = Set<String>()
        var prepared: [PreparedRecord] = []
        prepared.reserveCapacity(records.count)
        for record in records.reversed() where seen.insert(record.externalID).inserted {
            prepared.append(PreparedRecord(record, mapping: mapping))
        }
        return prepared.reversed()
    }
}
