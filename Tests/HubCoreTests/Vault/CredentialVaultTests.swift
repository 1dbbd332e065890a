import Crypto
import Foundation
import Testing

@testable import HubCore

@Suite struct CredentialVaultTests {
    static let organization = UUID()
    static let binding = VaultBinding(purpose: "connection.credentials", organizationID: organization, rowID: "row-1")

    static func ring(_ ids: [String], active: String, keys: [String: SymmetricKey] = [:]) throws -> VaultKeyRing {
        var all = keys
        for id in ids where all[id] == nil { all[id] = SymmetricKey(size: .bits256) }
        return try VaultKeyRing(keys: all, activeKeyID: active)
    }

    @Test func sealedFieldsOpenAndHideTheirValues() throws {
        let vault = CredentialVault(keyRing: try Self.ring(["k1"], active: "k1"))
        let fields = SecretFields(["api_key": "sk_live_very_secret", "client_secret": "cs_also_secret"])
        let sealed = try vault.seal(fields, for: Self.binding)
        #expect(sealed.keyID == "k1")
        let bytes = String(decoding: sealed.ciphertext, as: UTF8.self)
        #expect(!bytes.contains("sk_live_very_secret"))
        #expect(try vault.openFields(sealed, for: Self.binding) == fields)
        #expect(!"\(fields)".contains("secret_") && !"\(fields)".contains("sk_live"))
        #expect("\(fields)".contains("api_key"))
    }

    @Test func sealingTwiceGivesDifferentCiphertexts() throws {
        let vault = CredentialVault(keyRing: try Self.ring(["k1"], active: "k1"))
        let a = try vault.seal(Array("same".utf8), for: Self.binding)
        let b = try vault.seal(Array("same".utf8), for: Self.binding)
        #expect(a.ciphertext != b.ciphertext)
    }

    @Test(arguments: [
        VaultBinding(purpose: "connection.credentials", organizationID: UUID(), rowID: "row-1"),
        VaultBinding(purpose: "connection.credentials", organizationID: organization, rowID: "row-2"),
        VaultBinding(purpose: "webhook_subscription.secret", organizationID: organization, rowID: "row-1"),
    ])
    func aCiphertextMovedToAnotherRowDoesNotOpen(other: VaultBinding) throws {
        let vault = CredentialVault(keyRing: try Self.ring(["k1"], active: "k1"))
        let sealed = try vault.seal(SecretFields(["api_key": "x"]), for: Self.binding)
        #expect(throws: VaultError.unreadable) { try vault.openFields(sealed, for: other) }
    }

    @Test func aTamperedCiphertextDoesNotOpen() throws {
        let vault = CredentialVault(keyRing: try Self.ring(["k1"], active: "k1"))
        var sealed = try vault.seal(SecretFields(["api_key": "x"]), for: Self.binding)
        sealed.ciphertext[sealed.ciphertext.count / 2] ^= 0x01
        #expect(throws: VaultError.unreadable) { try vault.openFields(sealed, for: Self.binding) }
        sealed.ciphertext = Array(sealed.ciphertext.prefix(5))
        #expect(throws: VaultError.unreadable) { try vault.openFields(sealed, for: Self.binding) }
    }

    @Test func theKeyIDIsBoundToo() throws {
        let shared = SymmetricKey(size: .bits256)
        let vault = CredentialVault(keyRing: try Self.ring(["k1", "k2"], active: "k1", keys: ["k1": shared, "k2": shared]))
        var sealed = try vault.seal(SecretFields(["api_key": "x"]), for: Self.binding)
        sealed.keyID = "k2"  // the same key bytes under another id must not open
        #expect(throws: VaultError.unreadable) { try vault.openFields(sealed, for: Self.binding) }
    }

    @Test func rotationKeepsOldCiphertextsReadableAndResealsUnderTheNewKey() throws {
        let k1 = SymmetricKey(size: .bits256)
        let old = CredentialVault(keyRing: try Self.ring(["k1"], active: "k1", keys: ["k1": k1]))
        let sealed = try old.seal(SecretFields(["refresh_token": "rt"]), for: Self.binding)
        let rotated = CredentialVault(keyRing: try Self.ring(["k1", "k2"], active: "k2", keys: ["k1": k1]))
        #expect(try rotated.openFields(sealed, for: Self.binding)["refresh_token"] == "rt")
        let resealed = try rotated.reseal(sealed, for: Self.binding)
        #expect(resealed.keyID == "k2")
        #expect(try rotated.reseal(resealed, for: Self.binding) == resealed)
        let withoutOld = CredentialVault(keyRing: try Self.ring(["k2"], active: "k2", keys: ["k2": try rotated.keyRingKey("k2")]))
        #expect(try withoutOld.openFields(resealed, for: Self.binding)["refresh_token"] == "rt")
        #expect(throws: VaultError.unknownKey("k1")) { try withoutOld.openFields(sealed, for: Self.binding) }
    }

    @Test func keyRingConfigurationIsCheckedStrictly() throws {
        let key = Data(repeating: 1, count: 32).base64EncodedString()
        let short = Data(repeating: 1, count: 16).base64EncodedString()
        #expect(throws: VaultKeyRing.ConfigurationProblem.empty) { try VaultKeyRing(configuration: " , ", activeKeyID: nil) }
        #expect(throws: VaultKeyRing.ConfigurationProblem.wrongKeyLength(id: "k1", bytes: 16)) {
            try VaultKeyRing(configuration: "k1:\(short)", activeKeyID: nil)
        }
        #expect(throws: VaultKeyRing.ConfigurationProblem.duplicateKeyID("k1")) {
            try VaultKeyRing(configuration: "k1:\(key),k1:\(key)", activeKeyID: "k1")
        }
        #expect(throws: VaultKeyRing.ConfigurationProblem.unknownActiveKey("k9")) {
            try VaultKeyRing(configuration: "k1:\(key)", activeKeyID: "k9")
        }
        #expect(throws: VaultKeyRing.ConfigurationProblem.malformedEntry(position: 1)) { try VaultKeyRing(configuration: "k1", activeKeyID: nil) }
        #expect(throws: VaultKeyRing.ConfigurationProblem.malformedEntry(position: 2)) {
            try VaultKeyRing(configuration: "k1:\(key),\(key)", activeKeyID: "k1")
        }
        #expect(!VaultKeyRing.ConfigurationProblem.malformedEntry(position: 2).description.contains(key.prefix(6)))
        // Two keys and no active one named: ambiguous, refused.
        #expect(throws: VaultKeyRing.ConfigurationProblem.unknownActiveKey("")) {
            try VaultKeyRing(configuration: "k1:\(key),k2:\(key)", activeKeyID: nil)
        }
        let ring = try VaultKeyRing(configuration: "k1:\(key), k2:\(key)", activeKeyID: "k2")
        #expect(ring.keyIDs == ["k1", "k2"])
        #expect(ring.activeKeyID == "k2")
        let generated = VaultKeyRing.generateEntry(id: "new")
        #expect(try VaultKeyRing(configuration: generated, activeKeyID: nil).activeKeyID == "new")
    }
}

extension CredentialVault {
    /// The raw key of an id, for building a second ring in tests.
    fileprivate func keyRingKey(_ id: String) throws -> SymmetricKey {
        try #require(keyRing.key(id: id))
    }
}
