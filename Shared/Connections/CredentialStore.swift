import Foundation
import HubConnectors
import HubCore
import Logging

/// Seals and opens a connection's credentials, and keeps the promise that an unreadable
/// ciphertext is never used: the connection is marked `error` with "credentials unreadable".
public struct CredentialStore: Sendable {
    public let repository: ConnectionRepository
    public let vault: CredentialVault
    let logger: Logger

    public init(repository: ConnectionRepository, vault: CredentialVault, logger: Logger) {
        self.repository = repository
        self.vault = vault
        self.logger = logger
    }

    /// Why credentials could not be had.
    public enum Failure: Error, Equatable {
        /// The connection has no stored credentials (disconnected, or never connected).
        case none
        /// The ciphertext does not open; the connection is now marked `error`.
        case unreadable
        /// The key that sealed it is not on this process's key ring (a replica not yet given a
        /// rotated key): an operator problem, so the connection is left as it is.
        case keyUnavailable
    }

    /// Seals the fields for a connection row, with the clear facts beside them.
    public func seal(
        _ fields: SecretFields,
        organization: UUID,
        connection: UUID,
        tokens: OAuthTokens? = nil
    ) throws(VaultError) -> ConnectionRepository.StoredCredentials {
        let sealed = try vault.seal(fields, for: .connectionCredentials(organizationID: organization, connectionID: connection))
        return ConnectionRepository.StoredCredentials(
            sealed: sealed,
            fieldNames: fields.names,
            tokenExpiresAt: tokens?.expiresAt,
            refreshTokenExpiresAt: tokens?.refreshTokenExpiresAt,
            scopes: tokens?.scopes ?? [],
            accountID: tokens?.accountID,
            accountName: tokens?.accountName,
            tenants: tokens?.tenants ?? []
        )
    }

    /// Opens a connection's credentials with their version (for compare-and-set writes).
    public func open(_ connection: Connection, actor: String) async throws -> (fields: SecretFields, version: Int64) {
        guard let (sealed, version) = try await repository.sealedCredentials(organization: connection.organizationID, id: connection.id)
        else { throw Failure.none }
        do {
            return (try vault.openFields(sealed, for: connection.credentialBinding), version)
        } catch .unknownKey(let keyID) {
            logger.critical(
                "a vault key is missing from this process's key ring",
                metadata: ["key_id": "\(keyID)", "connection_id": "\(connection.id)"]
            )
            throw Failure.keyUnavailable
        } catch {
            logger.error(
                "connection credentials do not open",
                metadata: ["connection_id": "\(connection.id)", "org_id": "\(connection.organizationID)", "reason": "\(error)"]
            )
            try await repository.setStatus(
                organization: connection.organizationID,
                id: connection.id,
                to: .error,
                reason: "credentials unreadable",
                actor: actor
            )
            throw Failure.unreadable
        }
    }
}

extension CredentialStore.Failure {
    /// A stable, machine-readable name for the failure.
    public var code: String {
        switch self {
        case .none: "no_credentials"
        case .unreadable: "credentials_unreadable"
        case .keyUnavailable: "vault_key_unavailable"
        }
    }

    public var message: String {
        switch self {
        case .none: "the connection has no credentials; connect it again"
        case .unreadable: "credentials unreadable"
        case .keyUnavailable: "the service cannot read credentials right now; try again"
        }
    }
}
