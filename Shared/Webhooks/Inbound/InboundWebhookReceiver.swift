import Foundation
import HubConnections
import HubConnectors
import HubCore
import Logging
import NIOHTTP1

/// The request path of an inbound provider webhook, kept short so the provider is answered
/// well within its timeout: verify the signature on the exact bytes, find the connections the
/// event belongs to, store it once per connection (a provider's retry is recognised by its event
/// id), wake the processors. Everything else happens off the request path.
public struct InboundWebhookReceiver: Sendable {
    let factory: ConnectorFactory
    let connections: ConnectionRepository
    let credentials: CredentialStore
    let store: InboundEventStore
    let wakeup: DeliveryWakeup
    let logger: Logger
    /// One verifier per app-signed provider, built once: Plaid's caches its keys.
    let appVerifiers: [String: any WebhookVerifier]
    let routes = ConnectionRouteCache()

    public init(
        factory: ConnectorFactory,
        connections: ConnectionRepository,
        credentials: CredentialStore,
        store: InboundEventStore,
        wakeup: DeliveryWakeup,
        logger: Logger
    ) {
        self.factory = factory
        self.connections = connections
        self.credentials = credentials
        self.store = store
        self.wakeup = wakeup
        self.logger = logger
        var verifiers: [String: any WebhookVerifier] = [:]
        for id in factory.registry.ids {
            guard let type = factory.registry.connector(id: id) as? any AppWebhookVerifying.Type,
                let context = factory.context(provider: id, credentials: [:]), let verifier = type.webhookVerifier(context: context)
            else { continue }
            verifiers[id] = verifier
        }
        appVerifiers = verifiers
    }

    /// Whether the provider's webhooks are answered with an empty body (Xero).
    public func acknowledgesWithEmptyBody(provider: String) -> Bool {
        factory.registry.connector(id: provider) is any EmptyWebhookAcknowledging.Type
    }

    /// What became of a verified webhook.
    public struct Receipt: Sendable, Equatable {
        /// Connections it was stored for (0: no live connection reaches the account).
        public var routed: Int
        /// Rows newly stored (fewer than `routed` for a provider's retry).
        public var stored: Int
        /// The body a provider's endpoint check expects back (Slack's challenge); nothing is stored.
        public var challenge: JSONValue? = nil
    }

    /// Why a webhook was refused: the caller answers without saying more than the status.
    public enum Refusal: Error, Equatable {
        /// The provider is unknown or its webhooks are not taken (404).
        case unknownProvider
        /// The signature did not check out, for `reason` (401; the reason is only logged).
        case unverified(WebhookVerificationError)
        /// Signed, but not an event the connector can read (400).
        case malformed
        /// The signature cannot be checked now (oauth-service, which holds the key, is down):
        /// 503, so the provider sends the webhook again.
        case verifierUnavailable
    }

    public func receive(provider: String, connection: UUID?, body: [UInt8], headers: HTTPHeaders, now: Date = Date()) async throws -> Receipt {
        let (webhook, targets): (VerifiedWebhook, [Connection])
        if let verifier = appVerifiers[provider] {
            webhook = try await verify(verifier, body: body, headers: headers, now: now)
            if let type = factory.registry.connector(id: provider) as? any WebhookChallengeAnswering.Type,
                let answer = type.challengeAnswer(for: webhook)
            {
                return Receipt(routed: 0, stored: 0, challenge: answer)
            }
            targets = try await self.targets(provider: provider, connection: connection, accounts: webhook.accountIDs)
        } else if let type = factory.registry.connector(id: provider) as? any ConnectionWebhookVerifying.Type {
            (webhook, targets) = try await verifyPerConnection(
                type,
                provider: provider,
                connection: connection,
                body: body,
                headers: headers,
                now: now
            )
        } else {
            throw Refusal.unknownProvider
        }
        guard !targets.isEmpty else {
            logger.info(
                "a verified webhook reaches no live connection; acknowledged and dropped",
                metadata: [
                    "provider": "\(provider)", "event_type": "\(webhook.eventType)", "account_ids": "\(webhook.accountIDs.joined(separator: ","))",
                ]
            )
            return Receipt(routed: 0, stored: 0)
        }
        let stored = try await store.store(
            targets.map {
                InboundEventStore.Received(
                    organizationID: $0.organizationID,
                    connectionID: $0.id,
                    provider: provider,
                    eventID: webhook.eventID,
                    eventType: webhook.eventType,
                    body: body
                )
            }
        )
        if stored > 0 { wakeup.signal() }
        return Receipt(routed: targets.count, stored: stored)
    }

    func verify(_ verifier: any WebhookVerifier, body: [UInt8], headers: HTTPHeaders, now: Date) async throws(Refusal) -> VerifiedWebhook {
        do {
            return try await verifier.verify(body: body, headers: headers, now: now)
        } catch .malformedBody {
            throw .malformed
        } catch .verifierUnavailable {
            throw .verifierUnavailable
        } catch {
            throw .unverified(error)
        }
    }

    /// The connections an app-signed event is for: the one its URL names (which must reach one
    /// of the event's accounts when the event names any), or every live connection to each
    /// account it names. Each reads only its own account's events from the delivery.
    func targets(provider: String, connection: UUID?, accounts: [String]) async throws -> [Connection] {
        if let connection {
            guard let found = try await connections.live(id: connection, provider: provider) else { return [] }
            if !accounts.isEmpty, !accounts.contains(where: { $0 == found.accountID }) { return [] }
            return [found]
        }
        var targets: [Connection] = []
        for account in accounts {
            let reaching = try await routes.connections(provider: provider, account: account) {
                try await connections.reaching(provider: provider, accountID: account)
            }
            targets += reaching.filter { candidate in !targets.contains { $0.id == candidate.id } }
        }
        return targets
    }

    /// Tries the secrets of the connections the request may be for (the one its URL names, or
    /// those reaching the account it claims); the event goes to those whose secret verified it.
    func verifyPerConnection(
        _ type: any ConnectionWebhookVerifying.Type,
        provider: String,
        connection: UUID?,
        body: [UInt8],
        headers: HTTPHeaders,
        now: Date
    ) async throws -> (VerifiedWebhook, [Connection]) {
        var candidates: [Connection] = []
        if let connection {
            candidates = try await connections.live(id: connection, provider: provider).map { [$0] } ?? []
        } else if let account = type.claimedAccount(body: body, headers: headers) {
            candidates = try await routes.connections(provider: provider, account: account) {
                try await connections.reaching(provider: provider, accountID: account)
            }
        }
        var verified: VerifiedWebhook?
        var matched: [Connection] = []
        var lastRefusal = Refusal.unverified(.unknownKey)
        for candidate in candidates {
            guard let fields = try? await credentials.open(candidate, actor: "webhook-service").fields,
                let context = factory.context(provider: provider, credentials: fields.values),
                let verifier = type.webhookVerifier(credentials: fields.values, context: context)
            else { continue }
            do {
                let webhook = try await verify(verifier, body: body, headers: headers, now: now)
                // A Connect event for another account than the connection reaches is not its own.
                if let account = webhook.accountID, candidate.accountID != account { continue }
                verified = webhook
                matched.append(candidate)
            } catch {
                lastRefusal = error
            }
        }
        guard let verified else { throw lastRefusal }
        return (verified, matched)
    }
}
