import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubRedis
import HubSync
import Logging

/// Makes one attempt of a Slack subscription's delivery: `chat.postMessage` to its channel with
/// the connection's bot token, paced per channel. Never throws: like `DeliverySender`, every ending
/// is an `AttemptOutcome` the retry policy reads. Slack's `"ok": false` is never a success (its
/// HTTP 200 is not reported as one); a revoked token marks the connection `reauth_required`, a
/// channel the bot cannot post to leaves a warning on the connection; both are retried on the
/// schedule, so a message still goes out once a person fixes it.
public struct SlackPoster: Sendable {
    let lifecycle: ConnectionLifecycle
    /// The console's origin, for the links in messages.
    let uiOrigin: String
    let pacer: SlackChannelPacer
    let logger: Logger
    static let actor = "webhook-service"

    public init(lifecycle: ConnectionLifecycle, uiOrigin: String, redis: RedisClient, logger: Logger) {
        self.init(lifecycle: lifecycle, uiOrigin: uiOrigin, pacer: SlackChannelPacer(limiter: ProviderRateLimiter(redis: redis)), logger: logger)
    }

    init(lifecycle: ConnectionLifecycle, uiOrigin: String, pacer: SlackChannelPacer, logger: Logger) {
        self.lifecycle = lifecycle
        self.uiOrigin = uiOrigin
        self.pacer = pacer
        self.logger = logger
    }

    public func send(_ delivery: ClaimedDelivery, to target: SlackTarget) async -> AttemptOutcome {
        let started = Date()
        let clock = ContinuousClock.now
        func outcome(status: Int? = nil, body: String? = nil, error: String? = nil, retryAfter: Double? = nil) -> AttemptOutcome {
            AttemptOutcome(
                attemptedAt: started,
                statusCode: status,
                latencyMilliseconds: (ContinuousClock.now - clock).wholeMilliseconds,
                responseBody: body,
                error: error,
                retryAfterSeconds: retryAfter
            )
        }
        guard delivery.subscriptionActive else { return outcome(error: WebhookSubscription.disabledError) }
        let connection: Connection?
        do {
            connection = try await lifecycle.repository.get(organization: delivery.organizationID, id: target.connectionID)
        } catch {
            return outcome(error: "the Slack connection could not be read")
        }
        // 410: the subscription is disabled, as for an endpoint that is gone for good.
        guard let connection, connection.status != .disconnected, connection.provider == SlackConnector.definition.id else {
            return outcome(status: 410, error: "the Slack connection was disconnected")
        }
        guard connection.status != .reauthRequired else {
            return outcome(error: "the Slack connection must be authorized again: \(connection.statusReason ?? "")")
        }
        let connector: SlackConnector
        do {
            let fields = try await lifecycle.tokens.freshCredentials(for: connection, actor: Self.actor)
            guard let made = lifecycle.factory.connector(provider: connection.provider, credentials: fields.values) as? SlackConnector else {
                return outcome(status: 410, error: "the connection is not a Slack connection")
            }
            connector = made
        } catch {
            return outcome(error: "no usable Slack token: \(Self.describe(error))")
        }
        let channelKey = "\(target.connectionID)/\(target.channel)"
        do {
            if let busyFor = try await pacer.take(channelKey) {
                // Not sent: the channel's queue is longer than an attempt may wait.
                return outcome(status: 429, error: "held back by Slack's per-channel rate limit; not sent", retryAfter: busyFor.inSeconds)
            }
        } catch {
            return outcome(error: "the Slack channel's pace could not be read from Redis; not sent")
        }
        let message = SlackMessage.build(payload: delivery.payload, uiOrigin: uiOrigin)
        do {
            switch try await connector.postMessage(channel: target.channel, text: message.text, blocks: message.blocks) {
            case .ok(let ts):
                return outcome(status: 200, body: #"{"ok":true,"ts":"\#(ts)"}"#)
            case .refused(let code):
                return await refused(code, connection: connection, target: target, outcome: outcome(body: #"{"ok":false,"error":"\#(code)"}"#))
            }
        } catch {
            switch error {
            case .rateLimited(let retryAfter):
                let seconds = retryAfter?.inSeconds ?? 1
                try? await pacer.hold(channelKey, for: .milliseconds(Int64(seconds * 1000)))
                return outcome(status: 429, error: "Slack is rate limiting the channel", retryAfter: seconds)
            case .unavailable(let status, let message):
                return outcome(status: status, error: message)
            default:
                return outcome(error: error.message)
            }
        }
    }

    /// What an `"ok": false` answer means for the connection; the attempt failed either way.
    func refused(_ code: String, connection: Connection, target: SlackTarget, outcome: AttemptOutcome) async -> AttemptOutcome {
        var outcome = outcome
        if SlackConnector.reauthorizationErrors.contains(code) {
            outcome.error = "Slack refused the token (\(code)); the connection must be authorized again"
            do {
                try await lifecycle.requireReauthorization(connection, reason: "Slack refused the token: \(code)", actor: Self.actor)
            } catch {
                logger.error(
                    "marking a Slack connection reauth_required failed",
                    metadata: ["connection_id": "\(connection.id)", "error": "\(error)"]
                )
            }
        } else if SlackConnector.channelErrors.contains(code) {
            let warning = "Slack cannot post to channel \(target.channel) (\(code)): invite the app to the channel or choose another one"
            outcome.error = warning
            do {
                try await lifecycle.repository.recordTest(
                    organization: connection.organizationID,
                    id: connection.id,
                    ok: false,
                    message: warning,
                    accountID: nil,
                    accountName: nil
                )
            } catch {
                logger.error("recording a Slack channel warning failed", metadata: ["connection_id": "\(connection.id)", "error": "\(error)"])
            }
        } else if code == "token_expired" {
            // A rotating token expired early: the next attempt asks oauth-service for a fresh one.
            outcome.error = "Slack: token_expired; refreshing"
            _ = try? await lifecycle.tokens.freshCredentials(for: connection, actor: Self.actor, force: true)
        } else {
            outcome.error = "Slack: \(code)"
        }
        return outcome
    }

    static func describe(_ error: any Error) -> String {
        if let failure = error as? TokenBroker.Failure { return failure.message }
        if let failure = error as? CredentialStore.Failure { return failure.message }
        return "the credentials could not be read"
    }
}
