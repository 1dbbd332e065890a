import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubRedis
import HubSync
import Logging
import PostgresNIO

/// Runs one sync job from its row: takes the (connection, entity) lock for the whole job and
/// keeps it extended, claims the job (fencing out any previous worker), pulls page by page —
/// each page's (or run of pages') records, deletions, events and the next cursor in one
/// transaction — then pushes
/// local writes, and finishes with counts and a `sync.completed` / `sync.failed` event.
struct JobRunner: Sendable {
    let syncs: SyncRepository
    let records: RecordStore
    let lifecycle: ConnectionLifecycle
    let limiter: ProviderRateLimiter
    let lock: RedisLock
    let postgres: PostgresClient
    let settings: SyncConfiguration
    let worker: String
    let logger: Logger

    /// What became of a stream entry.
    enum Outcome: Equatable {
        /// Done with (finished, cancelled, failed, or nothing to do): acknowledge the entry.
        case handled
        /// Another worker holds the pair, or runs the job still: leave the entry for later.
        case busy
    }

    func run(jobID: UUID) async throws -> Outcome {
        let ttl = Duration.seconds(settings.lockTTLSeconds)
        let liveness = ttl / 2
        guard let target = try await bounded("reading a sync job", { [syncs] in try await syncs.jobTarget(jobID, aliveWithin: liveness) })
        else { return .handled }
        guard target.status.isActive else { return .handled }
        guard !target.beating else { return .busy }
        let key = "hub:lock:sync:\(target.connectionID.uuidString.lowercased()):\(target.entity)"
        guard let lease = try await lock.acquire(key: key, ttl: ttl) else { return .busy }
        let held = HeldLease(lease)
        let outcome: Outcome
        do {
            outcome = try await runLocked(jobID, lease: held, ttl: ttl, liveness: liveness)
        } catch {
            _ = try? await lock.release(held.current)
            throw error
        }
        // Best effort: a lease not released expires after its TTL.
        _ = try? await lock.release(held.current)
        return outcome
    }

    /// Claims and runs the job while holding its pair's lock, extending the lease as it goes.
    /// The claim checks the worker's beat again: it may have beaten since the job was read.
    func runLocked(_ jobID: UUID, lease: HeldLease, ttl: Duration, liveness: Duration) async throws -> Outcome {
        let claim = try await bounded("claiming a sync job") { [syncs, worker] in
            try await syncs.claim(jobID, worker: worker, aliveWithin: liveness)
        }
        let job: RunningJob
        switch claim {
        case .run(let claimed): job = claimed
        case .beating: return .busy
        case .nothing: return .handled
        }
        var jobLogger = logger
        jobLogger[metadataKey: "job_id"] = "\(job.id)"
        jobLogger[metadataKey: "connection_id"] = "\(job.connectionID)"
        jobLogger[metadataKey: "entity"] = "\(job.entity)"
        let log = jobLogger
        log.info("sync job started", metadata: ["attempt": "\(job.attempt)", "resuming": "\(job.cursor != nil)"])
        let runner = self

        // The job runs as a child task the lease keeper can cancel when the lock is lost.
        try await withThrowingTaskGroup(of: Void.self) { group in
            // Calls to other services (an access token from oauth-service) name the job.
            let propagation = ServiceClient.Propagation(requestID: "sync-job-\(job.id.uuidString.lowercased())", trace: nil)
            group.addTask { try await ServiceClient.Propagation.$current.withValue(propagation) { try await runner.execute(job, logger: log) } }
            group.addTask { try await JobLeaseKeeper(lock: runner.lock, syncs: runner.syncs).keep(lease, ttl: ttl, job: job, logger: log) }
            do {
                try await group.next()
                group.cancelAll()
            } catch is SyncRepository.LostJob {
                group.cancelAll()
            } catch is CancellationError {
                group.cancelAll()
                throw CancellationError()
            }
        }
        return .handled
    }

    // MARK: The job

    func execute(_ job: RunningJob, logger: Logger) async throws {
        let started = ContinuousClock.now
        do {
            let repository = lifecycle.repository
            guard
                let connection = try await bounded(
                    "reading a sync job's connection",
                    { try await repository.get(organization: job.organizationID, id: job.connectionID) }
                ),
                connection.status == .connected
            else {
                return try await end(job, .failed, reason: "the connection is no longer connected", logger: logger)
            }
            let config = try await bounded("reading a sync job's settings") { [syncs] in
                try await syncs.config(organization: job.organizationID, connection: job.connectionID, entity: job.entity)
            }
            let session = try await SyncSession.open(
                job: job,
                connection: connection,
                config: config,
                lifecycle: lifecycle,
                settings: settings,
                reportWait: { [syncs] wait in
                    do {
                        try await bounded("recording a rate-limit wait") { try await syncs.noteRateLimitWait(job, wait: wait) }
                    } catch {
                        logger.warning("could not record a rate-limit wait", metadata: ["error": "\(error)"])
                    }
                },
                logger: logger
            )
            var job = job
            if job.direction != .push {
                guard try await pull(&job, session: session, started: started, logger: logger) else { return }
            }
            if job.direction != .pull {
                guard try await push(&job, session: session, logger: logger) else { return }
            }
            try await end(job, .completed, reason: nil, logger: logger)
        } catch let error as SyncFailure {
            try await end(job, .failed, reason: error.message, logger: logger)
        } catch let error as TokenBroker.Failure {
            try await end(job, .failed, reason: error.message, logger: logger)
        } catch let error as CredentialStore.Failure {
            try await end(job, .failed, reason: error.message, logger: logger)
        } catch let error where !Self.isPassing(error) {
            // Not a store away for a moment, nor a lost lease: the same error would come back at
            // every attempt, and the job went round without end (holding its entity: every other
            // sync of it was refused as in progress).
            logger.error("sync job failed on an unexpected error", metadata: ["error": "\(String(reflecting: error))"])
            try await end(job, .failed, reason: "the hub could not finish this job (an internal error, logged with the job's id)", logger: logger)
        }
    }

    /// Whether an error ends only this attempt: the job is taken up again (a store unusable just
    /// now, a transaction PostgreSQL rolled back for a conflict or a deadlock, the job taken over
    /// or cancelled).
    static func isPassing(_ error: any Error) -> Bool {
        if error is CancellationError || error is SyncRepository.LostJob || UnavailableDependency.matches(error) { return true }
        return PostgresError.sqlState(of: error)?.hasPrefix("40") ?? false
    }

    /// Pulls every page; false when the job stopped early (cancelled, or taken over).
    func pull(_ job: inout RunningJob, session: SyncSession, started: ContinuousClock.Instant, logger: Logger) async throws -> Bool {
        let scope = RecordStore.Scope(
            organization: job.organizationID,
            connection: job.connectionID,
            entity: job.entity,
            seenJob: job.fullResync ? job.id : nil,
            conflictPolicy: session.conflictPolicy
        )
        let (entity, pageSize, maxPages, budget, limiter) = (job.entity, settings.pageSize, settings.pagesPerWrite, settings.retryBudget, limiter)
        // Fetches and prepares pages from `cursor` until the batch is closed or, once a page is
        // in, the write running meanwhile has finished (`written`; nil: one page).
        @Sendable func fetch(cursor: String?, since: String?, written: PageBatch.WriteFinished?) async throws -> PageBatch {
            var batch = PageBatch()
            var (cursor, since) = (cursor, since)
            repeat {
                try Task.checkCancellation()
                let request = ListRequest(entity: entity, cursor: cursor, since: since, pageSize: pageSize)
                let page = try await session.call(limiter: limiter, budget: budget) { connector in
                    try await connector.list(request)
                }
                batch.append(page, prepared: PreparedRecord.prepare(page.records, mapping: session.mapping))
                (cursor, since) = (page.nextCursor, nil)
            } while !batch.isClosed(maxPages: maxPages) && written?.isSignalled == false
            return batch
        }
        @Sendable func fetch(after cursor: String?, written: PageBatch.WriteFinished) async throws -> PageBatch? {
            guard let cursor else { return nil }
            return try await fetch(cursor: cursor, since: nil, written: written)
        }
        var seen = 0
        // A first import (nothing of this connection and entity stored yet) inserts without
        // looking for stored records, until one turns out to be there after all.
        var firstImport = try await bounded("reading whether a pull is a first import") { [records] in try await records.holdsNothing(scope) }
        var current = try await fetch(cursor: job.cursor, since: job.cursor == nil ? job.since : nil, written: nil)
        while true {
            let batch = current
            let last = batch.isLast
            // The next pages are fetched and prepared while these are written. The cursor is saved
            // only with the records before it, in their transaction, so a crash still neither loses
            // nor repeats a record; a cancel or a failure discards what was fetched unwritten.
            let written = PageBatch.WriteFinished()
            let nextCursor = batch.nextCursor
            async let following = fetch(after: nextCursor, written: written)
            let elapsed = ContinuousClock.now - started
            seen += batch.records.count + batch.deletedIDs.count
            let rate = Double(seen) / max(0.001, elapsed / .seconds(1))
            // A listing that relists everything in place of an incremental one is swept like a
            // full resync: its pages are marked as seen (a resumed one too: its cursor says so).
            var batchScope = scope
            if batch.isFullRelisting { batchScope.seenJob = job.id }
            batchScope.firstImport = firstImport
            let cancel: Bool
            do {
                cancel = try await write(batch, of: job, scope: batchScope, session: session, rate: rate, logger: logger)
            } catch  where batchScope.firstImport && PostgresError.Code.uniqueViolation.matches(error) {
                // A record was stored after all (by a webhook, or listed twice by the provider):
                // this batch and the rest are written as upserts.
                logger.notice(
                    "a record of the first import was stored meanwhile; the batch is written again as upserts",
                    metadata: ["job_id": "\(job.id)", "entity": "\(job.entity)"]
                )
                firstImport = false
                batchScope.firstImport = false
                cancel = try await write(batch, of: job, scope: batchScope, session: session, rate: rate, logger: logger)
            }
            written.signal()
            job.cursor = batch.nextCursor
            if last { return true }
            if cancel {
                try await end(job, .cancelled, reason: "cancelled at a page boundary", logger: logger)
                return false
            }
            guard let next = try await following else { return true }
            current = next
        }
    }

    /// Writes a batch of pages in one transaction: its records, the job's progress and cursor
    /// (with the checkpoint after the last page), the API usage it reported and its events.
    /// Returns whether the job was asked to cancel.
    func write(
        _ batch: PageBatch,
        of job: RunningJob,
        scope: RecordStore.Scope,
        session: SyncSession,
        rate: Double,
        logger: Logger
    ) async throws -> Bool {
        try await boundedTransaction("writing a sync page", on: postgres, logger: logger) { db in
            // A state older than the stored one (a webhook's, applied while the page was fetched)
            // is kept out, as for webhooks; a first import has nothing stored to be newer.
            var result = try await records.applyPull(
                batch.records,
                deletedIDs: batch.deletedIDs,
                scope: scope,
                keepingNewer: !scope.firstImport,
                on: db
            )
            if batch.isLast && scope.seenJob != nil {
                result.changes += try await records.sweepUnseen(scope: scope, on: db)
            }
            var progress = PageProgress()
            progress.pages = batch.pages
            progress.created = result.count(.created)
            progress.updated = result.count(.updated)
            progress.deleted = result.count(.deleted)
            progress.skipped = result.skipped
            progress.conflicts = result.conflicts.count
            progress.problems = result.conflicts.map {
                (externalID: $0.externalID, message: "changed on both sides; \($0.winner) kept", kind: "conflict")
            }
            for record in batch.records where !record.mappingErrors.isEmpty {
                progress.problems.append((record.externalID, record.mappingErrors.joined(separator: "; "), "error"))
            }
            let cancel = try await syncs.savePage(job, nextCursor: batch.nextCursor, progress: progress, recordsPerSecond: rate, on: db)
            if batch.isLast {
                try await syncs.saveCheckpoint(job, checkpoint: batch.checkpoint, pulled: true, pushed: false, on: db)
            }
            if let quota = batch.quota {
                try await lifecycle.repository.noteAPIUsage(quota, organization: job.organizationID, id: job.connectionID, on: db)
            }
            try await EventOutbox.insert(
                EntityEvents.events(
                    for: result,
                    organization: job.organizationID,
                    connection: job.connectionID,
                    provider: session.connection.provider,
                    entity: job.entity,
                    records: batch.records
                ),
                on: db,
                logger: logger
            )
            return cancel
        }
    }

    /// Pushes local writes; false when the job stopped early.
    func push(_ job: inout RunningJob, session: SyncSession, logger: Logger) async throws -> Bool {
        let pusher = LocalWritePusher(
            records: records,
            syncs: syncs,
            postgres: postgres,
            limiter: limiter,
            settings: settings,
            logger: logger
        )
        let current = job
        return try await pusher.push(&job, session: session) {
            try await end(current, .cancelled, reason: "cancelled at a page boundary", logger: logger)
        }
    }

    /// Finishes the job (fenced) with its event, in one transaction.
    func end(_ job: RunningJob, _ status: SyncJobStatus, reason: String?, logger: Logger) async throws {
        let finished = try await boundedTransaction("finishing a sync job", on: postgres, logger: logger) { db -> SyncJob? in
            let final = try await syncs.finish(job, status: status, reason: reason, on: db)
            if let final, status != .cancelled {
                try await EventOutbox.insert(
                    [
                        OutboxEvent(
                            organizationID: job.organizationID,
                            type: status == .completed ? "sync.completed" : "sync.failed",
                            data: Self.summary(final)
                        )
                    ],
                    on: db,
                    logger: logger
                )
            }
            return final
        }
        guard let finished else { return }
        logger.info(
            "sync job ended",
            metadata: [
                "status": "\(status.rawValue)", "reason": "\(reason ?? "")", "created": "\(finished.counts.created)",
                "updated": "\(finished.counts.updated)", "deleted": "\(finished.counts.deleted)", "skipped": "\(finished.counts.skipped)",
            ]
        )
    }

    static func summary(_ job: SyncJob) -> JSONValue {
        var data: [String: JSONValue] = [
            "job_id": .string(job.id.uuidString.lowercased()), "connection_id": .string(job.connectionID.uuidString.lowercased()),
            "entity": .string(job.entity), "direction": .string(job.direction.rawValue), "status": .string(job.status.rawValue),
            "created": .number(Double(job.counts.created)), "updated": .number(Double(job.counts.updated)),
            "deleted": .number(Double(job.counts.deleted)), "skipped": .number(Double(job.counts.skipped)),
            "conflicts": .number(Double(job.counts.conflicts)), "errors": .number(Double(job.counts.errors)),
        ]
        if let reason = job.statusReason { data["reason"] = .string(reason) }
        if let started = job.startedAt, let finished = job.finishedAt {
            data["duration_ms"] = .number((finished.timeIntervalSince(started) * 1000).rounded())
        }
        return .object(data)
    }
}

/// A provider call failed for good. Record-level failures (the provider refused this record:
/// validation, not found) fail that record; the others end the job with `message` as its reason.
struct SyncFailure: Error {
    var message: String
    var recordLevel = false
    /// The provider refused a write made against a version that is no longer current (a stale
    /// QuickBooks `SyncToken`): a change on both sides, for the conflict policy to settle.
    var conflict = false
}
