import Logging

/// How a service runs a retention pass (inbound events, outbound events, relayed outbox rows): on
/// start and then every `interval`. Old rows need not go at once, and a pass reads only what it
/// deletes (an index range scan), so a few replicas each pruning this often cost next to nothing.
/// A failed pass is logged and the next one comes on time; a pass cut short by the service
/// stopping is not a failure. A pass still running after `deadline` is abandoned as failed (a
/// statement stuck on a connection that died with its server), so the loop never stops pruning;
/// the deadline is long, as a pass after an outage may rightly delete a large backlog.
public struct PruneLoop: Sendable {
    public let interval: Duration
    public let deadline: Duration
    public let logger: Logger

    public init(every interval: Duration = .seconds(600), deadline: Duration = .seconds(900), logger: Logger) {
        self.interval = interval
        self.deadline = deadline
        self.logger = logger
    }

    /// Runs `pass` until the task is cancelled. `pass` returns what it deleted, logged at info,
    /// or nil when it deleted nothing (an idle pass every few minutes is not worth a line).
    public func run(pruning what: String, _ pass: @escaping @Sendable () async throws -> Logger.Metadata?) async {
        while !Task.isCancelled {
            do {
                if let deleted = try await withDeadline(deadline, "pruning \(what)", pass) {
                    logger.info("pruned \(what) past retention", metadata: deleted)
                }
            } catch {
                guard !Task.isCancelled else { return }
                logger.error("pruning \(what) failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
