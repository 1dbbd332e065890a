import Foundation
import HTTPTypes
import HubCore
import HubTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import WebConsole

/// A page whose service cannot answer (down, restarting, its database away) says it is a passing
/// moment: 503 with `Retry-After`, not a 502 "Something went wrong". Here no other service runs,
/// so the catalog page's API call finds nobody listening; the page says so within seconds.
@Suite struct UnavailablePageTests {
    @Test func aPageWhoseServiceIsDownIsA503ThatSaysSo() async throws {
        let console = try await ConsoleTestApp.make()
        try await console.app.test(.router) { client in
            let session = try #require(try await console.signIn(client))
            let started = ContinuousClock.now
            let response = try await client.execute(
                uri: "/integrations",
                method: .get,
                headers: [.cookie: "\(Console.cookieName)=\(session)"]
            )
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "5")
            let page = String(buffer: response.body)
            #expect(page.contains("Temporarily unavailable"), "\(page.prefix(400))")
            #expect(!page.contains("Something went wrong"))
            // The peers' client gives up on a refused connection after its 2 s connect timeout
            // (the shared one retried it for 50 s); generous for a loaded machine.
            #expect(ContinuousClock.now - started < .seconds(15), "the page waited \(ContinuousClock.now - started)")
        }
    }
}
