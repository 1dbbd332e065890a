import ArgumentParser
import Foundation
import ProviderSandbox

/// `provider-sandbox`: emulates the providers' APIs on loopback for development and tests.
@main
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provider-sandbox",
        abstract: "Emulate provider APIs (Stripe, Shopify, Plaid, QuickBooks Online, OAuth servers) on loopback.",
        subcommands: [Serve.self, HubEnvironmentCommand.self, SeedBenchmarkCommand.self],
        defaultSubcommand: Serve.self
    )
}

/// Serves the emulated APIs (what `provider-sandbox` does without a subcommand).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the emulated APIs (the default).")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 8090
    @Option(help: "Seed of the generated data.") var seed: UInt64 = 42
    @Option(help: "Objects per seeded entity.") var volume = 25

    func run() async throws {
        var configuration = SandboxConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.seed = seed
        configuration.volume = volume
        let sandbox = ProviderSandbox(configuration: configuration)
        try await sandbox.buildApplication().runService()
    }
}

/// `provider-sandbox hub-env --port 8090`: the hub's environment for using a sandbox on that
/// port as every provider, one `NAME=value` a line (what `scripts/up` gives the services).
struct HubEnvironmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub-env",
        abstract: "Print the hub's settings (HUB_PROVIDER_*) for a sandbox on this address."
    )

    @Option(help: "The sandbox's address.") var host = "127.0.0.1"
    @Option(help: "The sandbox's port.") var port = 8090

    func run() {
        for variable in SandboxSecrets().hubEnvironment(sandboxURL: "http://\(host):\(port)") {
            print("\(variable.name)=\(variable.value)")
        }
    }
}

/// `provider-sandbox seed-benchmark --volume 100000`: seconds and memory to seed each provider
/// and to read its seeded records once. Each provider runs in a process of its own (this
/// executable again, with `--provider`), so each peak memory figure is that provider's alone.
struct SeedBenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-benchmark",
        abstract: "Measure seeding (seconds, resident memory) per provider."
    )

    @Option(help: "Objects per seeded entity.") var volume = 100_000
    @Option(help: "Seed of the generated data.") var seed: UInt64 = 42
    @Option(help: "Only this provider (\(SeedBenchmark.providers.joined(separator: ", "))), in this process.") var provider: String?
    @Flag(help: "Measure seeding only, not the read of every seeded record.") var noRead = false
    @Flag(help: "Print each provider's figures as a JSON line.") var json = false

    func run() throws {
        guard let provider else { return try runEach() }
        let figures = try SeedBenchmark.run(provider: provider, volume: volume, seed: seed, read: !noRead)
        if json {
            print(String(decoding: try JSONEncoder().encode(figures), as: UTF8.self))
        } else {
            print(Self.line(figures))
        }
    }

    private func runEach() throws {
        print("volume \(volume) per entity, seed \(seed)")
        for provider in SeedBenchmark.providers {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
            if !FileManager.default.fileExists(atPath: "/proc/self/exe") {
                process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            }
            process.arguments =
                ["seed-benchmark", "--volume", String(volume), "--seed", String(seed), "--provider", provider, "--json"]
                + (noRead ? ["--no-read"] : [])
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0, let figures = try? JSONDecoder().decode(SeedBenchmark.Figures.self, from: data) else {
                throw ValidationError("the \(provider) run failed (\(process.terminationStatus))")
            }
            print(Self.line(figures))
        }
    }

    static func line(_ figures: SeedBenchmark.Figures) -> String {
        var text = "\(figures.provider.padding(toLength: 8, withPad: " ", startingAt: 0)) seed \(format(figures.seedSeconds)) s"
        text += ", RSS \(megabytes(figures.seededRSSBytes))"
        if let read = figures.readSeconds {
            text += "; read \(figures.readRecords ?? 0) records (\(megabytes(figures.readBytes)) of JSON) in \(format(read)) s"
        }
        return text + "; peak RSS \(megabytes(figures.peakRSSBytes))"
    }

    static func format(_ seconds: Double) -> String { String(format: "%.2f", seconds) }

    static func megabytes(_ bytes: Int?) -> String {
        bytes.map { String(format: "%.0f MB", Double($0) / 1_048_576) } ?? "n/a"
    }
}
