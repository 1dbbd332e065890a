import Crypto
import Foundation

/// Seals and opens secrets with AES-256-GCM under the key ring, bound to their row.
///
/// There is no fallback: a value that does not open is an error (`VaultError`), never handed on
/// as if it were the secret, and without a configured key ring the services do not start.
public struct CredentialVault: Sendable {
    public let keyRing: VaultKeyRing

    public init(keyRing: VaultKeyRing) {
        self.keyRing = keyRing
    }

    /// Seals bytes under the active key.
    public func seal(_ plaintext: some DataProtocol, for binding: VaultBinding) throws(VaultError) -> SealedSecret {
        let keyID = keyRing.activeKeyID
        do {
            let box = try AES.GCM.seal(
                plaintext,
                using: keyRing.activeKey,
                authenticating: binding.associatedData(keyID: keyID)
            )
            guard let combined = box.combined else { throw VaultError.sealingFailed }
            return SealedSecret(keyID: keyID, ciphertext: Array(combined))
        } catch {
            throw .sealingFailed
        }
    }

    /// Opens a sealed value under whichever ring key sealed it.
    public func open(_ sealed: SealedSecret, for binding: VaultBinding) throws(VaultError) -> [UInt8] {
        guard let key = keyRing.key(id: sealed.keyID) else { throw .unknownKey(sealed.keyID) }
        do {
            let box = try AES.GCM.SealedBox(combined: sealed.ciphertext)
            return Array(try AES.GCM.open(box, using: key, authenticating: binding.associatedData(keyID: sealed.keyID)))
        } catch {
            throw .unreadable
        }
    }

    /// Seals a set of secret fields (every value is treated as secret, whatever its name).
    public func seal(_ fields: SecretFields, for binding: VaultBinding) throws(VaultError) -> SealedSecret {
        try seal(fields.encoded(), for: binding)
    }

    /// Opens a set of secret fields.
    public func openFields(_ sealed: SealedSecret, for binding: VaultBinding) throws(VaultError) -> SecretFields {
        var plaintext = try open(sealed, for: binding)
        defer { plaintext.withUnsafeMutableBytes { $0.initializeMemory(as: UInt8.self, repeating: 0) } }
        return try SecretFields(encoded: plaintext)
    }

    /// Re-seals under the active key (key rotation); a value already under it comes back as is.
    public func reseal(_ sealed: SealedSecret, for binding: VaultBinding) throws(VaultError) -> SealedSecret {
        guard sealed.keyID != keyRing.activeKeyID else { return sealed }
        var plaintext = try open(sealed, for: binding)
        defer { plaintext.withUnsafeMutableBytes { $0.initializeMemory(as: UInt8.self, repeating: 0) } }
        return try seal(plaintext, for: binding)
    }
}
