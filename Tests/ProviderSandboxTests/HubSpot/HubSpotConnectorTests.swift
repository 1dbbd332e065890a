import Foundation
import HubConnectors
import HubCore
import ProviderSandbox
import Testing

/// The HubSpot connector against the sandbox: incremental listings that never page past the
/// search ceiling, creates that are safe to retry, refusals as the record's own error (single and
/// 207 multi-status), and 429s that name their limit.
struct HubSpotConnectorTests {
    /// 12,000 contacts changed since the checkpoint: more than one search may page through, so
    /// the listing must move its window instead; every contact arrives, none twice.
    @Test func anIncrementalListingOfMoreThanTenThousandChangesNeverHitsTheSearchCeiling() async throws {
        try await HubSpotSandboxHarness.run(volume: 12_000) { harness in
            let limits = try await harness.request(.PUT, "/_admin/hubspot/limits", json: #"{"ten_secondly":100000,"daily":1000000}"#)
            #expect(limits.status == 200)
            let listing = try await harness.listAll(harness.connector(), "contacts", pageSize: 200, since: "hs1:0")
            #expect(listing.records.count == 12_000)
            #expect(Set(listing.records.map(\.externalID)).count == 12_000)
            #expect(listing.deleted.isEmpty)
            #expect(listing.checkpoint == "hs1:\(1_767_225_600_000 + 11_999_000)", "the newest change read")
            // Paging the same search by offset is refused at 10,000, as HubSpot does.
            let past = try await harness.request(.POST, "/hubspot/crm/v3/objects/contacts/search", json: #"{"limit":200,"after":"10000"}"#)
            #expect(past.status == 400)
            #expect(past.body.contains(#""category":"VALIDATION_ERROR""#))
        }
    }

    @Test func aCreateRetriedWithItsKeyMakesOneCompany() async throws {
        try await HubSpotSandboxHarness.run { harness in
            let connector = harness.connector()
            let fields: JSONValue = ["properties": ["name": "Retried Co", "annualrevenue": 1200]]
            let first = try await connector.create("customers", fields: fields, idempotencyKey: "hub-retry-1")
            let second = try await connector.create("customers", fields: fields, idempotencyKey: "hub-retry-1")
            #expect(first.externalID == second.externalID)
            #expect(first.payload["properties"]?["annualrevenue"]?.stringValue == "1200")
            let search = try await harness.request(
                .POST,
                "/hubspot/crm/v3/objects/companies/search",
                json: #"{"filterGroups":[{"filters":[{"propertyName":"name","operator":"EQ","value":"Retried Co"}]}]}"#
            )
            #expect(search.body.contains(#""total":1"#), "\(search.body)")
            let edited = try await connector.update("customers", id: first.externalID, fields: ["properties": ["city": "Oslo"]], idempotencyKey: nil)
            #expect(edited.payload["properties"]?["city"]?.stringValue == "Oslo")
            try await connector.delete("customers", id: first.externalID)
            await #expect(throws: ConnectorError.notFound(entity: "customers", id: first.externalID)) {
                try await connector.get("customers", id: first.externalID)
            }
        }
    }

    @Test func refusalsAreTheRecordsOwnErrorsInHubSpotsWords() async throws {
        try await HubSpotSandboxHarness.run { harness in
            let connector = harness.connector()
            await #expect(throws: ConnectorError.validation(message: "Email address not-an-email is invalid", field: nil)) {
                try await connector.create("contacts", fields: ["properties": ["email": "not-an-email"]], idempotencyKey: "hub-bad-1")
            }
            await #expect(throws: ConnectorError.conflict("Contact already exists. Existing ID: \(HubSpotProvider.seededID("contacts", 0))")) {
                try await connector.create("contacts", fields: ["properties": ["email": "contact1@example.com"]], idempotencyKey: nil)
            }
            // Two inputs, one refused: 207 with the refused one named by its trace id, the other saved.
            let mixed = try await harness.request(
                .POST,
                "/hubspot/crm/v3/objects/contacts/batch/create",
                json:
                    #"{"inputs":[{"properties":{"email":"ok@example.com"},"objectWriteTraceId":"a"},{"properties":{"nickname":"x"},"objectWriteTraceId":"b"}]}"#
            )
            #expect(mixed.status == 207, "\(mixed.body)")
            let body = try #require(JSONReader.parse(Array(mixed.body.utf8)))
            #expect(body["results"]?.arrayValue?.count == 1)
            #expect(body["errors"]?.arrayValue?.first?["context"]?["objectWriteTraceId"] == ["b"])
            #expect(body["errors"]?.arrayValue?.first?["message"]?.stringValue == "Property \"nickname\" does not exist")
        }
    }

    @Test func aRateLimitedCallNamesItsPolicyAndTheConnectorWaitsTheWindow() async throws {
        try await HubSpotSandboxHarness.run { harness in
            _ = try await harness.request(.PUT, "/_admin/hubspot/limits", json: #"{"ten_secondly":1,"daily":1000}"#)
            #expect(try await harness.request(.GET, "/hubspot/crm/v3/objects/contacts?limit=1").status == 200)
            let limited = try await harness.request(.GET, "/hubspot/crm/v3/objects/contacts?limit=1")
            #expect(limited.status == 429)
            #expect(limited.body.contains(#""policyName":"TEN_SECONDLY_ROLLING""#))
            #expect(limited.headers.first(name: "X-HubSpot-RateLimit-Remaining") == "0")
            await #expect(throws: ConnectorError.rateLimited(retryAfter: .seconds(10))) {
                try await harness.connector(retry: .none).list(ListRequest(entity: "contacts"))
            }
            _ = try await harness.request(.PUT, "/_admin/hubspot/limits", json: #"{"ten_secondly":100,"daily":1}"#)
            _ = try await harness.request(.GET, "/hubspot/crm/v3/objects/contacts?limit=1")
            let daily = try await harness.request(.GET, "/hubspot/crm/v3/objects/contacts?limit=1")
            #expect(daily.body.contains(#""policyName":"DAILY""#))
        }
    }

    /// A deal's contacts (its associations) become the canonical `contact_ids`, from a full
    /// listing (associations in the page) and from a search (read through the v4 batch).
    @Test func aDealsAssociatedContactsBecomeItsContactIDs() async throws {
        try await HubSpotSandboxHarness.run(volume: 20) { harness in
            let mapping = try #require(HubSpotConnector.defaultFieldMappings["opportunities"])
            let deal = HubSpotProvider.seededID("deals", 3)
            for since in [nil, "hs1:0"] {
                let listing = try await harness.listAll(harness.connector(), "opportunities", since: since)
                let record = try #require(listing.records.first { $0.externalID == deal }, "\(since ?? "full")")
                let mapped = mapping.map(record.payload)
                #expect(mapped.errors.isEmpty, "\(mapped.errors)")
                #expect(
                    mapped.canonical["contact_ids"] == [.string(HubSpotProvider.seededID("contacts", 3))],
                    "\(since ?? "full"): \(mapped.canonical)"
                )
            }
        }
    }
}
