import Foundation

/// A provider connected by a hosted widget that returns a one-time public token (Plaid Link):
/// the hub creates a link token with its own client credentials, the widget returns a public
/// token, and the hub exchanges it for the connection's access token.
public protocol PublicTokenConnector: TestableConnector {
    /// A short-lived token the widget opens with, for one user of one organization.
    func linkToken(
        forUser clientUserID: String,
        clientName: String,
        webhook: String?
    ) async throws(ConnectorError) -> (linkToken: String, expiration: Date?)

    /// Exchanges the widget's public token (once) for a credential; `accountID` identifies what
    /// was linked (Plaid's item id), by which webhooks are routed.
    func exchange(publicToken: String) async throws(ConnectorError) -> (accessToken: String, accountID: String)
}
