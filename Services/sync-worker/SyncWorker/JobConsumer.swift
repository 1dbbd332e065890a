import Foundation
import HubConnections
import HubRedis
import HubSync
import Logging
import ServiceLifecycle

/// Takes job ids from the job stream's consumer group, `concurrency` at a time, and runs them.
/// An entry is acknowledged once its job is handled; an entry whose worker died stays pending and
/// is claimed by another worker after `claimIdle`, which resumes the job from its saved cursor.
/// A job whose pair is locked elsewhere, or whose worker still beats (Redis lost its lock), is
/// left pending and comes back after `claimIdle`.
///
/// The stream is one FIFO for every organization: an organization that triggers fifty jobs would
/// hold every slot of every worker until they were done while another's single job waited. So an
/// organization runs at most `slots.cap` jobs at once across the workers; an entry of one at its
/// cap goes to the back of the stream and the slot takes the next, reaching the other
/// organizations' jobs behind it.
struct JobConsumer: Service {
    /// Entries sent to the back in a row before a slot pauses: it has likely gone round the whole
    /// queue and met only organizations at their cap.
    static let deferralsBeforePause = 20

    let queue: RedisStreamQueue
    let runner: JobRunner
    let slots: OrganizationJobSlots
    let consumer: String
    let concurrency: Int
    let claimIdle: Duration
    let logger: Logger

    func run() async throws {
        while true {
            do {
                try await queue.ensureGroup()
                break
            } catch {
                logger.warning("job stream not reachable yet", metadata: ["error": "\(error)"])
                try await Task.sleep(for: .seconds(1))
            }
        }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for slot in 0..<concurrency {
                    group.addTask { await loop(slot: slot) }
                }
            }
        }
    }

    func loop(slot: Int) async {
        var deferrals = 0
        while !Task.isCancelled {
            do {
                var entries = try await queue.claimAbandoned(consumer: consumer, minIdle: claimIdle, count: 1)
                if entries.isEmpty {
                    entries = try await queue.receive(consumer: consumer, count: 1, block: .seconds(2))
                }
                for entry in entries {
                    deferrals = try await handle(entry) ? 0 : deferrals + 1
                }
                if deferrals > 0 && deferrals % Self.deferralsBeforePause == 0 {
                    // A quarter second, doubling while nothing but deferrals comes, up to 2 s.
                    let rounds = min(3, deferrals / Self.deferralsBeforePause - 1)
                    try await Task.sleep(for: .milliseconds(250 << rounds))
                }
            } catch is CancellationError where Task.isCancelled {
                return
            } catch {
                logger.error("sync job slot failed; retrying", metadata: ["slot": "\(slot)", "error": "\(String(reflecting: error))"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Runs (or drops) the entry's job; false when its organization was at its cap and the entry
    /// went to the back of the stream instead.
    func handle(_ entry: RedisStreamEntry) async throws -> Bool {
        guard let text = entry.fields["job_id"], let id = UUID(uuidString: text) else {
            logger.warning("malformed job stream entry dropped", metadata: ["entry_id": "\(entry.id)"])
            try await queue.acknowledge([entry.id])
            return true
        }
        guard let organizationText = entry.fields["org_id"], let organization = UUID(uuidString: organizationText) else {
            try await run(entry, id)
            return true
        }
        switch try await slots.take(organization: organizationText, job: text) {
        case .full:
            try await sendToBack(entry, job: id, organization: organization)
            return false
        case .alreadyHeld:
            // Another entry of the same job (a duplicate, or this one claimed again) is being run
            // under that slot. Running it here too could win the pair's lock and run the job while
            // the slot's holder, finding the lock taken, gives the slot back: one job too many for
            // the organization. So it stays pending; once the job ends it is acknowledged as done,
            // and if the holder died its slot goes stale and this entry takes it.
            break
        case .taken(let slot):
            try await slots.holding(slot) { try await run(entry, id) }
        }
        return true
    }

    func run(_ entry: RedisStreamEntry, _ id: UUID) async throws {
        switch try await runner.run(jobID: id) {
        case .handled: try await queue.acknowledge([entry.id])
        case .busy: break
        }
    }

    /// Added again before the entry is acknowledged and deleted: a crash in between leaves the
    /// job in the stream twice, which its row makes harmless, never not at all.
    func sendToBack(_ entry: RedisStreamEntry, job: UUID, organization: UUID) async throws {
        try await SyncJobStream.publish([(job, organization)], redis: queue.client)
        try await queue.acknowledge([entry.id])
        try await queue.client.xdel(queue.stream, ids: [entry.id])
    }
}
