import Foundation

/// What a connector instance works with: the organization's credential for this provider, where
/// the provider is (its production address, or the sandbox's: connectors cannot tell), and the
/// shared transport.
public struct ConnectorContext: Sendable {
    /// Credential values by field name (`api_key`, `access_token`, `shop_domain`, `client_id`).
    /// Held only for the call; never logged.
    public var credentials: [String: String]
    /// The provider's API base URL for this environment, without a trailing slash.
    public var baseURL: String
    public var transport: ProviderTransport

    public init(credentials: [String: String], baseURL: String, transport: ProviderTransport) {
        self.credentials = credentials
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.transport = transport
    }

    /// A credential value, or `authenticationFailed` naming the missing field.
    public func credential(_ name: String) throws(ConnectorError) -> String {
        guard let value = credentials[name], !value.isEmpty else {
            throw .authenticationFailed("the connection has no '\(name)' credential")
        }
        return value
    }
}
