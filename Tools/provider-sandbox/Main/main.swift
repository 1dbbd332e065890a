import ArgumentParser
import ProviderSandbox

/// `provider-sandbox`: emulates the providers' APIs on loopback for development and tests.
@main
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provider-sandbox", abstract: "Emulate provider APIs (Stripe, Shopify, Plaid, OAuth servers) on loopback.")

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
