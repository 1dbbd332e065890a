import Foundation
import HubConnectors
import HubCore

/// A pulled record ready for the store: its payload serialized once (the bytes stored are the
/// bytes hashed), its canonical fields mapped, and the mapping's complaints.
public struct PreparedRecord: Sendable {
    public var externalID: String
    public var remoteUpdatedAt: Date?
    public var payload: String
    /// Hex SHA-256 of `payload`.
    public var contentHash: String
    public var canonical: JSONValue
    public var canonicalText: String
    public var mappingErrors: [String]

    public init(_ record: ProviderRecord, mapping: FieldMapping) {
        let bytes = record.payload.encoded()
        let mapped = mapping.map(record.payload)
        externalID = record.externalID
        remoteUpdatedAt = record.updatedAt
        payload = String(decoding: bytes, as: UTF8.self)
        contentHash = sha256Hex(bytes)
        canonical = mapped.canonical
        canonicalText = String(decoding: mapped.canonical.encoded(), as: UTF8.self)
        mappingErrors = mapped.errors
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
