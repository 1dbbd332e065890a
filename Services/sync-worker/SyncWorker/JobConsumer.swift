import Foundation
import HubConnections
import HubRedis
import Logging
import ServiceLifecycle

/// Takes job ids from the job stream's consumer group, `concurrency` at a time, and runs them.
/// An entry is acknowledged once its job is handled; an entry whose worker died stays pending and
/// is claimed by another worker after `claimIdle`, which resumes the job from its saved cursor.
/// A job whose pair is locked elsewhere is left pending and comes back after `claimIdle`.
struct JobConsumer: Service {
    let queue: RedisStreamQueue
    let runner: JobRunner
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
        try await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for slot in 0..<concurrency {
                    group.addTask { await loop(slot: slot) }
                }
            }
        }
    }

    func loop(slot: Int) async {
        while !Task.isCancelled {
            do {
                var entries = try await queue.claimAbandoned(consumer: consumer, minIdle: claimIdle, count: 1)
                if entries.isEmpty {
                    entries = try await queue.receive(consumer: consumer, count: 1, block: .seconds(2))
                }
                for entry in entries { try await handle(entry) }
            } catch is CancellationError {
                return
            } catch {
                logger.error("sync job slot failed; retrying", metadata: ["slot": "\(slot)", "error": "\(String(reflecting: error))"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    func handle(_ entry: RedisStreamEntry) async throws {
        guard let text = entry.fields["job_id"], let id = UUID(uuidString: text) else {
            logger.warning("malformed job stream entry dropped", metadata: ["entry_id": "\(entry.id)"])
            try await queue.acknowledge([entry.id])
            return
        }
        switch try await runner.run(jobID: id) {
        case .handled: try await queue.acknowledge([entry.id])
        case .busy: break
        }
    }
}
