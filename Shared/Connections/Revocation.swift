import HubConnectors
import HubCore
import Logging

/// What became of a grant at the provider when a connection was disconnected, as the audit row
/// records it.
public struct Revocation: Sendable, Equatable, Codable {
    /// Whether the provider was asked (some providers have no revocation, some connections have
    /// no credentials left to revoke).
    public var attempted: Bool
    public var revoked: Bool
    /// The failure's code when the provider, or the service asked to revoke, could not.
    public var error: String?

    public init(attempted: Bool, revoked: Bool, error: String? = nil) {
        self.attempted = attempted
        self.revoked = revoked
        self.error = error
    }

    public static let notAttempted = Revocation(attempted: false, revoked: false)

    /// The audit row's `revocation` detail (same shape as before revocation moved to oauth-service).
    public var auditDetails: JSONValue {
        guard attempted || error != nil else { return ["attempted": false] }
        var details: [String: JSONValue] = ["attempted": .bool(attempted), "revoked": .bool(revoked)]
        if let error { details["error"] = .string(error) }
        return .object(details)
    }
}

extension Revocation {
    /// The provider's own revocation call with the credentials as stored. Nothing to revoke (no
    /// credentials left, no connector) is `notAttempted`.
    static func atProvider(
        _ connection: Connection,
        credentials: CredentialStore,
        factory: ConnectorFactory,
        actor: String,
        logger: Logger
    ) async -> Revocation {
        guard connection.status != .disconnected,
            let opened = try? await credentials.open(connection, actor: actor),
            let connector = factory.connector(provider: connection.provider, credentials: opened.fields.values)
        else { return .notAttempted }
        do {
            let revoked = try await connector.revokeAccess()
            return Revocation(attempted: revoked, revoked: revoked)
        } catch {
            logger.warning(
                "revocation at the provider failed; disconnecting anyway",
                metadata: ["connection_id": "\(connection.id)", "provider": "\(connection.provider)", "error": "\(error.code)"]
            )
            return Revocation(attempted: true, revoked: false, error: error.code)
        }
    }

    /// Whether revoking a provider's grant needs the hub's client registration (an OAuth token,
    /// a client-credentials token, a Plaid item): then oauth-service does it. A pasted API key is
    /// revoked, where it can be, with nothing but itself.
    static func needsClientRegistration(_ provider: String, factory: ConnectorFactory) -> Bool {
        guard let kind = factory.testableType(provider)?.definition.auth.kind else { return false }
        return kind != .apiKey
    }
}
