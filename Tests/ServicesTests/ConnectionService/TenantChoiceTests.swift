import ConnectionService
import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubTestSupport
import OAuthService
import ProviderSandbox
import Testing

/// A Xero consent that reaches several organisations: the connection lists them and waits
/// (`connecting`, tests and syncs 409) until the user picks one; the choice is sealed into the
/// credentials and used on every call, survives a re-authorization, and cannot silently switch.
/// One organisation is still chosen at once. Through the sandbox, real PostgreSQL and Redis.
@Suite(.serialized)
struct TenantChoiceTests {
    static let secondTenant = "9a1c2e3f-4b5d-4e6f-8a7b-1c2d3e4f5a6b"

    /// The user ticks a second organisation on Xero's consent screen from now on.
    static func tickSecondOrganisation(_ harness: ServiceHarness) async throws {
        let admin = SandboxAdmin(baseURL: harness.sandboxURL)
        let settings = try await admin.send(
            .PUT,
            "/_admin/xero/oauth",
            json: #"{"additional_accounts":[{"id":"\#(secondTenant)","name":"Second Books Ltd","details":{"tenant_type":"ORGANISATION"}}]}"#
        )
        #expect(settings.status == 200, "\(settings.text)")
    }

    /// authorize → the sandbox consents → callback → complete: the completion's answer.
    static func connectXero(_ harness: ServiceHarness, token: String) async throws -> ServiceHarness.Reply {
        let started = try await harness.request(.get, "/api/v1/integrations/oauth/xero/authorize", token: token)
        let url = try #require(started.json["authorization_url"]?.stringValue, "\(started.text)")
        let query = try await ProviderConnectionMatrixTests.approve(url)
        let callback = try await harness.request(.get, "/api/v1/integrations/oauth/xero/callback?\(query)", token: nil)
        let location = try #require(callback.headers[.location].flatMap(URLComponents.init(string:)), "\(callback.text)")
        let handle = try #require(location.queryItems?.first { $0.name == "handle" }?.value, "\(location)")
        return try await harness.request(.post, "/api/v1/integrations/oauth/xero/complete", token: token, json: #"{"handle":"\#(handle)"}"#)
    }

    @Test func severalOrganisationsWaitForTheUsersChoiceWhichIsUsedOnEveryCall() async throws {
        try await ProviderConnectionMatrixTests.withServices { harness in
            try await Self.tickSecondOrganisation(harness)
            let organization = UUID()
            let token = try await harness.hub.token(organization: organization, subject: "frank")
            let completed = try await Self.connectXero(harness, token: token)
            #expect(completed.status == .created, "\(completed.text)")
            #expect(completed.json["status"]?.stringValue == "connecting", "\(completed.text)")
            #expect((completed.json["account_id"] ?? .null) == .null, "\(completed.text)")
            #expect(completed.json["tenants"]?.arrayValue?.count == 2, "\(completed.text)")
            let id = try #require(completed.json["id"]?.stringValue)
            let path = "/api/v1/integrations/connections/\(id)"

            // Nothing runs against an organisation nobody chose.
            let sync = try await harness.request(.post, "\(path)/sync", token: token, json: #"{"entity":"invoices"}"#)
            #expect(sync.status == .conflict, "\(sync.text)")
            #expect(sync.json["error"]?["code"]?.stringValue == "tenant_choice_required", "\(sync.text)")
            let test = try await harness.request(.post, "\(path)/test", token: token)
            #expect(test.status == .conflict, "\(test.text)")
            #expect(test.json["error"]?["code"]?.stringValue == "tenant_choice_required", "\(test.text)")

            let listed = try await harness.request(.get, "\(path)/tenants", token: token)
            #expect(listed.status == .ok, "\(listed.text)")
            #expect(listed.json["choice_required"] == true, "\(listed.text)")
            #expect((listed.json["tenant_id"] ?? .null) == .null, "\(listed.text)")
            let ids = (listed.json["data"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
            #expect(ids.count == 2 && ids.contains(Self.secondTenant), "\(listed.text)")
            #expect(listed.json["data"]?.arrayValue?.allSatisfy { $0["type"]?.stringValue == "ORGANISATION" } == true, "\(listed.text)")

            // An organisation the grant does not reach: 422 with the envelope, nothing changes.
            let unknown = try await harness.request(.put, "\(path)/tenant", token: token, json: #"{"tenant_id":"not-a-tenant"}"#)
            #expect(unknown.status == .unprocessableContent, "\(unknown.text)")
            #expect(unknown.json["error"]?["code"]?.stringValue == "validation_failed", "\(unknown.text)")
            #expect(unknown.json["error"]?["details"]?["field"]?.stringValue == "tenant_id", "\(unknown.text)")
            let empty = try await harness.request(.put, "\(path)/tenant", token: token, json: #"{"tenant_id":7}"#)
            #expect(empty.status == .unprocessableContent || empty.status == .badRequest, "\(empty.text)")

            let chosen = try await harness.request(.put, "\(path)/tenant", token: token, json: #"{"tenant_id":"\#(Self.secondTenant)"}"#)
            #expect(chosen.status == .ok, "\(chosen.text)")
            #expect(chosen.json["status"]?.stringValue == "connected", "\(chosen.text)")
            #expect(chosen.json["account_id"]?.stringValue == Self.secondTenant, "\(chosen.text)")
            #expect(chosen.json["account_name"]?.stringValue == "Second Books Ltd", "\(chosen.text)")

            // The choice is sealed into the credentials: the connector sends it as xero-tenant-id.
            let lifecycle = ConnectionLifecycle(dependencies: harness.hub.dependencies)
            let connection = try await lifecycle.repository.require(organization: organization, id: try #require(UUID(uuidString: id)))
            let fields = try await lifecycle.credentials.open(connection, actor: "test").fields
            #expect(fields[ProviderTenant.credentialField] == Self.secondTenant)
            let connector = try #require(lifecycle.factory.connector(provider: "xero", credentials: fields.values))
            #expect(try await connector.testConnection().accountID == Self.secondTenant)
            let tested = try await harness.request(.post, "\(path)/test", token: token)
            #expect(tested.json["ok"] == true, "\(tested.text)")
            let synced = try await harness.request(.post, "\(path)/sync", token: token, json: #"{"entity":"invoices"}"#)
            #expect(synced.status == .accepted, "\(synced.text)")

            // Choosing it again is a no-op; switching to the other organisation is refused.
            let again = try await harness.request(.put, "\(path)/tenant", token: token, json: #"{"tenant_id":"\#(Self.secondTenant)"}"#)
            #expect(again.status == .ok, "\(again.text)")
            let other = try #require(ids.first { $0 != Self.secondTenant })
            let switchedToOther = try await harness.request(.put, "\(path)/tenant", token: token, json: #"{"tenant_id":"\#(other)"}"#)
            #expect(switchedToOther.status == .conflict, "\(switchedToOther.text)")
            #expect(switchedToOther.json["error"]?["code"]?.stringValue == "tenant_already_chosen", "\(switchedToOther.text)")

            // Authorizing again with both organisations ticked keeps the chosen one.
            let reconnected = try await Self.connectXero(harness, token: token)
            #expect(reconnected.status == .created, "\(reconnected.text)")
            #expect(reconnected.json["id"]?.stringValue == id, "\(reconnected.text)")
            #expect(reconnected.json["status"]?.stringValue == "connected", "\(reconnected.text)")
            #expect(reconnected.json["account_id"]?.stringValue == Self.secondTenant, "\(reconnected.text)")
            let audit = try await harness.request(.get, "/api/v1/integrations/audit-log", token: token)
            #expect(audit.text.contains("connection.tenant_chosen"), "\(audit.text)")
        }
    }

    @Test func oneOrganisationIsChosenAtOnce() async throws {
        try await ProviderConnectionMatrixTests.withServices { harness in
            let token = try await harness.hub.token(organization: UUID(), subject: "grace")
            let completed = try await Self.connectXero(harness, token: token)
            #expect(completed.status == .created, "\(completed.text)")
            #expect(completed.json["status"]?.stringValue == "connected", "\(completed.text)")
            let id = try #require(completed.json["id"]?.stringValue)
            let listed = try await harness.request(.get, "/api/v1/integrations/connections/\(id)/tenants", token: token)
            #expect(listed.json["choice_required"] == false, "\(listed.text)")
            #expect(listed.json["data"]?.arrayValue?.count == 1, "\(listed.text)")
            #expect(listed.json["tenant_id"] == completed.json["account_id"], "\(listed.text)")
            #expect(listed.json["tenant_id"]?.stringValue != nil, "\(listed.text)")
        }
    }
}
