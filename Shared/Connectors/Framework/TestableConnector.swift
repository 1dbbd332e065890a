/// A connector that can be instantiated for one connection and can check its credential: every
/// provider the hub connects to. `DataConnector` adds the record calls.
///
/// The connection service uses only this protocol to test, and to revoke on disconnect, whatever
/// the provider's auth kind.
public protocol TestableConnector: Connector {
    /// The provider's production API base URL (`https://api.stripe.com`, `https://{shop}`);
    /// `ProviderEndpoints.apiBase` maps it for the environment.
    static var apiBaseURL: String { get }

    init(context: ConnectorContext)

    /// Checks the credential with the cheapest authenticated call the provider has.
    func testConnection() async throws(ConnectorError) -> ConnectionCheck

    /// Revokes the connection's grant at the provider (OAuth token revocation, Plaid
    /// `/item/remove`). Returns false when the provider has no revocation for this credential
    /// (a pasted API key), true when the provider confirmed it.
    func revokeAccess() async throws(ConnectorError) -> Bool
}

extension TestableConnector {
    /// Nothing to revoke: the organization revokes a pasted key in the provider's dashboard.
    public func revokeAccess() async throws(ConnectorError) -> Bool {
        false
    }
}
