import BenchmarkSupport
import Foundation
import HubCore

/// The machine's figures, printed before any result: CPU, cores, memory, kernel, PostgreSQL.
enum MachineReport {
    static func print(admin: DatabaseURL, bin: String) async throws {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingWhitespace() } ?? "" } ?? "unknown"
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let memory = Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824
        let kernel = ((try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8)) ?? "?").trimmingWhitespace()
        let load = ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
        Swift.print("sync-benchmark — \(Date())")
        Swift.print("machine: \(model), \(cores) cores, \(String(format: "%.1f", memory)) GB RAM, Linux \(kernel), load \(load)")
        Swift.print("postgres: \(try await BenchmarkServers.serverVersion(admin: admin)) at \(admin.redacted)")
        Swift.print("binaries: \(bin)")
        Swift.print(SpeedProbe.line("speed probe before"))
    }
}
