import ArgumentParser

/// The operator's tool: migrations, development tokens, effective configuration.
@main
struct Hubctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hubctl",
        abstract: "Operate the Integration Hub.",
        subcommands: [MigrateCommand.self, TokenCommand.self, ConfigCommand.self, VaultCommand.self]
    )
}
