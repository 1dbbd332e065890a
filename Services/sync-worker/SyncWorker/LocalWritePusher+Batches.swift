import Foundation
import HubConnectors
import HubSync

/// Pushing through a connector that writes many records a call (`BatchPushingConnector`): a
/// page's writes are grouped by operation into batches of the provider's size, and each record's
/// outcome is settled on its own, so a refused record is an error sample and never fails the
/// others. A create upserts on the hub's id for the record (`hub-{id}`, the same for every
/// version), so a batch repeated after a lost answer or a crash makes nothing twice.
///
/// On a push-only sync each update's remote state is still read one record at a time before
/// the batch (a remote change since the last pull is a conflict for the policy), as the
/// one-record path does; the writes themselves go in batches.
extension LocalWritePusher {
    func pushInBatches(
        _ writes: [RecordStore.PendingWrite],
        largest: Int,
        job: RunningJob,
        session: SyncSession,
        progress: inout PageProgress
    ) async throws {
        var groups: [(BatchWrite.Operation, [RecordStore.PendingWrite])] = [(.create, []), (.update, []), (.delete, [])]
        for write in writes {
            do {
                switch write.operation {
                case .create:
                    groups[0].1.append(write)
                case .update:
                    guard let externalID = write.externalID else { throw SyncFailure(message: "an update without a remote id", recordLevel: true) }
                    if job.direction == .push,
                        let remote = try await remoteChange(of: write, externalID: externalID, entity: job.entity, session: session),
                        try await remoteWon(write, remote: remote, session: session, progress: &progress, reason: "changed on both sides")
                    {
                        continue
                    }
                    groups[1].1.append(write)
                case .delete:
                    // Never pushed: nothing at the provider to delete.
                    guard write.externalID != nil else {
                        try await markPushed(write, answer: nil)
                        progress.pushed += 1
                        continue
                    }
                    groups[2].1.append(write)
                }
            } catch let failure as SyncFailure where failure.recordLevel {
                progress.problems.append((Self.name(write), failure.message, "error"))
            }
        }
        for (operation, group) in groups {
            for start in stride(from: 0, to: group.count, by: largest) {
                let batch = Array(group[start..<min(start + largest, group.count)])
                try await pushBatch(batch, operation, job: job, session: session, progress: &progress)
            }
        }
    }

    /// One provider call for `batch`, then each record's outcome.
    func pushBatch(
        _ batch: [RecordStore.PendingWrite],
        _ operation: BatchWrite.Operation,
        job: RunningJob,
        session: SyncSession,
        progress: inout PageProgress
    ) async throws {
        let entity = job.entity
        let inputs = batch.map { write in
            BatchWrite(
                id: write.externalID,
                externalKey: "hub-\(write.id.uuidString.lowercased())",
                fields: session.mapping.unmap(write.fields, record: write.record)
            )
        }
        let outcomes: [Result<ProviderRecord?, ConnectorError>]
        do {
            outcomes = try await session.call(limiter: limiter, budget: settings.retryBudget) { connector in
                guard let batching = connector as? any BatchPushingConnector else {
                    throw SyncFailure(message: "the connector no longer pushes in batches")
                }
                return try await batching.push(entity, operation, inputs)
            }
        } catch let failure as SyncFailure where failure.recordLevel {
            // The provider refused the call as a whole (HubSpot answers 400, not 207, when every
            // input is invalid): each record alone tells which are refused.
            guard batch.count == 1 else {
                for write in batch { try await pushBatch([write], operation, job: job, session: session, progress: &progress) }
                return
            }
            let error: ConnectorError = failure.conflict ? .conflict(failure.message) : .validation(message: failure.message, field: nil)
            outcomes = [.failure(error)]
        }
        for (write, outcome) in zip(batch, outcomes) {
            try await settle(write, outcome, operation, job: job, session: session, progress: &progress)
        }
    }

    /// One record's outcome: stored as pushed, or an error sample that leaves the write pending.
    func settle(
        _ write: RecordStore.PendingWrite,
        _ outcome: Result<ProviderRecord?, ConnectorError>,
        _ operation: BatchWrite.Operation,
        job: RunningJob,
        session: SyncSession,
        progress: inout PageProgress
    ) async throws {
        var answer: ProviderRecord?
        switch outcome {
        case .success(let record):
            answer = record
        case .failure(.notFound) where operation == .delete:
            // Already gone at the provider: the delete has happened.
            answer = nil
        case .failure(.conflict) where operation == .update:
            do {
                guard
                    let settled = try await updateRefused(
                        write,
                        externalID: write.externalID ?? "",
                        entity: job.entity,
                        session: session,
                        progress: &progress
                    )
                else { return }
                answer = settled
            } catch let failure as SyncFailure where failure.recordLevel {
                progress.problems.append((Self.name(write), failure.message, "error"))
                return
            }
        case .failure(let error):
            progress.problems.append((Self.name(write), error.message, "error"))
            return
        }
        try await markPushed(write, answer: answer.map { PreparedRecord($0, mapping: session.mapping) })
        progress.pushed += 1
    }
}
