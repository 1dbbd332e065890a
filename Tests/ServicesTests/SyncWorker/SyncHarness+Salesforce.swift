import Foundation
import HubConnections
import HubConnectors
import ProviderSandbox
import XCTest

extension SyncHarness {
    /// The seeded Salesforce org's credential as the OAuth callback stores it: the token and the
    /// `instance_url` the token response named (the sandbox's `/salesforce` mount).
    var salesforceFields: [String: String] {
        ["access_token": SalesforceProvider.seededToken, "instance_url": service.sandboxURL + "/salesforce"]
    }

    /// A connector reaching the seeded org directly (to change things at the provider).
    func salesforceConnector() throws -> SalesforceConnector {
        let factory = ConnectionLifecycle(dependencies: hub.dependencies).factory
        return try XCTUnwrap(factory.connector(provider: "salesforce", credentials: salesforceFields) as? SalesforceConnector)
    }
}
