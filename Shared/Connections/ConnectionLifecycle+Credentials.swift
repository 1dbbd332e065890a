import Foundation
import HubConnectors
import HubCore
import PostgresNIO

/// Replacing a connection's credentials: entered ones tested before they are stored, an
/// authorization's tokens stored then tested.
extension ConnectionLifecycle {
    /// Seals and stores new credentials, audits the change (field names only), and tests them.
    /// Entered credentials (not an authorization's tokens) for a connected connection are tested
    /// before anything is stored: a key the provider refuses never replaces the one that works,
    /// not even for a moment a crash or a running sync could catch. The refusal is audited and
    /// `ConnectionError.credentialsRefused` says why.
    @discardableResult
    public func replaceCredentials(
        _ connection: Connection,
        _ actor: Actor,
        fields: SecretFields,
        tokens: OAuthTokens? = nil
    ) async throws
        -> ConnectionTestResult
    {
        if tokens == nil && connection.status == .connected {
            let result = try await probe(connection, actor: actor, entered: fields)
            if !result.ok {
                // The provider judged nothing: keep what works and let the caller try again.
                guard let code = result.code, Self.credentialJudgements.contains(code) else {
                    throw ConnectionError.credentialsUnchecked(message: result.message)
                }
                try await postgres.withTransaction(logger: logger) { db in
                    try await audit(
                        actor,
                        "connection.credentials_refused",
                        id: connection.id,
                        details: ["reason": .string(result.message), "credential_fields": .array(fields.names.map { .string($0) })],
                        on: db
                    )
                }
                throw ConnectionError.credentialsRefused(message: result.message)
            }
            try await storeCredentials(connection, actor, fields: fields, tokens: nil)
            try await record(result, of: connection, actor: actor)
            return result
        }
        try await storeCredentials(connection, actor, fields: fields, tokens: tokens)
        guard let current = try await repository.get(organization: actor.organizationID, id: connection.id) else {
            throw ConnectionError.notFound
        }
        return try await test(current, actor: actor)
    }

    /// The test failures that are the provider's verdict on the credentials themselves.
    static let credentialJudgements: Set<String> = Set(
        [
            ConnectorError.authenticationFailed(""), .permissionDenied(""), .validation(message: "", field: nil),
            .notFound(entity: "", id: ""), .unsupported(""),
        ].map(\.code)
    )

    /// Seals and stores new credentials and audits the change (field names only), with whatever
    /// `alongside` writes in the same transaction.
    func storeCredentials(
        _ connection: Connection,
        _ actor: Actor,
        fields: SecretFields,
        tokens: OAuthTokens?,
        alongside: @Sendable (PostgresConnection) async throws -> Void = { _ in }
    ) async throws {
        let stored = try credentials.seal(fields, organization: actor.organizationID, connection: connection.id, tokens: tokens)
        try await postgres.withTransaction(logger: logger) { db in
            guard try await repository.storeCredentials(organization: actor.organizationID, id: connection.id, stored, on: db) else {
                throw ConnectionError.notFound
            }
            try await audit(
                actor,
                "connection.credentials_replaced",
                id: connection.id,
                details: ["credential_fields": .array(fields.names.map { .string($0) })],
                on: db
            )
            try await alongside(db)
        }
    }
}
