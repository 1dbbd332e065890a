import HubCore

/// Where a service gets a connection's credentials with a valid access token, and has a grant
/// revoked at the provider. Both need the hub's client registration (its client secret), which
/// only oauth-service holds: there `TokenBroker` does the work; every other service asks
/// oauth-service through `RemoteTokenSource`.
public protocol AccessTokenSource: Sendable {
    /// The connection's credentials with an access token valid for a while. `force` asks for a new
    /// one even if the current one looks valid (the provider answered 401 to it).
    ///
    /// - Throws: `TokenBroker.Failure` (`reauthRequired` keeps its meaning wherever it is thrown),
    ///   `CredentialStore.Failure`.
    func freshCredentials(for connection: Connection, actor: String, force: Bool) async throws -> SecretFields

    /// Revokes the connection's grant at the provider where the provider allows it. Never throws:
    /// a revocation that fails is recorded by the caller, it does not keep anyone connected.
    func revoke(_ connection: Connection, actor: String) async -> Revocation
}

extension AccessTokenSource {
    public func freshCredentials(for connection: Connection, actor: String) async throws -> SecretFields {
        try await freshCredentials(for: connection, actor: actor, force: false)
    }
}
