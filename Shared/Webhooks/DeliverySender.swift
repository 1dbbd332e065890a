import AsyncHTTPClient
import Foundation
import HubCore
import HubRedis
import Logging
import NIOCore
import NIOHTTP1

/// Makes one attempt: checks the URL again (the address it resolves to now must still be
/// allowed), signs the stored body with the subscription's secrets, and POSTs it to the checked
/// address with a timeout. Never throws: every way an attempt can end is an `AttemptOutcome`.
public struct DeliverySender: Sendable {
    let urlGuard: URLGuard
    let vault: CredentialVault
    let clients: PinnedHTTPClients
    let timeout: TimeAmount
    /// Posts the deliveries of Slack subscriptions; nil where the service has none configured.
    let slack: SlackPoster?
    let logger: Logger
    /// How much of a response body the delivery log keeps.
    static let bodyLogLimit = 1_024

    init(urlGuard: URLGuard, vault: CredentialVault, clients: PinnedHTTPClients, timeout: TimeAmount, slack: SlackPoster? = nil, logger: Logger) {
        self.urlGuard = urlGuard
        self.slack = slack
        self.vault = vault
        self.clients = clients
        self.timeout = timeout
        self.logger = logger
    }

    public func send(_ delivery: ClaimedDelivery) async -> AttemptOutcome {
        let started = Date()
        let clock = ContinuousClock.now
        func outcome(status: Int? = nil, body: String? = nil, error: String? = nil, retryAfter: Double? = nil) -> AttemptOutcome {
            let milliseconds = (ContinuousClock.now - clock).wholeMilliseconds
            return AttemptOutcome(
                attemptedAt: started,
                statusCode: status,
                latencyMilliseconds: milliseconds,
                responseBody: body,
                error: error,
                retryAfterSeconds: retryAfter
            )
        }
        guard delivery.subscriptionActive else { return outcome(error: WebhookSubscription.disabledError) }
        if let slackTarget = delivery.slack {
            guard let slack else { return outcome(error: "this process cannot post to Slack") }
            return await slack.send(delivery, to: slackTarget)
        }
        let target: WebhookTarget
        do {
            target = try await urlGuard.check(delivery.url)
        } catch {
            return outcome(error: "refused: \(error.description)")
        }
        let secrets: [SigningSecret]
        do {
            secrets = try signingSecrets(delivery)
        } catch {
            logger.error("a webhook signing secret does not open", metadata: ["subscription_id": "\(delivery.subscriptionID)", "reason": "\(error)"])
            return outcome(error: "the signing secret is unreadable")
        }
        let body = ByteBuffer(string: delivery.payload)
        var request = HTTPClientRequest(url: target.url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "user-agent", value: "integration-hub-webhooks/1")
        let timestamp = Int(Date().timeIntervalSince1970)
        for (name, value) in StandardWebhookSigner.headers(
            id: delivery.webhookID,
            timestamp: timestamp,
            body: body.readableBytesView,
            secrets: secrets
        ) {
            request.headers.add(name: name, value: value)
        }
        request.body = .bytes(body)
        let client = await clients.client(for: target)
        // Only what went on the wire: the body's type, our agent, and the Standard Webhooks id,
        // timestamp and signatures (an HMAC does not reveal the secret it was made with).
        let sent = AttemptHeader.bounded(request.headers.map { ($0.name, $0.value) })
        var attempt: AttemptOutcome
        do {
            let response = try await client.execute(request, timeout: timeout)
            let status = Int(response.status.code)
            var retryAfter: Double?
            if status == 429 || status == 503, let header = response.headers.first(name: "retry-after") {
                retryAfter = RetryAfter.seconds(header)
            }
            let text = try await Self.readPrefix(response.body)
            attempt = outcome(status: status, body: text, retryAfter: retryAfter)
            attempt.responseHeaders = AttemptHeader.bounded(response.headers.map { ($0.name, $0.value) })
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            attempt = outcome(error: "timed out after \(timeout.nanoseconds / 1_000_000) ms")
        } catch {
            attempt = outcome(error: Self.describe(error))
        }
        attempt.requestHeaders = sent
        return attempt
    }

    /// The current secret, and the previous one while a rotation's overlap lasts.
    func signingSecrets(_ delivery: ClaimedDelivery) throws(VaultError) -> [SigningSecret] {
        var secrets = [
            SigningSecret(
                key: try vault.open(
                    delivery.secret,
                    for: SubscriptionRepository.secretBinding(organization: delivery.organizationID, subscription: delivery.subscriptionID)
                )
            )
        ]
        if let previous = delivery.previousSecret {
            secrets.append(
                SigningSecret(
                    key: try vault.open(
                        previous,
                        for: SubscriptionRepository.secretBinding(
                            organization: delivery.organizationID,
                            subscription: delivery.subscriptionID,
                            previous: true
                        )
                    )
                )
            )
        }
        return secrets
    }

    /// The first bytes of a body as text; the rest is read and dropped (bounded), so the
    /// connection can be reused.
    static func readPrefix(_ body: HTTPClientResponse.Body) async throws -> String? {
        var kept = ByteBuffer()
        var total = 0
        for try await chunk in body {
            total += chunk.readableBytes
            if kept.readableBytes < bodyLogLimit {
                var chunk = chunk
                kept.writeBuffer(&chunk)
            }
            if total > 1 << 20 { break }
        }
        guard kept.readableBytes > 0 else { return nil }
        // PostgreSQL's text holds no NUL: an endpoint answering one must not make its attempt unwritable.
        let bytes = (kept.readBytes(length: min(kept.readableBytes, bodyLogLimit)) ?? []).filter { $0 != 0 }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A short reason for a failed connection, without internal detail a caller could misuse.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .remoteConnectionClosed: return "the endpoint closed the connection"
            case .cancelled: return "cancelled"
            default: return "request failed: \(error)"
            }
        }
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        return "request failed: \(text.prefix(200))"
    }
}
