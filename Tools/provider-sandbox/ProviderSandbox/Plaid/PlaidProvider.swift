import Foundation
import HubCore
import Hummingbird
import NIOHTTP1

/// The emulated Plaid API, mounted at `/plaid`: Link tokens, sandbox public tokens and their
/// exchange, Items, accounts and balances, `/transactions/sync` over a per-Item change log,
/// institutions, and webhooks signed with the `Plaid-Verification` JWT whose key
/// `/webhook_verification_key/get` serves. Every call is a JSON POST authenticated by
/// `client_id`/`secret` in the body or the `PLAID-CLIENT-ID`/`PLAID-SECRET` headers.
public struct PlaidProvider: SandboxProvider {
    public let id = "plaid"
    let store: PlaidStore
    let signer = PlaidWebhookSigner()
    let webhooks: WebhookDispatcher
    let clientID: String
    let secret: String

    public init(configuration: SandboxConfiguration, webhooks: WebhookDispatcher) {
        store = PlaidStore(seed: configuration.seed, volume: configuration.volume)
        self.webhooks = webhooks
        clientID = configuration.secrets.plaidClientID
        secret = configuration.secrets.plaidSecret
    }

    public func addRoutes(to group: RouterGroup<SandboxContext>) {
        PlaidRoutes(provider: self).add(to: group)
        PlaidLinkRoutes(provider: self).add(to: group)
    }

    public func addAdminRoutes(to group: RouterGroup<SandboxContext>) {
        PlaidAdminRoutes(provider: self).add(to: group)
    }

    public func faultResponse(_ fault: InjectedFault) -> Response {
        switch fault {
        case .rateLimited: PlaidAPIError.rateLimited.response()
        case .serverError: PlaidAPIError.internalError.response()
        case .unauthorized: PlaidAPIError.loginRequired.response()
        }
    }

    /// Sends a signed webhook about `itemID` to the Item's webhook URL and to the endpoints
    /// registered for Plaid through the admin API.
    func sendWebhook(itemID: String, itemWebhook: String?, type: String, code: String, extra: [String: JSONValue] = [:]) async {
        var body: [String: JSONValue] = [
            "webhook_type": .string(type), "webhook_code": .string(code), "item_id": .string(itemID), "environment": .string("sandbox"),
        ]
        body.merge(extra) { _, new in new }
        let bytes = JSONBody.encode(body)
        let headers: HTTPHeaders = ["Content-Type": "application/json", "Plaid-Verification": signer.sign(bytes)]
        let targets = webhooks.endpoints(for: id) + (itemWebhook.map { [$0] } ?? [])
        await webhooks.dispatch(provider: id, to: targets, headers: headers, body: bytes)
    }

    /// The `SYNC_UPDATES_AVAILABLE` webhook after transactions changed.
    func sendSyncUpdates(itemID: String, itemWebhook: String?) async {
        await sendWebhook(
            itemID: itemID,
            itemWebhook: itemWebhook,
            type: "TRANSACTIONS",
            code: "SYNC_UPDATES_AVAILABLE",
            extra: ["initial_update_complete": .bool(true), "historical_update_complete": .bool(true)]
        )
    }

    /// A Plaid-style request id (`m8MDnv9okwxFNBV`).
    static func requestID() -> String {
        var random = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        return String((0..<15).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        JSONBody.response(JSONBody.encode(value), status: status)
    }
}
