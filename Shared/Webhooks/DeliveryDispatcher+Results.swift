import Foundation
import HubCore
import Logging
import PostgresNIO

/// Writing attempt results: batches, the retry of a failed batch, and the one-at-a-time write
/// of a batch PostgreSQL refused for its data.
extension DeliveryDispatcher {
    /// Writes results (and gives back released claims) in batches until the dispatcher stops and
    /// everything in flight is written.
    func writeResults(_ state: SharedState) async {
        var failures = 0
        var lastWrite: ContinuousClock.Instant?
        while true {
            let until = state.withLock {
                Self.gatherUntil(lastWrite: lastWrite, now: .now, pending: $0.results.count, stopping: $0.stopping || $0.closed)
            }
            if let until { try? await Task.sleep(until: until, clock: .continuous) }
            let (batch, released, done) = state.withLock { state -> ([DeliveryQueue.Result], [ClaimedDelivery], Bool) in
                let batch = Array(state.results.prefix(Self.writeBatch))
                state.results.removeFirst(batch.count)
                let released = state.released
                state.released = []
                return (batch, released, state.closed && state.running == 0 && state.results.isEmpty)
            }
            if batch.isEmpty && released.isEmpty {
                if done { return }
                await state.resultsReady.wait(timeout: .seconds(1))
                continue
            }
            lastWrite = .now
            do {
                // A statement stuck on a connection that died must not stop every later result:
                // past the deadline the batch is kept and written again (writing twice is harmless).
                let disable = try await write(batch, releasing: released)
                failures = 0
                try await self.disable(disable)
            } catch is CancellationError where Task.isCancelled {
                return
            } catch is RefusedResults {
                // A result the table refuses (its delivery row gone) would fail every batch it is
                // in and hold back all later results: each is written alone, and what is refused dropped.
                state.withLock { $0.released.append(contentsOf: released) }
                await writeOneByOne(batch, state)
            } catch {
                failures += 1
                logger.error("writing webhook attempt results failed", metadata: ["error": "\(String(reflecting: error))"])
                // Kept for another try; past a few tries while stopping, the leases bring them back instead.
                if state.withLock({ $0.stopping }) && failures > 3 { return }
                state.withLock {
                    $0.results.insert(contentsOf: batch, at: 0)
                    $0.released.append(contentsOf: released)
                }
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    /// When to take the next batch if not now: results of less than a full batch are gathered
    /// until `writeInterval` after the last write began, unless the dispatcher is stopping.
    static func gatherUntil(
        lastWrite: ContinuousClock.Instant?,
        now: ContinuousClock.Instant,
        pending: Int,
        stopping: Bool
    ) -> ContinuousClock.Instant? {
        guard let lastWrite, !stopping, pending > 0, pending < writeBatch, now < lastWrite + writeInterval else { return nil }
        return lastWrite + writeInterval
    }

    /// PostgreSQL refused a batch of results for its data (SQLSTATE class 22 or 23).
    struct RefusedResults: Error {
        let error: any Error
    }

    /// Gives back `released` and writes `batch`; the subscriptions to disable.
    func write(
        _ batch: [DeliveryQueue.Result],
        releasing released: [ClaimedDelivery] = []
    ) async throws -> [(subscription: UUID, reason: String, gone: Bool)] {
        do {
            let disable = try await withDeadline(settings.storeDeadline, "writing webhook attempt results") { [queue, settings] in
                if !released.isEmpty { try await queue.release(released) }
                return try await queue.record(batch, disableAfterSeconds: settings.disableAfterSeconds)
            }
            if !released.isEmpty { wakeup.signal() }
            return disable
        } catch let error where PostgresError.refusesData(error) {
            throw RefusedResults(error: error)
        }
    }

    func disable(_ subscriptions: [(subscription: UUID, reason: String, gone: Bool)]) async throws {
        for (subscription, reason, gone) in subscriptions {
            // In the one loop that writes results: it must not wait on a stuck statement either.
            let disabled = try await withDeadline(settings.storeDeadline, "disabling a webhook subscription") { [queue] in
                try await queue.disable(subscription: subscription, reason: reason, gone: gone)
            }
            if disabled { wakeup.signal() }
        }
    }

    /// Writes a refused batch one result at a time, dropping a result refused alone. At the first
    /// other failure (the store went away meanwhile) the rest go back to the front of the queue,
    /// for the loop's usual retry.
    func writeOneByOne(_ batch: [DeliveryQueue.Result], _ state: SharedState) async {
        for (index, result) in batch.enumerated() {
            do {
                let disable = try await write([result])
                try await self.disable(disable)
            } catch let refused as RefusedResults {
                logger.error(
                    "a webhook attempt result the database refuses was dropped",
                    metadata: ["delivery_id": "\(result.delivery.id)", "error": "\(String(reflecting: refused.error))"]
                )
            } catch {
                state.withLock { $0.results.insert(contentsOf: batch[index...], at: 0) }
                return
            }
        }
    }
}
