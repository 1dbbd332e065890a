import Foundation
import HubCore
import NIOHTTP1

/// An inbound provider webhook whose signature checked out.
public struct VerifiedWebhook: Sendable, Equatable {
    /// The provider's event id, or a digest of what identifies the event where the provider has
    /// none (Plaid: the body hash): the deduplication key.
    public var eventID: String
    /// The provider account the event belongs to (Stripe `account`, Shopify shop domain, Plaid
    /// `item_id`): routes the event to a connection. Nil when a delivery names several; when one
    /// connection's copy is interpreted, that connection's account (its events only are read).
    public var accountID: String?
    /// Every account the delivery names, in the order first named: Intuit, Xero and HubSpot send
    /// one app-wide endpoint deliveries that mix several companies, tenants or portals, and each
    /// of their connections gets the delivery.
    public var accountIDs: [String]
    /// The provider's event type (`invoice.paid`, `orders/create`, `TRANSACTIONS.SYNC_UPDATES_AVAILABLE`).
    public var eventType: String
    public var payload: JSONValue

    /// `accountIDs` defaults to `accountID` alone.
    public init(eventID: String, accountID: String?, accountIDs: [String]? = nil, eventType: String, payload: JSONValue) {
        self.eventID = eventID
        self.accountID = accountID
        self.accountIDs = accountIDs ?? accountID.map { [$0] } ?? []
        self.eventType = eventType
        self.payload = payload
    }

    /// The accounts named, each once, in the order first named; a delivery naming one account has
    /// it as `accountID`.
    public static func accounts(_ named: [String]) -> (accountID: String?, accountIDs: [String]) {
        var seen: Set<String> = []
        let accounts = named.filter { seen.insert($0).inserted }
        return (accounts.count == 1 ? accounts[0] : nil, accounts)
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
