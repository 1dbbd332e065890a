import Foundation
import HTTPTypes
import HubCore
import HubTestSupport
import Hummingbird
import HummingbirdTesting

@testable import WebConsole

/// The console's router in-process, on the test Redis; the other services are not needed for
/// sign-in, sessions and forms.
struct ConsoleTestApp {
    static let origin = "http://127.0.0.1:8080"
    let hub: TestHub
    let console: Console
    let app: Application<RouterResponder<HubRequestContext>>

    static func make() async throws -> ConsoleTestApp {
        let hub = try await TestHub.make(service: .console, environment: ["HUB_UI_ORIGIN": origin])
        let console = try await WebConsole.makeConsole(dependencies: hub.dependencies)
        let router = try HubApplication.buildRouter(dependencies: hub.dependencies, openAPI: try WebConsole.openAPI()) {
            try WebConsole.addRoutes(to: $0, console: console)
        }
        return ConsoleTestApp(hub: hub, console: console, app: Application(router: router))
    }

    /// Signs in through the form and returns the session cookie's value.
    func signIn(_ client: some TestClientProtocol, organization: UUID = UUID()) async throws -> String? {
        let token = try await hub.token(organization: organization)
        let response = try await client.execute(
            uri: "/sign-in",
            method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", HTTPField.Name("Origin")!: Self.origin],
            body: ByteBuffer(string: "token=" + token)
        )
        return Self.sessionCookie(response.headers[.setCookie])
    }

    static func sessionCookie(_ header: String?) -> String? {
        guard let header, header.hasPrefix(Console.cookieName + "=") else { return nil }
        let value = header.dropFirst(Console.cookieName.count + 1).prefix { $0 != ";" }
        return value.isEmpty ? nil : String(value)
    }

    static func form(_ fields: [String: String]) -> ByteBuffer {
        ByteBuffer(string: fields.map { "\($0.key)=\(urlComponent($0.value))" }.joined(separator: "&"))
    }
}
