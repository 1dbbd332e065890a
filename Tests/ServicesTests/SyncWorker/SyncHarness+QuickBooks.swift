import Foundation
import HubConnections
import HubConnectors
import HubCore
import XCTest

extension SyncHarness {
    /// A QuickBooks company of its own in the sandbox (`volumes` per Accounting API entity, e.g.
    /// `["Invoice": 10000]`) connected for `organization`: the connection, its credential fields,
    /// and a connector reaching the company directly (to change things at the provider).
    func connectQuickBooks(
        organization: UUID,
        volumes: [String: Int]
    ) async throws
        -> (connection: String, fields: [String: String], provider: QuickBooksConnector)
    {
        let counts = volumes.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",")
        let made = try await sandbox.send(.POST, "/_admin/quickbooks/companies", json: "{\"volumes\":{\(counts)}}")
        XCTAssertEqual(made.status, 201, made.text)
        let fields = [
            "realm_id": try XCTUnwrap(made.json["realm_id"]?.stringValue), "access_token": try XCTUnwrap(made.json["access_token"]?.stringValue),
        ]
        let connection = try await connectDirectly(organization: organization, provider: "quickbooks", fields: fields)
        let factory = ConnectionLifecycle(dependencies: hub.dependencies).factory
        let provider = try XCTUnwrap(factory.connector(provider: "quickbooks", credentials: fields) as? QuickBooksConnector)
        return (connection, fields, provider)
    }
}
