import Foundation

/// A secret as stored: the id of the key that sealed it and AES-256-GCM's combined output
/// (12-byte nonce, ciphertext, 16-byte tag). Two columns in a row: `<x>_key_id`, `<x>_ciphertext`.
public struct SealedSecret: Sendable, Equatable {
    public var keyID: String
    public var ciphertext: [UInt8]

    public init(keyID: String, ciphertext: [UInt8]) {
        self.keyID = keyID
        self.ciphertext = ciphertext
    }
}

/// The row a secret belongs to, bound into the ciphertext as associated data: a sealed value
/// copied to another row (another organization, another connection, another column) no longer
/// opens.
public struct VaultBinding: Sendable, Equatable {
    /// What kind of secret this is (`connection.credentials`, `webhook_subscription.secret`).
    public var purpose: String
    public var organizationID: UUID
    /// The id of the row that holds it.
    public var rowID: String

    public init(purpose: String, organizationID: UUID, rowID: String) {
        self.purpose = purpose
        self.organizationID = organizationID
        self.rowID = rowID
    }

    /// The associated data: versioned, unambiguous (NUL-separated; none of the parts holds NUL).
    func associatedData(keyID: String) -> Data {
        Data("logiaccounting-hub/vault/v1\u{0}\(purpose)\u{0}\(organizationID.uuidString.lowercased())\u{0}\(rowID)\u{0}\(keyID)".utf8)
    }
}

/// Why a sealed secret could not be opened or a secret could not be sealed. Never carries the
/// plaintext or the key.
public enum VaultError: Error, Equatable, CustomStringConvertible {
    /// The key ring has no key with the stored id (it was dropped too early).
    case unknownKey(String)
    /// Authentication failed: wrong key, tampered bytes, or a ciphertext moved from another row.
    case unreadable
    /// The decrypted bytes are not what was sealed (not the expected encoding).
    case malformedPlaintext
    case sealingFailed

    public var description: String {
        switch self {
        case .unknownKey(let id): "credentials unreadable: vault key '\(id)' is not on the key ring"
        case .unreadable: "credentials unreadable"
        case .malformedPlaintext: "credentials unreadable: the decrypted value is malformed"
        case .sealingFailed: "the secret could not be encrypted"
        }
    }
}
