import BenchmarkSupport
import Foundation

/// CPU time a scenario cost each part of the machine, per delivery (or per inbound webhook):
/// webhook-service, oauth-service (which checks provider signatures with the secrets it alone
/// holds), PostgreSQL (every process of the cluster) and this tool (publishers and receiver, which
/// a real deployment runs elsewhere). Steadier than deliveries/s on this VM, whose speed drifts,
/// and it says where the cores went.
struct ScenarioCPU: Sendable {
    var services: [Int32]
    var oauth: [Int32]
    /// Nil when PostgreSQL runs on another machine.
    var postmaster: Int32?

    struct Reading: Sendable {
        var services: Double
        var oauth: Double
        var postgres: Double?
        var tool: Double
    }

    func read() -> Reading {
        Reading(
            services: ProcessCPU.seconds(services),
            oauth: ProcessCPU.seconds(oauth),
            postgres: postmaster.flatMap { ProcessCPU.cluster(postmaster: $0) },
            tool: ProcessCPU.ownProcess()
        )
    }

    /// `CPU µs a delivery: webhook-service 377, oauth-service 0, PostgreSQL 212, this tool 281`.
    static func line(from start: Reading, to end: Reading, deliveries: Int, unit: String = "a delivery") -> String {
        func micros(_ seconds: Double) -> String { String(format: "%.0f", seconds / Double(max(deliveries, 1)) * 1e6) }
        let postgres =
            if let before = start.postgres, let after = end.postgres { micros(after - before) } else { "not on this machine" }
        return "CPU µs \(unit): webhook-service \(micros(end.services - start.services)), oauth-service \(micros(end.oauth - start.oauth)), "
            + "PostgreSQL \(postgres), "
            + "this tool (publishers, receiver) \(micros(end.tool - start.tool))"
    }
}
