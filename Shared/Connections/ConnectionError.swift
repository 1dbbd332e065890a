import HubCore

/// Why an operation on an organization's connection could not be done. The service edge maps
/// each case to its HTTP answer; nothing here knows about status codes.
public enum ConnectionError: Error, Sendable, Equatable {
    /// The organization has no connection with this id.
    case notFound
    /// The provider has no connector that can check credentials.
    case notTestable(provider: String)
    /// Entered credentials are incomplete or do not fit the provider's fields. `problems` names
    /// each field and what is wrong with it, never a value.
    case invalidCredentials(fields: [String], problems: [JSONValue])
    /// The grant reaches several tenants and none is chosen yet: tests and syncs wait for the choice.
    case tenantChoiceRequired(count: Int)
    /// The chosen tenant is not one the grant reaches.
    case unknownTenant(id: String)
    /// A tenant is chosen already; another one means connecting again (its records are another
    /// organisation's).
    case tenantAlreadyChosen
    /// The provider refused entered credentials; the connection keeps the ones that worked.
    case credentialsRefused(message: String)
    /// The provider could not be asked about entered credentials (down, rate limiting, not
    /// answering): nothing was stored, and the connection keeps the ones that worked.
    case credentialsUnchecked(message: String)
}
