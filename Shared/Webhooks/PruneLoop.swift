import Logging

/// How webhook-service runs a retention pass (inbound events, outbound events): on start and
/// then every 10 minutes. Old rows need not go at once, and a pass
/// reads only what it deletes (an index range scan), so a few replicas each pruning this often
/// cost next to nothing. A failed pass is logged and the next one comes on time.
struct PruneLoop: Sendable {
    let interval = Duration.seconds(600)
    let logger: Logger

    /// Runs `pass` until the task is cancelled. `pass` returns what it deleted, logged at info,
    /// or nil when it deleted nothing (an idle pass every 10 minutes is not worth a line).
    func run(pruning what: String, _ pass: () async throws -> Logger.Metadata?) async {
        while !Task.isCancelled {
            do {
                if let deleted = try await pass() {
                    logger.info("pruned \(what) past retention", metadata: deleted)
                }
            } catch {
                logger.error("pruning \(what) failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
