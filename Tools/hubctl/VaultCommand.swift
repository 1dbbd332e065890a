import ArgumentParser
import Foundation
import HubConnections
import HubCore
import Logging
import PostgresNIO

/// `hubctl vault`: the credential vault's keys.
struct VaultCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vault",
        abstract: "Manage the credential vault's keys.",
        subcommands: [GenerateKey.self, Reencrypt.self]
    )

    /// `hubctl vault generate-key --id k2`: prints a new key ring entry.
    struct GenerateKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate-key",
            abstract: "Print a new random key as a HUB_VAULT_KEYS entry (<id>:<base64>)."
        )

        @Option(help: "The key's id (letters, digits, '-', '_').")
        var id: String = "k" + String(Int(Date().timeIntervalSince1970))

        func run() throws {
            print(VaultKeyRing.generateEntry(id: id))
        }
    }

    /// `hubctl vault reencrypt`: re-seals every stored secret under HUB_VAULT_ACTIVE_KEY.
    struct Reencrypt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reencrypt",
            abstract: "Re-seal every stored secret under the active key (HUB_VAULT_KEYS, HUB_VAULT_ACTIVE_KEY, DATABASE_URL).",
            discussion: "Runs beside the services in short batches; stop and rerun at will. Drop an old key only after this reports 0 left."
        )

        @Option(help: "Rows per transaction.")
        var batchSize: Int = 100

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            guard let raw = environment["DATABASE_URL"], let url = DatabaseURL(string: raw) else {
                throw ValidationError("DATABASE_URL must be a postgres:// URL")
            }
            let ring: VaultKeyRing
            do {
                ring = try VaultKeyRing(configuration: environment["HUB_VAULT_KEYS"] ?? "", activeKeyID: environment["HUB_VAULT_ACTIVE_KEY"])
            } catch {
                throw ValidationError(error.description)
            }
            let logger = Logger(label: "hubctl")
            let client = PostgresClient(configuration: url.clientConfiguration(maximumConnections: 2), backgroundLogger: logger)
            let job = VaultReencryption(client: client, vault: CredentialVault(keyRing: ring), logger: logger)
            let batch = batchSize
            let report = try await withThrowingTaskGroup(of: VaultReencryption.Report?.self) { group in
                group.addTask {
                    await client.run()
                    return nil
                }
                group.addTask {
                    try await job.run(batchSize: batch) { print("re-sealed \($0.resealed) so far") }
                }
                defer { group.cancelAll() }
                while let result = try await group.next() {
                    if let result { return result }
                }
                return VaultReencryption.Report()
            }
            print("re-sealed \(report.resealed) secret(s) under key '\(ring.activeKeyID)'; \(report.unreadable.count) unreadable")
            for id in report.unreadable { print("unreadable: \(id)") }
            if !report.unreadable.isEmpty { throw ExitCode(2) }
        }
    }
}
