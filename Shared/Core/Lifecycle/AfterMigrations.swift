import ServiceLifecycle

/// A background service that starts once the schema is current. It runs in the same service
/// group as the migrations, so on a fresh database its first pass would otherwise query tables
/// that do not exist yet (and log the failure, or count a job attempt against it).
struct AfterMigrations: Service, CustomStringConvertible {
    let service: any Service
    let readiness: Readiness

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await readiness.waitUntilMigrated() }
        } catch is CancellationError {
            return  // shut down before the schema was ready: the service never started
        }
        try await service.run()
    }

    /// The service group logs services by their description: the loop's own, not this wrapper's.
    var description: String { String(describing: service) }
}
