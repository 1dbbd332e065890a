import Foundation
import HubConnectors
import HubCore

/// A grant that reaches several tenants (Xero organisations): the connection keeps the list and
/// waits, `connecting`, until the user chooses one; the choice goes into the sealed credentials
/// (`tenant_id`), so every later call and refresh carries it.
extension ConnectionLifecycle {
    static func tenantChoiceReason(_ count: Int) -> String {
        "the authorization reaches \(count) organisations; choose the one to connect"
    }

    /// Stores a re-authorization whose grant no longer reaches the connection's tenant: the
    /// connection forgets its account and waits for a choice among the new grant's tenants.
    func awaitTenantChoice(_ connection: Connection, _ actor: Actor, fields: SecretFields, tokens: OAuthTokens) async throws {
        try await storeCredentials(connection, actor, fields: fields, tokens: tokens) { db in
            try await repository.setStatus(
                organization: actor.organizationID,
                id: connection.id,
                to: .connecting,
                reason: Self.tenantChoiceReason(tokens.tenants.count),
                actor: actor.subject,
                on: db
            )
        }
    }

    /// Makes `tenantID` the connection's tenant, then tests the connection (which moves it to
    /// `connected`). Choosing the tenant already chosen changes nothing; an id the grant does not
    /// reach is `unknownTenant`; another tenant once one is chosen is `tenantAlreadyChosen`.
    public func chooseTenant(_ connection: Connection, _ actor: Actor, tenantID: String) async throws -> Connection {
        guard let tenant = connection.tenants.first(where: { $0.id == tenantID }) else {
            throw ConnectionError.unknownTenant(id: tenantID)
        }
        var current = connection
        // A refresh between reading and writing the credentials makes the write miss; read again.
        for _ in 0..<3 {
            if current.accountID == tenant.id { break }
            guard current.awaitsTenantChoice else { throw ConnectionError.tenantAlreadyChosen }
            let (fields, version) = try await credentials.open(current, actor: actor.subject)
            var chosen = fields
            chosen.merge([ProviderTenant.credentialField: tenant.id])
            let sealed = try credentials.vault.seal(chosen, for: current.credentialBinding)
            let stored = try await postgres.withTransaction(logger: logger) { db in
                let stored = try await repository.storeChosenTenant(
                    organization: actor.organizationID,
                    id: current.id,
                    sealed: sealed,
                    fieldNames: chosen.names,
                    tenant: tenant,
                    expectedVersion: version,
                    on: db
                )
                if stored {
                    try await audit(actor, "connection.tenant_chosen", id: current.id, details: ["tenant_id": .string(tenant.id)], on: db)
                }
                return stored
            }
            current = try await repository.require(organization: actor.organizationID, id: connection.id)
            if stored { break }
        }
        guard current.accountID == tenant.id else { throw ConnectionError.tenantAlreadyChosen }
        if current.status != .connected {
            _ = try await test(current, actor: actor)
        }
        return try await repository.require(organization: actor.organizationID, id: connection.id)
    }
}
