import Foundation
import HubCore
import HubTestSupport
import XCTest

/// A service told to stop while PostgreSQL and Redis are unreachable stops at once: its loops
/// waiting on the stores are cancelled, not left to sit out each deadline in turn (webhook-service
/// took 60 s, its inbound batch's deadline, past the orchestrator's 30 s grace period).
final class ShutdownWithStoresDownTests: XCTestCase {
    /// Room for all five services stopping at once on two loaded cores, yet well under the
    /// 45–60 s a service sitting out its stores' deadlines takes, and under the 60 s grace below,
    /// so a service passes by stopping, not by the grace.
    static let promptly = Duration.seconds(15)

    /// What swift-service-lifecycle's `ServiceGroup` logs (at debug) when the grace runs out.
    static let graceCut = "Graceful shutdown took longer than allowed by the configuration. Cancelling the group now."

    func testEveryServiceStopsPromptlyOnSIGTERMWhileItsStoresAreDown() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for service in HubServiceKind.allCases {
                group.addTask { try await Self.stopWithStoresDown(service) }
            }
            try await group.waitForAll()
        }
    }

    /// `HUB_SHUTDOWN_GRACE_SECONDS` bounds a shutdown something still holds: webhook-service's
    /// dispatcher gives a claim in flight 2 s once stopping (`claimPatienceWhenStopping`), so
    /// with its stores down it stops in about 2 s, and with a grace of 1 s the group is cut
    /// short, cleanly. The child's own log says so, where a stalled machine's timings could not
    /// tell 1 s from 2 s apart.
    func testTheShutdownGraceCutsAShutdownShort() async throws {
        let (took, child) = try await Self.stopWithStoresDown(.webhook, grace: 1, environment: ["HUB_LOG_LEVEL": "debug"])
        let cut = try await child.waitForOutput(containing: Self.graceCut, upTo: .seconds(10))
        XCTAssertTrue(cut, "the 1 s grace did not cut the 2 s the claim may take:\n\(child.outputText.suffix(4_000))")
        XCTAssertFalse(child.isRunning)
        if !child.isRunning { XCTAssertEqual(child.process.terminationStatus, 0, "cut short, yet stopped cleanly") }
        XCTAssertLessThan(took, .seconds(10), "stopped near its 1 s grace")
    }

    /// Stops `service` with its stores down; returns how long it took and the child, whose output
    /// is still being collected.
    @discardableResult
    static func stopWithStoresDown(
        _ service: HubServiceKind,
        grace: Int = 60,
        environment extra: [String: String] = [:]
    ) async throws -> (took: Duration, child: ChildProcess) {
        try await TestDatabase.withOwnStores(prefix: "hub_shutdown") { database, redis in
            let port = try freePort()
            var environment = ServiceProcessTests.environment(database: database.url.urlString, redis: redis.url, port: port)
            environment["HUB_SHUTDOWN_GRACE_SECONDS"] = String(grace)
            environment.merge(extra) { _, new in new }
            let child = try ChildProcess(service.rawValue, environment: environment)
            try child.start()
            defer { child.kill() }
            let ready = try await ServiceProcessTests.waitUntilReady("http://127.0.0.1:\(port)/readyz", while: child)
            guard ready else {
                XCTFail("\(service.rawValue) never became ready:\n\(child.outputText)")
                return (.zero, child)
            }

            try await database.refuseConnections()
            await redis.stop()
            // Long enough for every loop to be waiting on a store again.
            try await Task.sleep(for: .seconds(3))
            let asked = ContinuousClock.now
            child.terminate()
            let stopped = await Self.waitForExit(child, upTo: .seconds(45))
            let took = ContinuousClock.now - asked
            XCTAssertTrue(stopped, "\(service.rawValue) still running 45 s after SIGTERM:\n\(child.outputText.suffix(4_000))")
            XCTAssertLessThan(took, promptly, "\(service.rawValue) took \(took) to stop:\n\(child.outputText.suffix(4_000))")
            if stopped { XCTAssertEqual(child.process.terminationStatus, 0, "\(service.rawValue):\n\(child.outputText.suffix(4_000))") }
            return (took, child)
        }
    }

    static func waitForExit(_ child: ChildProcess, upTo limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while child.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        return !child.isRunning
    }
}
