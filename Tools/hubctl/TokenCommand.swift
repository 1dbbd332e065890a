import ArgumentParser
import Foundation
import HubCore

/// `hubctl token`: mints a development user token signed with `HUB_JWT_HS256_SECRET`, the way
/// the accounting product would, so the API can be tried by hand.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Print a development JWT for an organization (HUB_JWT_HS256_SECRET)."
    )

    @Option(help: "The organization id (a UUID).")
    var org: String

    @Option(help: "The user the token speaks for.")
    var sub: String = "dev-user"

    @Option(help: "Lifetime in seconds.")
    var ttl: Int = 3600

    func validate() throws {
        guard UUID(uuidString: org) != nil else { throw ValidationError("--org must be a UUID") }
        guard ttl > 0 else { throw ValidationError("--ttl must be positive") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let secret = environment["HUB_JWT_HS256_SECRET"], secret.utf8.count >= 32 else {
            throw ValidationError("HUB_JWT_HS256_SECRET (at least 32 bytes) is required to sign a development token")
        }
        let verifier = try await TokenVerifier(
            configuration: AuthConfiguration(
                hs256Secret: secret,
                publicKeyPEM: nil,
                issuer: environment["HUB_JWT_ISSUER"],
                audience: environment["HUB_JWT_AUDIENCE"],
                internalToken: ""
            )
        )
        guard let organization = UUID(uuidString: org) else { return }
        print(try await verifier.sign(Identity(organizationID: organization, subject: sub), expiresIn: TimeInterval(ttl)))
    }
}
