import Crypto
import Foundation
import HubConnections
import HubCore
import HubTestSupport
import Logging
import PostgresNIO
import XCTest

/// Key rotation against a real PostgreSQL: every secret ends under the new key, opening to its
/// latest value, while writers keep replacing credentials during the run.
final class VaultReencryptionTests: XCTestCase {
    func testReencryptionUnderConcurrentWritesLosesNothing() async throws {
        // Its own database: the tool re-seals every row it finds, other tests' rows included.
        let database = try await TestDatabase.create(prefix: "hub_vault")
        defer { Task { try? await database.drop() } }
        let hub = try await TestHub.make(service: .connection, database: database.url)
        let postgres = hub.dependencies.postgres
        let logger = hub.dependencies.logger
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await postgres.run() }
            defer { group.cancelAll() }
            try await Migrator(client: postgres, logger: logger).migrate(Migration.bundled())

            let k1 = SymmetricKey(size: .bits256)
            let oldVault = CredentialVault(keyRing: try VaultKeyRing(keys: ["old": k1], activeKeyID: "old"))
            let newVault = CredentialVault(
                keyRing: try VaultKeyRing(keys: ["old": k1, "new": SymmetricKey(size: .bits256)], activeKeyID: "new")
            )
            let repository = ConnectionRepository(client: postgres, logger: logger)
            let oldStore = CredentialStore(repository: repository, vault: oldVault, logger: logger)
            let newStore = CredentialStore(repository: repository, vault: newVault, logger: logger)

            let organization = UUID()
            var rows: [UUID] = []
            for index in 0..<150 {
                let id = UUID()
                let stored = try oldStore.seal(SecretFields(["api_key": "original-\(index)"]), organization: organization, connection: id)
                _ = try await repository.insert(
                    .init(id: id, organizationID: organization, provider: "p\(index)", name: "n", status: .connected, credentials: stored, actor: "t")
                )
                rows.append(id)
            }
            let ids = rows

            // Writers replace the credentials of random rows while the re-encryption runs.
            let writer = Task { () -> [UUID: String] in
                var latest: [UUID: String] = [:]
                for round in 0..<120 {
                    let id = ids[Int.random(in: 0..<ids.count)]
                    let value = "rewritten-\(round)"
                    let stored = try newStore.seal(SecretFields(["api_key": value]), organization: organization, connection: id)
                    if try await repository.storeCredentials(organization: organization, id: id, stored) { latest[id] = value }
                }
                return latest
            }
            let report = try await VaultReencryption(client: postgres, vault: newVault, logger: logger).run(batchSize: 20)
            let latest = try await writer.value

            XCTAssertEqual(report.unreadable, [])
            XCTAssertGreaterThan(report.resealed, 0)
            for (index, id) in ids.enumerated() {
                let connection = try await XCTUnwrapAsync(await repository.get(organization: organization, id: id))
                let sealed = try await XCTUnwrapAsync(await repository.sealedCredentials(organization: organization, id: id))
                XCTAssertEqual(sealed.sealed.keyID, "new", "row \(index) still under the old key")
                let opened = try await newStore.open(connection, actor: "test").fields
                XCTAssertEqual(opened["api_key"], latest[id] ?? "original-\(index)", "row \(index) lost a write")
            }
            // A rerun finds nothing to do.
            let again = try await VaultReencryption(client: postgres, vault: newVault, logger: logger).run()
            XCTAssertEqual(again.resealed, 0)
        }
    }
}
