import Crypto
import Foundation

/// A subscription's signing secret: `whsec_` + base64 of random bytes (Standard Webhooks). The
/// HMAC key is the decoded bytes. Its text is shown to the organization once (at creation and at
/// rotation) and otherwise exists only sealed by the vault.
public struct SigningSecret: Sendable, Equatable {
    public static let prefix = "whsec_"
    public let key: [UInt8]

    public init(key: [UInt8]) {
        self.key = key
    }

    /// 32 fresh random bytes (the scheme asks for 24 to 64).
    public static func generate() -> SigningSecret {
        SigningSecret(key: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    /// Parses `whsec_<base64>`; nil for anything else.
    public init?(text: String) {
        guard text.hasPrefix(Self.prefix), let data = Data(base64Encoded: String(text.dropFirst(Self.prefix.count))),
            (24...64).contains(data.count)
        else { return nil }
        self.key = Array(data)
    }

    public var text: String { Self.prefix + Data(key).base64EncodedString() }
}
