import Foundation
import HubCore
import HubSync
import HubTestSupport
import Testing

/// A job never stops for good behind one statement: when the worker's sessions stop answering
/// (their backends frozen, as connections whose server went away without the worker hearing of
/// it), the job's call is abandoned at the store deadline, the job comes back with its stream
/// entry and completes on new connections with every record once. Without the deadline it waited
/// on the frozen session for as long as it stayed frozen.
/// So do the scheduler's rounds and the resending of a lost job stream's jobs: each is abandoned
/// at the deadline and the worker goes on.
@Suite struct SyncStoreDeadlineTests {
    /// A pool larger than the sessions a worker opens: a frozen one stays taken by its stuck call,
    /// so the pool must have room for new ones.
    static let settings = [
        "HUB_SYNC_STORE_DEADLINE_SECONDS": "2", "HUB_SYNC_CLAIM_IDLE_SECONDS": "3", "HUB_SYNC_LOCK_TTL_SECONDS": "3",
        "HUB_DB_POOL_SIZE": "30",
    ]

    @Test func aJobStuckOnASessionThatNeverAnswersComesBackAndCompletes() async throws {
        try await SyncHarness.run(volume: 200, environment: Self.settings) { harness in
            let token = try await harness.hub.token(organization: UUID())
            let connection = try await harness.connectStripe(token)
            // Slow pages: the worker's sessions sit idle while it waits on the provider.
            _ = try await harness.sandbox.send(.PUT, "/_admin/faults/stripe", json: #"{"latency_ms":300}"#)
            let worker = try harness.workerProcess()
            try worker.start()
            defer { worker.kill() }
            let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"customers"}"#)
            let id = try #require(job["id"]?.stringValue)
            _ = try await harness.waitForPages(token, id, atLeast: 2)

            // For 1.5 s every session of the worker's is stopped as it goes idle, so the job's next
            // call lands on a stopped one whichever its pool hands out; the window ends before the
            // 2 s deadline, so the connections the pool opens after it are left working.
            let frozen = try await harness.database.freezeSessions(applicationName: "sync-worker", window: .milliseconds(1500))
            defer { TestDatabase.thaw(frozen) }
            #expect(!frozen.isEmpty, "the worker's idle sessions")
            let done = try await harness.waitForJob(token, id, timeout: .seconds(60))
            #expect(done["status"]?.stringValue == "completed", "\(done)\n\(worker.outputText.suffix(2000))")
            #expect((done["attempts"]?.intValue ?? 0) >= 2, "came back after its stuck call was abandoned: \(done)")
            #expect(done["counts"]?["created"]?.intValue == 200, "\(done)")
            #expect(try await harness.rowCount(connection: connection, entity: "customers") == 200)
        }
    }

    @Test func aSchedulingRoundStuckOnASessionThatNeverAnswersIsAbandoned() async throws {
        try await SyncHarness.run(volume: 20, environment: Self.settings) { harness in
            let token = try await harness.hub.token(organization: UUID())
            let connection = try await harness.connectStripe(token)
            try await harness.scheduleHourly(token, connection: connection, entity: "customers")
            // The scheduler's round (every second) goes on a session stopped meanwhile.
            var scheduled: Set<UUID> = []
            try await Self.withFrozenWorkers(harness, until: "a scheduling round abandoned") { worker in
                try await harness.hub.dependencies.postgres.query("UPDATE sync_configs SET next_run_at = now()", logger: harness.logger)
                let id = try #require(
                    try await Self.scheduledJob(harness, within: .seconds(60), besides: scheduled),
                    "\(worker.outputText.suffix(2000))"
                )
                scheduled.insert(id)
                let done = try await harness.waitForJob(token, id.uuidString.lowercased(), timeout: .seconds(60))
                #expect(done["status"]?.stringValue == "completed", "\(done)")
                return worker.outputText.contains("a sync scheduling round did not finish within 2")
            }
        }
    }

    @Test func resendingALostStreamsJobsStuckOnASessionThatNeverAnswersIsAbandoned() async throws {
        // One job slot: the slot that makes the stream again does the resending, so a stuck resend
        // would hold the worker's only slot. No scheduling rounds after the first, so none takes
        // the frozen sessions before the resend does.
        let settings = Self.settings.merging(["HUB_SYNC_CONCURRENCY": "1", "HUB_SYNC_SCHEDULER_INTERVAL_SECONDS": "3600"]) { _, new in new }
        try await SyncHarness.run(volume: 20, environment: settings) { harness in
            let token = try await harness.hub.token(organization: UUID())
            let connection = try await harness.connectStripe(token)
            // The worker that makes the stream again sends the unfinished jobs again, on a stopped
            // session; the job triggered meanwhile is read once that is abandoned.
            try await Self.withFrozenWorkers(harness, until: "the resend abandoned") { worker in
                let before = worker.outputText.count
                _ = try await harness.hub.dependencies.redis.send(["FLUSHALL"])
                let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"customers"}"#)
                let done = try await harness.waitForJob(token, try #require(job["id"]?.stringValue), timeout: .seconds(60))
                let since = String(worker.outputText.dropFirst(before))
                #expect(done["status"]?.stringValue == "completed", "\(done)\n\(since.suffix(2000))")
                if since.contains("sending the lost stream's jobs again did not finish within 2") { return true }
                #expect(since.contains("unfinished job"), "the resend finished: \(since.suffix(2000))")
                return false
            }
        }
    }

    /// Runs `body` with a frozen worker until it answers that the stuck call it looks for was
    /// abandoned, with a new worker each time, at most three. The freeze stops the sessions idle in
    /// its window; one busy all through it, or opened by the pool after it, works, and the call may
    /// land on it and succeed (seen in loaded full runs). That is not the case these tests are for,
    /// so they start again; three misses fail the test.
    static func withFrozenWorkers(_ harness: SyncHarness, until what: String, _ body: (ChildProcess) async throws -> Bool) async throws {
        for _ in 1...3 where try await withFrozenWorker(harness, body) { return }
        Issue.record("never \(what) in three workers: the freeze missed each time")
    }

    /// Starts a worker, and once it is up (its start's resend of unfinished jobs done) freezes its
    /// sessions, stopping each as it goes idle for 1.5 s (under the 2 s deadline), and runs `body`
    /// with it while they stay frozen, answering what it answers. The job stream is deleted first:
    /// only the worker that makes the stream's group resends at start, and a worker before this
    /// one has made it.
    static func withFrozenWorker(_ harness: SyncHarness, _ body: (ChildProcess) async throws -> Bool) async throws -> Bool {
        _ = try await harness.hub.dependencies.redis.send(["DEL", .string(SyncJobStream.name)])
        let worker = try harness.workerProcess()
        try worker.start()
        defer { worker.kill() }
        // "unfinished jobs sent again", or "no unfinished job to send again" when there were none.
        guard try await worker.waitForOutput(containing: "unfinished job", upTo: .seconds(20)) else {
            throw SyncHarness.Failure(description: "the worker did not start: \(worker.outputText.suffix(2000))")
        }
        let frozen = try await harness.database.freezeSessions(applicationName: "sync-worker", window: .milliseconds(1500))
        defer { TestDatabase.thaw(frozen) }
        #expect(!frozen.isEmpty, "the worker's idle sessions")
        return try await body(worker)
    }

    /// The id of a job the scheduler enqueued, besides those given, once it has (or nil after
    /// `timeout`).
    static func scheduledJob(_ harness: SyncHarness, within timeout: Duration, besides known: Set<UUID>) async throws -> UUID? {
        var job: UUID?
        _ = try await waitUntil(upTo: timeout, every: .milliseconds(100)) {
            let rows = try await harness.hub.dependencies.postgres.query(
                "SELECT id FROM sync_jobs WHERE trigger = 'schedule'",
                logger: harness.logger
            )
            for try await id in rows.decode(UUID.self) where !known.contains(id) { job = id }
            return job != nil
        }
        return job
    }
}
