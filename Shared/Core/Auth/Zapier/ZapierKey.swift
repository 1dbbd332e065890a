import Crypto
import Foundation

/// An organization's API key for Zapier as lists show it: never the key, only its first
/// characters and last four, so a person can tell keys apart.
public struct ZapierKey: Sendable, Encodable, Equatable {
    public var id: UUID
    public var organizationID: UUID
    public var organizationName: String
    public var name: String?
    public var prefix: String
    public var last4: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    /// Set on a revoked key; only a list that asks for revoked keys holds one.
    public var revokedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, name, prefix, last4
        case organizationName = "organization_name"
        case createdAt = "created_at"
        case lastUsedAt = "last_used_at"
        case revokedAt = "revoked_at"
    }
}

/// A key just created, with its text: the answer to creation only (the hub keeps its hash).
public struct RevealedZapierKey: Sendable, Encodable {
    public var key: ZapierKey
    public var apiKey: String

    enum CodingKeys: String, CodingKey {
        case apiKey = "api_key"
    }

    public func encode(to encoder: any Encoder) throws {
        try key.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(apiKey, forKey: .apiKey)
    }
}

/// The text of a key: `hzk_` and 32 random bytes in hex (256 bits, so one SHA-256 is a safe hash:
/// nothing to brute-force), and what is stored of it.
public enum ZapierKeyText {
    public static let marker = "hzk_"
    /// Characters a list shows from the start: the marker and four of the random part.
    static let shownPrefix = marker.count + 4

    public static func generate() -> String {
        marker + SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }.hexString
    }

    public static func hash(_ key: String) -> [UInt8] {
        sha256(Array(key.utf8))
    }

    /// Whether a presented value can be a key at all (checked before any query).
    public static func isWellFormed(_ key: String) -> Bool {
        key.hasPrefix(marker) && key.utf8.count == marker.count + 64 && key.dropFirst(marker.count).allSatisfy(\.isHexDigit)
    }
}
