import Foundation

/// How sync-worker runs jobs: how many at once, page sizes, leases, retry budget, schedules, and
/// the request rates it keeps to per provider account (shared by every replica through Redis).
public struct SyncConfiguration: Sendable, Equatable {
    /// A sustained rate with a burst allowance (a token bucket).
    public struct RateLimit: Sendable, Equatable {
        public var requestsPerSecond: Double
        public var burst: Int

        public init(requestsPerSecond: Double, burst: Int) {
            self.requestsPerSecond = requestsPerSecond
            self.burst = burst
        }

        /// `<requests per second>[/<burst>]`, e.g. `2/40`.
        init?(_ text: String) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let rate = Double(parts[0]), rate > 0, rate <= 100_000 else { return nil }
            let burst = parts.count == 2 ? Int(parts[1]) : max(1, Int(rate.rounded(.up)))
            guard let burst, burst >= 1 else { return nil }
            self.init(requestsPerSecond: rate, burst: burst)
        }

        var text: String { "\(requestsPerSecond)/\(burst)" }
    }

    /// Jobs one worker process runs at once.
    public var concurrency: Int = 4
    /// Jobs of one organization running at once across every worker (0: no cap), so that one
    /// organization's many connections cannot hold every slot while another's job waits.
    public var organizationConcurrency: Int = 2
    /// Records asked for per provider page (each connector caps it at its provider's maximum).
    public var pageSize: Int = 100
    /// The most consecutive pages a pull writes in one transaction: the pages fetched while the
    /// previous write ran (a slow store gets bigger, cheaper writes; a slow provider one page each).
    public var pagesPerWrite: Int = 10
    /// The per-(connection, entity) lock's lease; extended while the job runs.
    public var lockTTLSeconds: Int = 30
    /// How long a stream entry stays unacknowledged before another worker takes the job over.
    public var claimIdleSeconds: Int = 60
    /// How often the scheduling replica looks for due syncs and lost stream entries.
    public var schedulerIntervalSeconds: Int = 15
    /// Unfinished jobs whose stream entry is older than this are sent again (a lost entry, a
    /// flushed Redis); a running one only once its worker has been silent for the lock's lease.
    public var republishAfterSeconds: Int = 120
    /// How long relayed hub events stay in the outbox, to be sent again should Redis lose the
    /// event stream before webhook-service read it; cover the longest time webhook-service may be
    /// down or behind.
    public var outboxRetentionMinutes: Int = 60
    /// How long a finished job's history (counts, problems) is kept; the newest of each connection
    /// and entity stays whatever its age (`SyncJobRetention`).
    public var jobRetentionDays: Int = 90
    public var jobRetention: Duration { .seconds(86_400 * jobRetentionDays) }
    /// How long one of a job's calls to PostgreSQL may take before it is abandoned as failed (a
    /// statement stuck on a connection that died with PostgreSQL); raise it where a full resync's
    /// sweep of a very large table takes longer.
    public var storeDeadlineSeconds: Int = 120
    public var storeDeadline: Duration { .seconds(storeDeadlineSeconds) }
    /// Failed provider calls a job absorbs (after the transport's own retries) before it fails, resumable.
    public var retryBudget: Int = 8
    /// Per provider id: overrides of the connector's default rate (`HUB_PROVIDER_<ID>_RATE_LIMIT`).
    public var rateLimits: [String: RateLimit] = [:]

    public init() {}

    static func load(from env: inout EnvironmentReader) -> SyncConfiguration {
        var sync = SyncConfiguration()
        sync.concurrency = env.integer("HUB_SYNC_CONCURRENCY", default: sync.concurrency, in: 1...256)
        sync.organizationConcurrency = env.integer(
            "HUB_SYNC_ORGANIZATION_CONCURRENCY",
            default: sync.organizationConcurrency,
            in: 0...1_024
        )
        sync.pageSize = env.integer("HUB_SYNC_PAGE_SIZE", default: sync.pageSize, in: 1...1_000)
        sync.pagesPerWrite = env.integer("HUB_SYNC_PAGES_PER_WRITE", default: sync.pagesPerWrite, in: 1...100)
        sync.lockTTLSeconds = env.integer("HUB_SYNC_LOCK_TTL_SECONDS", default: sync.lockTTLSeconds, in: 2...3_600)
        sync.claimIdleSeconds = env.integer("HUB_SYNC_CLAIM_IDLE_SECONDS", default: sync.claimIdleSeconds, in: 1...86_400)
        sync.schedulerIntervalSeconds = env.integer("HUB_SYNC_SCHEDULER_INTERVAL_SECONDS", default: sync.schedulerIntervalSeconds, in: 1...3_600)
        sync.republishAfterSeconds = env.integer("HUB_SYNC_REPUBLISH_AFTER_SECONDS", default: sync.republishAfterSeconds, in: 1...86_400)
        sync.outboxRetentionMinutes = env.integer("HUB_SYNC_OUTBOX_RETENTION_MINUTES", default: sync.outboxRetentionMinutes, in: 1...10_080)
        sync.jobRetentionDays = env.integer("HUB_SYNC_JOB_RETENTION_DAYS", default: sync.jobRetentionDays, in: 1...3_650)
        sync.storeDeadlineSeconds = env.integer("HUB_SYNC_STORE_DEADLINE_SECONDS", default: sync.storeDeadlineSeconds, in: 1...86_400)
        sync.retryBudget = env.integer("HUB_SYNC_RETRY_BUDGET", default: sync.retryBudget, in: 0...1_000)
        for name in env.names(withPrefix: "HUB_PROVIDER_") where name.hasSuffix("_RATE_LIMIT") {
            let id = name.dropFirst("HUB_PROVIDER_".count).dropLast("_RATE_LIMIT".count).lowercased()
            guard let text = env.optional(name), let limit = RateLimit(text), !id.isEmpty else {
                env.problem("\(name) must be <requests per second>[/<burst>], e.g. 2/40")
                continue
            }
            sync.rateLimits[id] = limit
        }
        return sync
    }

    var redactedDescription: [(name: String, value: String)] {
        var rows = [
            ("HUB_SYNC_CONCURRENCY", String(concurrency)), ("HUB_SYNC_ORGANIZATION_CONCURRENCY", String(organizationConcurrency)),
            ("HUB_SYNC_PAGE_SIZE", String(pageSize)),
            ("HUB_SYNC_PAGES_PER_WRITE", String(pagesPerWrite)),
            ("HUB_SYNC_LOCK_TTL_SECONDS", String(lockTTLSeconds)), ("HUB_SYNC_CLAIM_IDLE_SECONDS", String(claimIdleSeconds)),
            ("HUB_SYNC_SCHEDULER_INTERVAL_SECONDS", String(schedulerIntervalSeconds)),
            ("HUB_SYNC_REPUBLISH_AFTER_SECONDS", String(republishAfterSeconds)), ("HUB_SYNC_RETRY_BUDGET", String(retryBudget)),
            ("HUB_SYNC_STORE_DEADLINE_SECONDS", String(storeDeadlineSeconds)),
            ("HUB_SYNC_OUTBOX_RETENTION_MINUTES", String(outboxRetentionMinutes)),
            ("HUB_SYNC_JOB_RETENTION_DAYS", String(jobRetentionDays)),
        ]
        for (id, limit) in rateLimits.sorted(by: { $0.key < $1.key }) {
            rows.append(("HUB_PROVIDER_\(id.uppercased())_RATE_LIMIT", limit.text))
        }
        return rows
    }
}
