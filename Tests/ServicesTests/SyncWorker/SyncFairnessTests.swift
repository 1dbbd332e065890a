import Foundation
import HubCore
import HubRedis
import HubSync
import HubTestSupport
import PostgresNIO
import Testing

/// One organization's many jobs do not hold back another's single job: an organization runs at
/// most `HUB_SYNC_ORGANIZATION_CONCURRENCY` jobs at once, and the worker's other slots reach the
/// jobs queued behind them. (An organization has one connection per provider: its many jobs are
/// the entities of its QuickBooks company, all paced by that one company's rate.)
@Suite(.serialized) struct SyncFairnessTests {
    // A slot not renewed within the lock TTL goes stale (the worker is taken for dead); the
    // harness's 3 s TTL can pass in a stall of a loaded machine, so these slots get 20 s.
    static let settings = ["HUB_SYNC_CONCURRENCY": "4", "HUB_SYNC_ORGANIZATION_CONCURRENCY": "2", "HUB_SYNC_LOCK_TTL_SECONDS": "20"]
    static let entities = [
        "customers", "invoices", "payments", "products", "expenses", "vendors", "accounts", "bills", "bill_payments", "credit_notes",
    ]

    @Test func aSingleJobIsNotQueuedBehindAnotherOrganizationsMany() async throws {
        try await SyncHarness.run(volume: 40, environment: Self.settings) { harness in
            let busy = UUID()
            let quiet = UUID()
            let busyConnection = try await harness.connectQuickBooks(organization: busy, volumes: [:]).connection
            let quietConnection = try await harness.connectQuickBooks(organization: quiet, volumes: ["Invoice": 40]).connection
            let busyToken = try await harness.hub.token(organization: busy)
            let quietToken = try await harness.hub.token(organization: quiet)
            // A job executes only while it holds its pair's lock, in every attempt: sampled, the
            // busy organization's locks held at once show how many of its jobs ran together. (A lock
            // whose release failed would linger for its TTL and read as one more.)
            let redis = harness.hub.dependencies.redis
            let locks = Self.entities.map { "hub:lock:sync:\(busyConnection.lowercased()):\($0)" }
            let sampling = Task {
                var most = 0
                while !Task.isCancelled {
                    // A reply lost to a loaded machine is a sample missed, not a failed test.
                    if let held = try? await redis.send(["EXISTS"] + locks.map(RESPArgument.string)).int { most = max(most, held) }
                    try? await Task.sleep(for: .milliseconds(20))
                }
                return most
            }
            defer { sampling.cancel() }
            try await harness.withWorkers(1) {
                for entity in Self.entities {
                    _ = try await harness.trigger(busyToken, connection: busyConnection, json: #"{"entity":"\#(entity)"}"#)
                }
                let job = try await harness.trigger(quietToken, connection: quietConnection, json: #"{"entity":"invoices"}"#)
                let done = try await harness.waitForJob(quietToken, try #require(job["id"]?.stringValue), timeout: .seconds(120))
                #expect(done["status"]?.stringValue == "completed", "\(done)")
                var quietFinished: Date?
                var busyFinished: [Date] = []
                var busyRuns: [(start: Date, end: Date)] = []
                // Waits for the busy organization's jobs too, to see how they ran.
                let deadline = ContinuousClock.now + .seconds(180)
                var all = try await Self.jobs(harness)
                while all.contains(where: { $0.finished == nil }) && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(200))
                    all = try await Self.jobs(harness)
                }
                for job in all {
                    #expect(job.status == "completed")
                    guard let start = job.started, let end = job.finished else { continue }
                    if job.organization == quiet {
                        quietFinished = end
                    } else {
                        busyFinished.append(end)
                        // A retried job's row spans its first attempt's start to its last one's end,
                        // gap included: only single attempts are exact runs.
                        if job.attempts == 1 { busyRuns.append((start, end)) }
                    }
                }
                let quietEnd = try #require(quietFinished)
                #expect(busyFinished.count == Self.entities.count)
                // FIFO would have started it only once seven of the ten ahead of it had finished (four
                // slots), all paced by one company's rate.
                let ahead = busyFinished.filter { $0 < quietEnd }.count
                #expect(
                    ahead * 2 < Self.entities.count,
                    "\(ahead) of the busy organization's \(Self.entities.count) jobs finished before the quiet one's"
                )
                // Never more than two of the busy organization's jobs ran at once (counted where each starts).
                let most = busyRuns.map { run in busyRuns.filter { $0.start <= run.start && run.start < $0.end }.count }.max() ?? 0
                let attempts = all.map(\.attempts)
                #expect(most <= 2, "\(most) of one organization's jobs overlapped: \(busyRuns.sorted { $0.start < $1.start }), attempts \(attempts)")
            }
            sampling.cancel()
            let sampled = await sampling.value
            #expect(sampled == 2, "the busy organization's pair locks held at once: \(sampled) (its cap is 2)")
        }
    }

    /// A job has more than one stream entry at times (sent again when the stream was recreated,
    /// or claimed again while it runs). An entry whose job holds a slot elsewhere must not run it
    /// there too: it could win the pair's lock, the slot's holder would give the slot back, and
    /// the organization would run one job more than its cap. The entry waits instead, and the job
    /// runs once the slot is free.
    @Test func anEntryWhoseJobHoldsASlotElsewhereWaitsForIt() async throws {
        try await SyncHarness.run(volume: 10, environment: Self.settings) { harness in
            let organization = UUID()
            let connection = try await harness.connectQuickBooks(organization: organization, volumes: ["Invoice": 10]).connection
            let token = try await harness.hub.token(organization: organization)
            let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"invoices"}"#)
            let id = try #require(job["id"]?.stringValue)
            // Another worker's slot for the job, as if it were running the job under it.
            let slots = OrganizationJobSlots(redis: harness.hub.dependencies.redis, cap: 2, ttl: .seconds(20))
            let organizationText = organization.uuidString.lowercased()
            guard case .taken(let slot) = try await slots.take(organization: organizationText, job: id) else {
                Issue.record("the job's slot was not free")
                return
            }
            try await harness.withWorkers(1) {
                // It was not overlooked: the worker took its entry, and again after the claim idle
                // time (3 s), each time leaving it pending.
                let deadline = ContinuousClock.now + .seconds(60)
                var pending = RESPValue.null
                func deliveries() -> Int { pending.array?.compactMap { $0.array?.last?.int }.max() ?? 0 }
                while ContinuousClock.now < deadline {
                    // NOGROUP until the worker has made its consumer group.
                    pending =
                        (try? await harness.hub.dependencies.redis.send("XPENDING", SyncJobStream.name, SyncJobStream.group, "-", "+", "10"))
                        ?? .null
                    if deliveries() >= 2 { break }
                    try await Task.sleep(for: .milliseconds(200))
                }
                #expect(deliveries() >= 2, "\(pending)")
                let waiting = try await harness.request(.get, "/api/v1/integrations/sync/jobs/\(id)", token: token).json
                #expect(waiting["status"]?.stringValue == "queued", "run beside the slot's holder: \(waiting)")
                try await slots.release(slot)
                let done = try await harness.waitForJob(token, id, timeout: .seconds(30))
                #expect(done["status"]?.stringValue == "completed", "\(done)")
                #expect(done["counts"]?["created"]?.intValue == 10, "\(done)")
            }
        }
    }

    static func jobs(_ harness: SyncHarness) async throws -> [(organization: UUID, status: String, started: Date?, finished: Date?, attempts: Int)] {
        let rows = try await harness.hub.dependencies.postgres.query(
            "SELECT org_id, status, started_at, finished_at, attempts FROM sync_jobs",
            logger: harness.logger
        )
        var jobs: [(organization: UUID, status: String, started: Date?, finished: Date?, attempts: Int)] = []
        for try await (organization, status, started, finished, attempts) in rows.decode((UUID, String, Date?, Date?, Int).self) {
            jobs.append((organization, status, started, finished, attempts))
        }
        return jobs
    }
}
