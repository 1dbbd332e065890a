import HubCore

/// Where a connection stands. Every change is recorded with its time, reason and actor in
/// `connection_status_history`.
public enum ConnectionStatus: String, Codable, Sendable, CaseIterable, PostgresTextEnum {
    /// Created, credentials not yet confirmed by the provider.
    case connecting
    /// The provider accepted the credentials at the last check.
    case connected
    /// The last check or call failed for a reason other than the grant (unreadable credentials,
    /// the provider refusing a key): `status_reason` says which.
    case error
    /// The provider refused the grant (refresh token revoked or expired): the user must connect again.
    case reauthRequired = "reauth_required"
    /// Disconnected by the organization: credentials wiped, kept for audit.
    case disconnected
}
