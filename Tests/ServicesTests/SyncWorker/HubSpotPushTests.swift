import Foundation
import HubCore
import HubTestSupport
import NIOHTTP1
import ProviderSandbox
import XCTest

/// Local writes pushed to HubSpot through the batch endpoints: a new company and an edited
/// contact (moved to that company) reach the sandbox, a second push makes no duplicate, and a contact HubSpot refuses
/// becomes a record-level error sample with HubSpot's own message, not a failed job. XCTest,
/// like the `SyncHarness` it runs on.
final class HubSpotPushTests: XCTestCase {
    static let fields = ["access_token": HubSpotProvider.seededToken]
    static let api: HTTPHeaders = ["Authorization": "Bearer \(HubSpotProvider.seededToken)"]

    func testANewCompanyAndAnEditedContactReachHubSpotOnceAndARefusedContactIsARecordError() async throws {
        try await SyncHarness.run(volume: 6, environment: ["HUB_PROVIDER_HUBSPOT_RATE_LIMIT": "1000/1000"]) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let connection = try await harness.connectDirectly(organization: org, provider: "hubspot", fields: Self.fields)
            let base = "/api/v1/integrations/connections/\(connection)/records"
            @Sendable func push(_ entity: String) async throws -> JSONValue {
                let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"\#(entity)","direction":"push"}"#)
                return try await harness.waitForJob(token, try XCTUnwrap(job["id"]?.stringValue))
            }
            @Sendable func companiesNamed(_ name: String) async throws -> JSONValue {
                try await harness.sandbox.send(
                    .POST,
                    "/hubspot/crm/v3/objects/companies/search",
                    json:
                        #"{"filterGroups":[{"filters":[{"propertyName":"name","operator":"EQ","value":"\#(name)"}]}],"properties":["name","city","description","domain"]}"#,
                    headers: Self.api
                ).json
            }
            try await harness.withWorkers(1) {
                try await harness.sync(token, connection: connection, entity: "customers")
                try await harness.sync(token, connection: connection, entity: "contacts")

                let created = try await harness.request(
                    .post,
                    base + "/customers",
                    token: token,
                    json: #"{"fields":{"name":"Pushed Co","address":{"city":"Oslo"},"description":"Net 30 terms","website":"pushed.example.com"}}"#
                )
                XCTAssertEqual(created.status, .created, created.text)
                let pushed = try await push("customers")
                XCTAssertEqual(pushed["status"]?.stringValue, "completed", "\(pushed)")
                XCTAssertEqual(pushed["pushed"]?.intValue, 1, "\(pushed)")
                let again = try await push("customers")
                XCTAssertEqual(again["pushed"]?.intValue ?? 0, 0, "\(again)")
                let found = try await companiesNamed("Pushed Co")
                XCTAssertEqual(found["total"]?.intValue, 1, "one company, whatever was retried: \(found)")
                let company = try XCTUnwrap(found["results"]?.arrayValue?.first)
                XCTAssertEqual(company["properties"]?["city"]?.stringValue, "Oslo")
                // A description is the company's description, its website the domain (the
                // description once went to the domain).
                XCTAssertEqual(company["properties"]?["description"]?.stringValue, "Net 30 terms", "\(company)")
                XCTAssertEqual(company["properties"]?["domain"]?.stringValue, "pushed.example.com", "\(company)")
                let stored = try await harness.request(.get, base + "/customers/\(created.json["id"]?.stringValue ?? "")", token: token).json
                XCTAssertEqual(stored["external_id"], company["id"], "\(stored)")

                let contacts = try await harness.request(.get, base + "/contacts?limit=50", token: token).json["data"]?.arrayValue ?? []
                let first = try XCTUnwrap(contacts.first { $0["external_id"]?.stringValue == HubSpotProvider.seededID("contacts", 0) })
                let edited = try await harness.request(
                    .patch,
                    base + "/contacts/\(first["id"]?.stringValue ?? "")",
                    token: token,
                    json: #"{"fields":{"job_title":"CFO","customer_id":"\#(company["id"]?.stringValue ?? "")"}}"#
                )
                XCTAssertEqual(edited.json["pending_operation"]?.stringValue, "update", edited.text)
                // HubSpot refuses a second contact with an email one has already (the hub refuses an
                // email that is not one itself, before it is stored).
                let takenEmail = try XCTUnwrap(first["fields"]?["email"]?.stringValue, "\(first)")
                let refused = try await harness.request(
                    .post,
                    base + "/contacts",
                    token: token,
                    json: #"{"fields":{"first_name":"Pat","email":"\#(takenEmail)"}}"#
                )
                XCTAssertEqual(refused.status, .created, refused.text)
                let pushedContacts = try await push("contacts")
                XCTAssertEqual(pushedContacts["status"]?.stringValue, "completed", "\(pushedContacts)")
                XCTAssertEqual(pushedContacts["pushed"]?.intValue, 1, "\(pushedContacts)")
                let sample = try XCTUnwrap(pushedContacts["error_samples"]?.arrayValue?.first, "\(pushedContacts)")
                XCTAssertEqual(sample["kind"]?.stringValue, "error")
                XCTAssertEqual(sample["message"]?.stringValue, "Contact already exists. Existing ID: \(HubSpotProvider.seededID("contacts", 0))")
                let remote = try await harness.sandbox.send(
                    .GET,
                    "/hubspot/crm/v3/objects/contacts/\(HubSpotProvider.seededID("contacts", 0))?properties=jobtitle,firstname",
                    headers: Self.api
                )
                XCTAssertEqual(remote.json["properties"]?["jobtitle"]?.stringValue, "CFO", remote.text)
                XCTAssertEqual(remote.json["properties"]?["firstname"]?.stringValue, "First1", "an update sends what changed")
                // The contact's company moved to the pushed one (replaced, not added), and the
                // hub's copy still names it after the push's answer.
                let linked = try await harness.sandbox.send(
                    .GET,
                    "/hubspot/crm/v4/objects/contacts/\(HubSpotProvider.seededID("contacts", 0))/associations/companies",
                    headers: Self.api
                )
                XCTAssertEqual(
                    linked.json["results"]?.arrayValue?.compactMap { $0["toObjectId"]?.intValue }.map(String.init),
                    [company["id"]?.stringValue ?? ""]
                )
                let kept = try await harness.request(.get, base + "/contacts/\(first["id"]?.stringValue ?? "")", token: token).json
                XCTAssertEqual(kept["fields"]?["customer_id"], company["id"], "\(kept)")
                XCTAssertNil(kept["pending_operation"]?.stringValue, "\(kept)")
            }
        }
    }
}
