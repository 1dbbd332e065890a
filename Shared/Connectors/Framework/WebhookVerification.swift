import Foundation
import HubCore
import NIOHTTP1

/// An inbound provider webhook whose signature checked out.
public struct VerifiedWebhook: Sendable, Equatable {
    /// The provider's event id, or a digest of what identifies the event where the provider has
    /// none (Plaid: the body hash): the deduplication key.
    public var eventID: String
    /// The provider account the event belongs to (Stripe `account`, Shopify shop domain, Plaid
    /// `item_id`): routes the event to a connection.
    public var accountID: String?
    /// The provider's event type (`invoice.paid`, `orders/create`, `TRANSACTIONS.SYNC_UPDATES_AVAILABLE`).
    public var eventType: String
    public var payload: JSONValue

    public init(eventID: String, accountID: String?, eventType: String, payload: JSONValue) {
        self.eventID = eventID
        self.accountID = accountID
        self.eventType = eventType
        self.payload = payload
    }
}

/// Why an inbound webhook was refused. Callers answer 400/401 without saying which.
public enum WebhookVerificationError: Error, Sendable, Equatable {
    case missingSignature
    case malformedSignature
    case signatureMismatch
    /// The signed timestamp is too far from now: a replay, or a badly wrong clock.
    case timestampOutOfTolerance
    /// Signed correctly but not a payload the connector can read.
    case malformedBody
    /// The signing key is unknown or could not be fetched.
    case unknownKey
    /// The check cannot be made now (the process holding the key is down): the provider should
    /// send the webhook again later.
    case verifierUnavailable
}

/// Checks a provider's webhook signature on the exact bytes received, in constant time, with the
/// provider's timestamp tolerance where it has one. Never throws anything but
/// `WebhookVerificationError`, whatever the input.
public protocol WebhookVerifier: Sendable {
    func verify(body: [UInt8], headers: HTTPHeaders, now: Date) async throws(WebhookVerificationError) -> VerifiedWebhook
}
