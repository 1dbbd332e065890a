import Foundation
import Hummingbird
import Logging
import Metrics
import ServiceLifecycle

/// What every service's `main` does: load configuration (stopping with every problem listed if
/// it is wrong), set up logging and metrics, build the application, and run it until SIGTERM or
/// SIGINT, shutting down gracefully — for at most `HUB_SHUTDOWN_GRACE_SECONDS`, then by
/// cancelling what is left (a service waiting on a store that is down would otherwise sit out
/// every deadline in turn, past the orchestrator's grace period).
public enum HubProcess {
    public static func run<App: ApplicationProtocol>(
        _ service: HubServiceKind,
        build: (HubDependencies) async throws -> App
    ) async {
        let configuration: HubConfiguration
        do {
            configuration = try HubConfiguration.load(service: service)
        } catch {
            FileHandle.standardError.write(Data("\(service.rawValue): \(error)\n".utf8))
            exit(78)  // EX_CONFIG
        }
        HubLogging.bootstrap(format: configuration.logFormat, level: configuration.logLevel)
        _ = HubMetrics.registry
        Gauge(label: "hub_service_info", dimensions: [("service", service.rawValue)]).record(1)
        var logger = Logger(label: service.rawValue)
        logger.logLevel = configuration.logLevel
        logger.info(
            "starting",
            metadata: .init(uniqueKeysWithValues: configuration.redactedDescription.map { ($0.name, .string($0.value)) })
        )
        do {
            let dependencies = try await HubDependencies.make(configuration: configuration, logger: logger)
            let app = try await build(dependencies)
            var group = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            group.maximumGracefulShutdownDuration = .seconds(configuration.shutdownGraceSeconds)
            try await ServiceGroup(configuration: group).run()
        } catch {
            logger.critical("stopped with an error", metadata: ["error": "\(String(reflecting: error))"])
            exit(1)
        }
    }
}
