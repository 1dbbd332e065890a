import Foundation
import HubCore

/// The process that holds the hub's provider client secrets (oauth-service), as the other
/// processes reach it: calls whose body must carry the secret are sent there without it and sent
/// on with it, and webhook signatures made with it are checked there. Connectors see only this
/// protocol; how it is reached is the caller's business.
public protocol ProviderRelay: Sendable {
    /// Sends a provider call whose JSON body lacks the hub's client credentials; the holder adds
    /// them and calls `path` (relative to the provider's API base). Returns the provider's answer
    /// as the provider gave it, or throws `ConnectorError.relayUnavailable` when the holder
    /// cannot be reached, `.network` when the provider could not.
    func forward(_ request: ProviderRequest, provider: String, path: String) async throws(ConnectorError) -> ProviderResponse

    /// Whether `request` (a webhook's signature headers, body, method and URL) is signed with the
    /// hub's client secret at `provider`. Throws `.verifierUnavailable` when the holder cannot answer.
    func verifyWebhookSignature(provider: String, request: SignedWebhookRequest) async throws(WebhookVerificationError) -> Bool
}

/// How a call to a provider that authenticates the hub's app inside the JSON body (Plaid's
/// `client_id` and `secret`) gets those fields. The connector never adds them: the transport does.
public enum BodyClientCredentials: Sendable {
    /// This process holds the secret: the fields are added and the provider called directly.
    case added([String: String])
    /// Another process holds it: the call goes there, relative to `apiBase`.
    case relayed(any ProviderRelay, apiBase: String)
}

/// A provider whose API calls carry the hub's client secret in the body (Plaid): the paths the
/// holder of the secret sends on for the other processes, and nothing else.
public protocol BodyCredentialedAPI {
    /// Path (relative to the API base) → whether the call is a read, safe to repeat after a failure.
    static var relayedPaths: [String: Bool] { get }
    /// Headers every call carries (`Plaid-Version`).
    static var relayedHeaders: [String: String] { get }
}

extension ConnectorError {
    static let relayPrefix = "relay: "

    /// The process holding the client secret could not relay the call: nothing is known about
    /// the credentials or the provider.
    public static func relayUnavailable(_ reason: String) -> ConnectorError {
        .unavailable(status: 503, message: relayPrefix + reason)
    }

    /// Why the relay failed, when this is a relay failure.
    public var relayFailure: String? {
        guard case .unavailable(_, let message) = self, message.hasPrefix(Self.relayPrefix) else { return nil }
        return String(message.dropFirst(Self.relayPrefix.count))
    }
}
