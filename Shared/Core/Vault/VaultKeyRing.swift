import Crypto
import Foundation

/// The credential vault's keys: every key that may have sealed a stored secret, by id, and the
/// one that seals new secrets.
///
/// Configured as `HUB_VAULT_KEYS=<id>:<base64 of 32 bytes>[,<id>:<base64>…]` and
/// `HUB_VAULT_ACTIVE_KEY=<id>`. Rotation without downtime: add the new key to every replica's
/// ring (old one still active), then make the new key active, then run `hubctl vault reencrypt`,
/// then drop the old key. Readers never need the active key to be the one that sealed a value.
public struct VaultKeyRing: Sendable {
    /// Why a key ring's configuration was refused; each says what to fix.
    public enum ConfigurationProblem: Error, Equatable, CustomStringConvertible {
        case empty
        /// The entry's position (1-based) in the list: never its text, which may hold key material.
        case malformedEntry(position: Int)
        case invalidKeyID(String)
        case wrongKeyLength(id: String, bytes: Int)
        case duplicateKeyID(String)
        case unknownActiveKey(String)

        public var description: String {
            switch self {
            case .empty:
                "HUB_VAULT_KEYS is empty: the credential vault needs at least one key "
                    + "(<id>:<base64 of 32 random bytes>; `hubctl vault generate-key` prints one)"
            case .malformedEntry(let position):
                "HUB_VAULT_KEYS entry \(position) is not <id>:<base64 of 32 bytes>"
            case .invalidKeyID(let id):
                "HUB_VAULT_KEYS key id '\(id)' must be 1–32 letters, digits, '-' or '_'"
            case .wrongKeyLength(let id, let bytes):
                "HUB_VAULT_KEYS key '\(id)' is \(bytes) bytes; AES-256 needs exactly 32"
            case .duplicateKeyID(let id):
                "HUB_VAULT_KEYS names key '\(id)' twice"
            case .unknownActiveKey(let id):
                "HUB_VAULT_ACTIVE_KEY '\(id)' is not one of the keys in HUB_VAULT_KEYS"
            }
        }
    }

    /// The id of the key that seals new secrets.
    public let activeKeyID: String
    private let keys: [String: SymmetricKey]

    /// Every key id on the ring, sorted.
    public var keyIDs: [String] { keys.keys.sorted() }

    public init(keys: [String: SymmetricKey], activeKeyID: String) throws(ConfigurationProblem) {
        guard !keys.isEmpty else { throw .empty }
        for (id, key) in keys {
            guard Self.isValidID(id) else { throw .invalidKeyID(id) }
            guard key.bitCount == 256 else { throw .wrongKeyLength(id: id, bytes: key.bitCount / 8) }
        }
        guard keys[activeKeyID] != nil else { throw .unknownActiveKey(activeKeyID) }
        self.keys = keys
        self.activeKeyID = activeKeyID
    }

    /// Parses the two configuration values. With one key and no active id, that key is active.
    public init(configuration keysValue: String, activeKeyID: String?) throws(ConfigurationProblem) {
        var keys: [String: SymmetricKey] = [:]
        let entries = keysValue.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        for (index, entry) in entries.enumerated() {
            guard let colon = entry.firstIndex(of: ":") else { throw .malformedEntry(position: index + 1) }
            let id = String(entry[..<colon])
            guard Self.isValidID(id) else { throw .invalidKeyID(id) }
            guard let bytes = Data(base64Encoded: String(entry[entry.index(after: colon)...])) else {
                throw .malformedEntry(position: index + 1)
            }
            guard bytes.count == 32 else { throw .wrongKeyLength(id: id, bytes: bytes.count) }
            guard keys.updateValue(SymmetricKey(data: bytes), forKey: id) == nil else { throw .duplicateKeyID(id) }
        }
        guard !keys.isEmpty else { throw .empty }
        let active = activeKeyID ?? (keys.count == 1 ? keys.keys.first! : "")
        try self.init(keys: keys, activeKeyID: active)
    }

    func key(id: String) -> SymmetricKey? {
        keys[id]
    }

    var activeKey: SymmetricKey {
        keys[activeKeyID]!
    }

    /// A fresh random key in configuration form: `<id>:<base64>`.
    public static func generateEntry(id: String) -> String {
        let key = SymmetricKey(size: .bits256)
        return id + ":" + key.withUnsafeBytes { Data($0).base64EncodedString() }
    }

    static func isValidID(_ id: String) -> Bool {
        (1...32).contains(id.count)
            && id.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || $0 == "-" || $0 == "_" }
    }
}
