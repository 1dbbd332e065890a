import ConnectionService
import Foundation
import HubCore
import HubTestSupport
import XCTest

extension ServiceHarness {
    /// connection-service with one organization's Stripe connection (tested against the
    /// sandbox): `body` gets the harness, the organization's token and the connection's API path.
    static func withConnectedStripe(_ body: @Sendable (ServiceHarness, String, String) async throws -> Void) async throws {
        try await ServiceHarness.run(
            service: .connection,
            addRoutes: ConnectionService.addRoutes(to:dependencies:),
            openAPI: try ConnectionService.openAPI()
        ) { harness in
            let token = try await harness.hub.token(organization: UUID())
            let created = try await harness.request(
                .post,
                "/api/v1/integrations/connections",
                token: token,
                json: ConnectionRoutesTests.connectBody()
            )
            let id = try XCTUnwrap(created.json["id"]?.stringValue, created.text)
            try await body(harness, token, "/api/v1/integrations/connections/\(id)")
        }
    }
}
