import Foundation

/// How webhook-service sends outbound deliveries: which targets it may reach, the retry
/// schedule, timeouts, concurrency, secret-rotation overlap and when a failing endpoint is
/// disabled. Tests compress the schedule through the same variables.
public struct WebhookConfiguration: Sendable, Equatable {
    /// Whether `http://` subscription URLs are accepted (otherwise only `https://`).
    public var allowHTTP = false
    /// Addresses (`10.0.0.5`, `127.0.0.0/8`, `::1`) a subscription may reach even though they are
    /// private, loopback or link-local; everything else in those ranges is refused.
    public var allowedTargets: [String] = []
    /// Seconds to wait after each failed attempt; its length + 1 is the number of attempts.
    /// The default, after Svix's: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 15 h (8 attempts, ≈32.6 h;
    /// at least 26 h even when every wait is jittered short).
    public var retrySchedule: [Double] = [5, 300, 1_800, 7_200, 18_000, 36_000, 54_000]
    /// Each wait is scaled by a random factor in 1 ± jitter, so retries of many deliveries spread out.
    public var retryJitter = 0.2
    /// A delivery succeeds on a 2xx answered within this time.
    public var timeoutMilliseconds = 15_000
    /// A subscription whose attempts have failed without a success for this long is disabled.
    public var disableAfterSeconds = 5 * 86_400
    /// How long the dispatcher's claim of deliveries, its write of attempt results or its
    /// disabling of a subscription may take before it is abandoned as failed (a statement stuck on
    /// a connection that died with PostgreSQL); a healthy one takes milliseconds.
    public var storeDeadlineSeconds = 15
    public var storeDeadline: Duration { .seconds(storeDeadlineSeconds) }
    /// How long the previous signing secret keeps signing after a rotation.
    public var secretOverlapSeconds = 86_400
    /// Attempts one process has in flight at once, over all subscriptions.
    public var concurrency = 256
    /// Attempts one process has in flight at once for one subscription (a slow endpoint holds at
    /// most this many slots, never the others').
    public var subscriptionConcurrency = 16
    /// Transactions of stored inbound provider events one process processes at once. Processing
    /// trails acknowledging by design and competes with the request path for the same cores: on
    /// two cores, more at once processed no faster and acknowledged fewer (docs/performance.md).
    public var inboundConcurrency = 2
    /// Days a processed, ignored or failed inbound provider event (its raw body included) is kept
    /// before the processors delete it; events still to process are never deleted. Longer than
    /// providers' retry windows (Stripe's 3 days), since a retry of a deleted event is stored and
    /// processed again.
    public var inboundRetentionDays = 30
    /// Days an outbound event is kept, with its deliveries and their attempts, once every delivery
    /// finished (delivered, failed or cancelled); an event with a pending delivery is never
    /// deleted. Recover can only resend what is still kept.
    public var retentionDays = 30

    /// `inboundRetentionDays` as a duration.
    public var inboundRetention: Duration { .seconds(inboundRetentionDays * 86_400) }
    /// `retentionDays` as a duration.
    public var retention: Duration { .seconds(retentionDays * 86_400) }
    /// How often an idle worker looks for due deliveries (new events wake it at once).
    public var pollIntervalMilliseconds = 200
    /// The longest `Retry-After` honoured, in seconds.
    public var maxRetryAfterSeconds = 86_400

    public init() {}

    static func load(from env: inout EnvironmentReader) -> WebhookConfiguration {
        var webhooks = WebhookConfiguration()
        webhooks.allowHTTP = env.boolean("HUB_WEBHOOK_ALLOW_HTTP", default: false)
        webhooks.allowedTargets = (env.optional("HUB_WEBHOOK_ALLOWED_TARGETS") ?? "")
            .split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        if let text = env.optional("HUB_WEBHOOK_RETRY_SCHEDULE") {
            let delays = text.split(separator: ",").map { Double($0.trimmingWhitespace()) }
            if delays.isEmpty || delays.contains(where: { $0 == nil || $0! < 0 || $0! > 604_800 }) {
                env.problem("HUB_WEBHOOK_RETRY_SCHEDULE must be comma-separated seconds (0 to 604800), e.g. 5,300,1800")
            } else {
                webhooks.retrySchedule = delays.compactMap { $0 }
            }
        }
        if let text = env.optional("HUB_WEBHOOK_RETRY_JITTER") {
            if let jitter = Double(text), (0...1).contains(jitter) {
                webhooks.retryJitter = jitter
            } else {
                env.problem("HUB_WEBHOOK_RETRY_JITTER must be a fraction from 0 to 1, got '\(text)'")
            }
        }
        webhooks.timeoutMilliseconds = env.integer("HUB_WEBHOOK_TIMEOUT_MS", default: webhooks.timeoutMilliseconds, in: 100...120_000)
        webhooks.storeDeadlineSeconds = env.integer(
            "HUB_WEBHOOK_STORE_DEADLINE_SECONDS",
            default: webhooks.storeDeadlineSeconds,
            in: 1...600
        )
        webhooks.disableAfterSeconds = env.integer(
            "HUB_WEBHOOK_DISABLE_AFTER_SECONDS",
            default: webhooks.disableAfterSeconds,
            in: 1...(90 * 86_400)
        )
        webhooks.secretOverlapSeconds = env.integer(
            "HUB_WEBHOOK_SECRET_OVERLAP_SECONDS",
            default: webhooks.secretOverlapSeconds,
            in: 0...(30 * 86_400)
        )
        webhooks.concurrency = env.integer("HUB_WEBHOOK_CONCURRENCY", default: webhooks.concurrency, in: 1...4_096)
        webhooks.subscriptionConcurrency = env.integer(
            "HUB_WEBHOOK_SUBSCRIPTION_CONCURRENCY",
            default: webhooks.subscriptionConcurrency,
            in: 1...1_024
        )
        webhooks.inboundConcurrency = env.integer(
            "HUB_WEBHOOK_INBOUND_CONCURRENCY",
            default: webhooks.inboundConcurrency,
            in: 1...64
        )
        webhooks.inboundRetentionDays = env.integer(
            "HUB_WEBHOOK_INBOUND_RETENTION_DAYS",
            default: webhooks.inboundRetentionDays,
            in: 1...3_650
        )
        webhooks.retentionDays = env.integer("HUB_WEBHOOK_RETENTION_DAYS", default: webhooks.retentionDays, in: 1...3_650)
        webhooks.pollIntervalMilliseconds = env.integer(
            "HUB_WEBHOOK_POLL_INTERVAL_MS",
            default: webhooks.pollIntervalMilliseconds,
            in: 10...60_000
        )
        return webhooks
    }

    var redactedDescription: [(name: String, value: String)] {
        [
            ("HUB_WEBHOOK_ALLOW_HTTP", String(allowHTTP)),
            ("HUB_WEBHOOK_ALLOWED_TARGETS", allowedTargets.joined(separator: ",")),
            ("HUB_WEBHOOK_RETRY_SCHEDULE", retrySchedule.map { String($0) }.joined(separator: ",")),
            ("HUB_WEBHOOK_RETRY_JITTER", String(retryJitter)),
            ("HUB_WEBHOOK_TIMEOUT_MS", String(timeoutMilliseconds)),
            ("HUB_WEBHOOK_DISABLE_AFTER_SECONDS", String(disableAfterSeconds)),
            ("HUB_WEBHOOK_STORE_DEADLINE_SECONDS", String(storeDeadlineSeconds)),
            ("HUB_WEBHOOK_SECRET_OVERLAP_SECONDS", String(secretOverlapSeconds)),
            ("HUB_WEBHOOK_CONCURRENCY", String(concurrency)),
            ("HUB_WEBHOOK_SUBSCRIPTION_CONCURRENCY", String(subscriptionConcurrency)),
            ("HUB_WEBHOOK_INBOUND_CONCURRENCY", String(inboundConcurrency)),
            ("HUB_WEBHOOK_INBOUND_RETENTION_DAYS", String(inboundRetentionDays)),
            ("HUB_WEBHOOK_RETENTION_DAYS", String(retentionDays)),
            ("HUB_WEBHOOK_POLL_INTERVAL_MS", String(pollIntervalMilliseconds)),
        ]
    }
}
