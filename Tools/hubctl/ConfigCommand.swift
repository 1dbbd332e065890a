import ArgumentParser
import Foundation
import HubCore

/// `hubctl config`: the configuration a service would run with, secrets masked, or every
/// problem that would stop it.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the effective configuration with secrets masked."
    )

    @Option(help: "The service whose view to print: \(HubServiceKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var service: String = HubServiceKind.catalog.rawValue

    func run() throws {
        guard let kind = HubServiceKind(rawValue: service) else {
            throw ValidationError("unknown service '\(service)'")
        }
        do {
            let configuration = try HubConfiguration.load(service: kind)
            let width = configuration.redactedDescription.map(\.name.count).max() ?? 0
            for row in configuration.redactedDescription {
                print(row.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + row.value)
            }
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(78)
        }
    }
}
