import Foundation
import HubCore
import Testing

@testable import WebConsole

/// The connection page offers the organisations of a grant that reaches several, as a form that
/// PUTs the choice, and nothing of the kind once one is chosen.
@Suite struct TenantChoiceFormTests {
    static func connection(accountID: JSONValue, status: String) -> JSONValue {
        [
            "id": "6f1c0000-0000-4000-8000-000000000001", "provider": "xero", "name": "Xero", "status": .string(status),
            "account_id": accountID, "credential_fields": ["access_token"],
            "tenants": [
                ["id": "t-1", "name": "First <b>Books</b>", "type": "ORGANISATION"],
                ["id": "t-2", "name": "Second Books", "type": "ORGANISATION"],
            ],
        ]
    }

    @Test func aPendingChoiceIsAFormListingEveryOrganisation() async throws {
        let renderer = try await PageRenderer.bundled()
        var values = try await ConnectionPages.summary(Self.connection(accountID: .null, status: "connecting"))
        values["csrf"] = "token"
        let html = renderer.html("connection", values)
        #expect(html.contains(#"action="/connections/6f1c0000-0000-4000-8000-000000000001/tenant""#))
        #expect(html.contains(#"name="tenant_id" value="t-1""#) && html.contains(#"name="tenant_id" value="t-2""#))
        #expect(html.contains("First &lt;b&gt;Books&lt;/b&gt;"))
    }

    @Test func aChosenOrganisationOffersNoForm() async throws {
        let renderer = try await PageRenderer.bundled()
        let values = try await ConnectionPages.summary(Self.connection(accountID: "t-2", status: "connected"))
        #expect(!renderer.html("connection", values).contains("name=\"tenant_id\""))
    }
}
