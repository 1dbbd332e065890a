import Foundation

/// Plaid Link as the generic public-token flow oauth-service drives.
extension PlaidConnector: PublicTokenConnector {
    public func linkToken(
        forUser clientUserID: String,
        clientName: String,
        webhook: String?
    ) async throws(ConnectorError)
        -> (linkToken: String, expiration: Date?)
    {
        try await createLinkToken(clientUserID: clientUserID, clientName: clientName, webhook: webhook)
    }

    public func exchange(publicToken: String) async throws(ConnectorError) -> (accessToken: String, accountID: String) {
        let exchanged = try await exchangePublicToken(publicToken)
        return (exchanged.accessToken, exchanged.itemID)
    }
}
