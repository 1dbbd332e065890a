/// The hub's own registration at a provider, from operator configuration
/// (`HUB_PROVIDER_<ID>_CLIENT_ID` / `_CLIENT_SECRET`): an OAuth client, or Plaid's client id and
/// secret. Never stored with a connection.
public struct OAuthClientRegistration: Sendable, Equatable {
    public var clientID: String
    public var clientSecret: String
    /// The hub's callback URL registered at the provider
    /// (`https://hub.example.com/api/v1/integrations/oauth/<provider>/callback`).
    public var redirectURI: String

    public init(clientID: String, clientSecret: String, redirectURI: String) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirectURI = redirectURI
    }
}

extension OAuthClientRegistration: CustomStringConvertible, CustomDebugStringConvertible {
    /// Never prints the secret, whatever interpolates it.
    public var description: String { "OAuthClientRegistration(clientID: \(clientID), clientSecret: ***)" }
    public var debugDescription: String { description }
}
