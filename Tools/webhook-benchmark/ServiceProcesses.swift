import BenchmarkSupport
import Foundation

/// The webhook-service executables under test, started from the directory this tool was built
/// into, each on a free port, and stopped with SIGTERM; one oauth-service beside them checks the
/// Shopify signatures (it alone holds the client secret).
final class ServiceProcesses: @unchecked Sendable {
    // @unchecked: the processes are only started and stopped from the benchmark's one flow.
    private(set) var processes: [Process] = []
    private(set) var baseURLs: [String] = []
    /// The webhook-service processes' ids, whose CPU time each scenario reports.
    var webhookServicePIDs: [Int32] { pids(of: "webhook-service") }
    var oauthServicePIDs: [Int32] { pids(of: "oauth-service") }

    private func pids(of name: String) -> [Int32] {
        processes.filter { $0.executableURL?.lastPathComponent == name }.map(\.processIdentifier)
    }

    func start(count: Int, environment: [String: String]) throws {
        let oauthPort = try freePort()
        var environment = environment
        environment["HUB_SERVICE_URL_OAUTH"] = "http://127.0.0.1:\(oauthPort)"
        try launch("oauth-service", port: oauthPort, environment: environment)
        for _ in 0..<count {
            let port = try freePort()
            try launch("webhook-service", port: port, environment: environment)
            baseURLs.append("http://127.0.0.1:\(port)")
        }
    }

    private func launch(_ name: String, port: Int, environment: [String: String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent(name)
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("HUB_") }
        env.merge(environment) { _, new in new }
        env["HUB_PORT"] = String(port)
        process.environment = env
        process.standardOutput = FileHandle.standardError
        process.standardError = FileHandle.standardError
        try process.run()
        processes.append(process)
    }

    /// SIGTERM to each, then SIGKILL to any still running after `grace` (a service that does not
    /// stop must not hang the benchmark; the warning says which).
    func stop(grace: Duration = .seconds(20)) {
        for process in processes where process.isRunning { process.terminate() }
        let deadline = ContinuousClock.now + grace
        for process in processes {
            while process.isRunning && ContinuousClock.now < deadline { usleep(20_000) }
            if process.isRunning {
                FileHandle.standardError.write(Data("webhook-benchmark: service \(process.processIdentifier) ignored SIGTERM; killed\n".utf8))
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        processes = []
    }
}
