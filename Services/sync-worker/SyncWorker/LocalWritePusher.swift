import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubSync
import Logging
import PostgresNIO

/// Sends an entity's local writes to the provider, oldest first, a batch at a time. Creates and
/// updates carry an idempotency key made of the record id and its write version, so a push
/// repeated after a crash creates nothing twice where the provider honours keys. On a push-only
/// sync a remote change since the last pull is a conflict, settled by the configured policy (a
/// bidirectional sync settled it during its pull). A connector that writes many records a call
/// (Salesforce, HubSpot) gets them in batches: LocalWritePusher+Batches.
struct LocalWritePusher {
    let records: RecordStore
    let syncs: SyncRepository
    let postgres: PostgresClient
    let limiter: ProviderRateLimiter
    let settings: SyncConfiguration
    let logger: Logger

    /// False when the job stopped early (cancelled; `cancelled` has ended it).
    func push(_ job: inout RunningJob, session: SyncSession, cancelled: () async throws -> Void) async throws -> Bool {
        let scope = RecordStore.Scope(
            organization: job.organizationID,
            connection: job.connectionID,
            entity: job.entity,
            seenJob: nil,
            conflictPolicy: session.conflictPolicy
        )
        var after: (since: Date, id: UUID)?
        // A page holds at least one full batch, so a provider taking 200 records a call gets 200.
        let largestBatch = session.largestBatch
        while true {
            let (position, limit) = (after, max(settings.pageSize, largestBatch ?? 0))
            let writes = try await bounded("reading local writes to push") {
                try await records.pendingWrites(scope: scope, after: position, limit: limit)
            }
            guard let last = writes.last else { break }
            after = (last.since, last.id)
            var progress = PageProgress()
            if let largestBatch {
                try await pushInBatches(writes, largest: largestBatch, job: job, session: session, progress: &progress)
            } else {
                for write in writes {
                    do {
                        try await push(write, job: job, session: session, progress: &progress)
                    } catch let failure as SyncFailure where failure.recordLevel {
                        progress.problems.append((Self.name(write), failure.message, "error"))
                    }
                }
            }
            let (job, pushed) = (job, progress)
            let cancel = try await boundedTransaction("saving a push page", on: postgres, logger: logger) { db in
                try await syncs.savePage(job, nextCursor: job.cursor, progress: pushed, recordsPerSecond: 0, on: db)
            }
            if cancel {
                try await cancelled()
                return false
            }
        }
        let finished = job
        try await boundedTransaction("saving a push checkpoint", on: postgres, logger: logger) { db in
            try await syncs.saveCheckpoint(finished, checkpoint: nil, pulled: false, pushed: true, on: db)
        }
        return true
    }

    func push(_ write: RecordStore.PendingWrite, job: RunningJob, session: SyncSession, progress: inout PageProgress) async throws {
        let entity = job.entity
        let key = "hub-\(write.id.uuidString.lowercased())-\(write.version)"
        let fields = session.mapping.unmap(write.fields, record: write.record)
        let answer: ProviderRecord?
        switch write.operation {
        case .create:
            answer = try await session.call(limiter: limiter, budget: settings.retryBudget, creating: true) { connector in
                try await connector.create(entity, fields: fields, idempotencyKey: key)
            }
        case .update:
            guard let externalID = write.externalID else { throw SyncFailure(message: "an update without a remote id", recordLevel: true) }
            if job.direction == .push, let remote = try await remoteChange(of: write, externalID: externalID, entity: entity, session: session),
                try await remoteWon(write, remote: remote, session: session, progress: &progress, reason: "changed on both sides")
            {
                return
            }
            do {
                answer = try await session.call(limiter: limiter, budget: settings.retryBudget) { connector in
                    try await connector.update(entity, id: externalID, fields: fields, idempotencyKey: key)
                }
            } catch let failure as SyncFailure where failure.conflict {
                guard let settled = try await updateRefused(write, externalID: externalID, entity: entity, session: session, progress: &progress)
                else { return }
                answer = settled
            }
        case .delete:
            if let externalID = write.externalID {
                do {
                    try await session.call(limiter: limiter, budget: settings.retryBudget) { connector in
                        try await connector.delete(entity, id: externalID)
                    }
                } catch let failure as SyncFailure where failure.recordLevel && failure.message.contains("not found") {
                    // Already gone at the provider: the delete has happened.
                }
            }
            answer = nil
        }
        let prepared = answer.map { PreparedRecord($0, mapping: session.mapping) }
        try await markPushed(write, answer: prepared)
        progress.pushed += 1
    }

    /// An update the provider refused as a conflict: it changed the record between the
    /// connector's read and its write (a stale QuickBooks SyncToken). Settled by the policy,
    /// never overwritten blindly: nil when the remote's version won, else the provider's record
    /// after writing the local version again.
    func updateRefused(
        _ write: RecordStore.PendingWrite,
        externalID: String,
        entity: String,
        session: SyncSession,
        progress: inout PageProgress
    ) async throws -> ProviderRecord? {
        let remote = try await session.call(limiter: limiter, budget: settings.retryBudget) { connector in
            try await connector.get(entity, id: externalID)
        }
        let prepared = PreparedRecord(remote, mapping: session.mapping)
        if try await remoteWon(write, remote: prepared, session: session, progress: &progress, reason: "changed at the provider while pushing") {
            return nil
        }
        // A new key: the refused attempt's key may be remembered with its refusal.
        let key = "hub-\(write.id.uuidString.lowercased())-\(write.version)-r"
        let fields = session.mapping.unmap(write.fields, record: write.record)
        return try await session.call(limiter: limiter, budget: settings.retryBudget) { connector in
            try await connector.update(entity, id: externalID, fields: fields, idempotencyKey: key)
        }
    }

    /// How an error sample names a write: its provider id, else the hub's.
    static func name(_ write: RecordStore.PendingWrite) -> String {
        write.externalID ?? write.id.uuidString.lowercased()
    }

    /// Settles a record changed on both sides by the conflict policy, counted as a conflict: true
    /// when the remote's version won (and is now the local one), false when the local write goes on.
    func remoteWon(
        _ write: RecordStore.PendingWrite,
        remote: PreparedRecord,
        session: SyncSession,
        progress: inout PageProgress,
        reason: String
    ) async throws -> Bool {
        let remoteWins = RecordStore.remoteWins(session.conflictPolicy, remoteUpdatedAt: remote.remoteUpdatedAt, localSince: write.since)
        progress.conflicts += 1
        progress.problems.append((write.externalID ?? "", "\(reason); \(remoteWins ? "remote" : "local") kept", "conflict"))
        if remoteWins {
            try await bounded("storing the remote's version of a conflicting write") { [records] in
                try await records.acceptRemote(write, remote: remote)
            }
        }
        return remoteWins
    }

    /// The remote record when it changed since the hub last stored it; nil when unchanged.
    func remoteChange(of write: RecordStore.PendingWrite, externalID: String, entity: String, session: SyncSession) async throws -> PreparedRecord? {
        let remote = try await session.call(limiter: limiter, budget: settings.retryBudget) { connector in
            try await connector.get(entity, id: externalID)
        }
        let prepared = PreparedRecord(remote, mapping: session.mapping)
        if prepared.contentHash == write.contentHash { return nil }
        // A listing stores the provider's text, a fetch the hub's writing: compare the content.
        let stored = try await bounded("reading a write's stored version") { [records] in try await records.storedPayload(of: write) }
        return prepared.hasSameContent(asStored: stored, hash: write.contentHash) ? nil : prepared
    }

    /// Records a write as pushed, bounded like the rest of a job's calls (`bounded`): one stuck
    /// there would hold the job while its lease keeper made it look alive. Abandoned, the write
    /// stays pending and goes again with its idempotency key; one that commits late changes only
    /// a write still pending at that version.
    /// Records the provider's answer. Its id held by another record that was changed since (a
    /// copy the provider's news made, then edited) is that record's problem to look at, not a
    /// failure of the job: a job failing on it was sent again and again, creating each time.
    func markPushed(_ write: RecordStore.PendingWrite, answer: PreparedRecord?) async throws {
        do {
            try await bounded("recording a pushed write") { [records] in try await records.pushed(write, answer: answer) }
        } catch  where PostgresError.Code.uniqueViolation.matches(error) {
            let id = answer?.externalID ?? ""
            throw SyncFailure(
                message: "the provider's \(id) is also another record of the hub, changed since; resolve that record, then push again",
                recordLevel: true
            )
        }
    }
}
