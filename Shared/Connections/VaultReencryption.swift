import Foundation
import HubCore
import Logging
import PostgresNIO

/// Re-seals every stored secret under the key ring's active key, after a new key became active:
/// `hubctl vault reencrypt`. Safe beside running services and resumable: it works in short
/// batches (`FOR UPDATE SKIP LOCKED`, one transaction each), each row re-sealed under its lock so a
/// concurrent credential write is never overwritten, and progress is the data itself (rows
/// still under an old key id) — stop it at any point and run it again.
public struct VaultReencryption: Sendable {
    /// A table column pair holding sealed secrets, and how its rows are bound.
    public struct SealedColumn: Sendable {
        public var table: String
        public var keyIDColumn: String
        public var ciphertextColumn: String
        /// The binding's purpose (`VaultBinding.purpose`); rows bind organization `org_id` and row `id`.
        public var purpose: String

        public init(table: String, keyIDColumn: String, ciphertextColumn: String, purpose: String) {
            self.table = table
            self.keyIDColumn = keyIDColumn
            self.ciphertextColumn = ciphertextColumn
            self.purpose = purpose
        }
    }

    /// Every sealed column of the schema.
    public static let sealedColumns = [
        SealedColumn(
            table: "connections",
            keyIDColumn: "credential_key_id",
            ciphertextColumn: "credential_ciphertext",
            purpose: "connection.credentials"
        )
    ]

    public struct Report: Sendable, Equatable {
        /// Rows re-sealed under the active key.
        public var resealed = 0
        /// Rows that did not open (unknown key, tampered): left as they are, listed by id.
        public var unreadable: [String] = []

        public init() {}
    }

    let client: PostgresClient
    let vault: CredentialVault
    let logger: Logger
    let columns: [SealedColumn]

    public init(client: PostgresClient, vault: CredentialVault, logger: Logger, columns: [SealedColumn] = Self.sealedColumns) {
        self.client = client
        self.vault = vault
        self.logger = logger
        self.columns = columns
    }

    /// Runs until no row of any sealed column is left under another key (except unreadable ones).
    public func run(batchSize: Int = 100, progress: @Sendable (Report) -> Void = { _ in }) async throws -> Report {
        var report = Report()
        for column in columns {
            while true {
                let batch = try await reencryptBatch(column, limit: batchSize, skipping: report.unreadable)
                report.resealed += batch.resealed
                report.unreadable += batch.unreadable
                progress(report)
                if batch.resealed == 0 && batch.unreadable.isEmpty {
                    // Nothing was free to take: done, unless rows are locked by writers right now.
                    guard try await remaining(column, skipping: report.unreadable) > 0 else { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
        }
        return report
    }

    /// Rows of a column still sealed under another key.
    public func remaining(_ column: SealedColumn, skipping: [String] = []) async throws -> Int {
        let rows = try await client.query(
            """
            SELECT count(*) FROM \(unescaped: column.table)
            WHERE \(unescaped: column.keyIDColumn) IS NOT NULL AND \(unescaped: column.keyIDColumn) <> \(vault.keyRing.activeKeyID)
                AND NOT (id::text = ANY(\(skipping)))
            """,
            logger: logger
        )
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    func reencryptBatch(_ column: SealedColumn, limit: Int, skipping: [String]) async throws -> Report {
        try await client.withTransaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                SELECT id::text, org_id, \(unescaped: column.keyIDColumn), \(unescaped: column.ciphertextColumn)
                FROM \(unescaped: column.table)
                WHERE \(unescaped: column.keyIDColumn) IS NOT NULL AND \(unescaped: column.keyIDColumn) <> \(vault.keyRing.activeKeyID)
                    AND NOT (id::text = ANY(\(skipping)))
                ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED
                """,
                logger: logger
            )
            var batch = Report()
            var updates: [(id: String, sealed: SealedSecret)] = []
            for try await (id, organization, keyID, ciphertext) in rows.decode((String, UUID, String, Data).self) {
                let binding = VaultBinding(purpose: column.purpose, organizationID: organization, rowID: id)
                do {
                    updates.append((id, try vault.reseal(SealedSecret(keyID: keyID, ciphertext: Array(ciphertext)), for: binding)))
                } catch {
                    logger.error(
                        "a sealed value does not open; left as it is",
                        metadata: ["table": "\(column.table)", "id": "\(id)", "reason": "\(error)"]
                    )
                    batch.unreadable.append(id)
                }
            }
            for (id, sealed) in updates {
                try await connection.query(
                    """
                    UPDATE \(unescaped: column.table) SET \(unescaped: column.keyIDColumn) = \(sealed.keyID),
                        \(unescaped: column.ciphertextColumn) = \(Data(sealed.ciphertext))
                    WHERE id::text = \(id)
                    """,
                    logger: logger
                )
            }
            batch.resealed = updates.count
            return batch
        }
    }
}
