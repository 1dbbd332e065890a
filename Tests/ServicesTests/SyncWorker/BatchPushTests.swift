import Foundation
import HubConnectors
import HubCore
import HubSync
import HubTestSupport
import NIOHTTP1
import ProviderSandbox
import Testing

/// Local writes pushed in batches through sync-worker: Salesforce's sObject Collections (200 a
/// call) and HubSpot's batch endpoints (100 a call). The sandbox counts the calls; a batch whose
/// answer is lost after the write is repeated without duplicating a record; a refused record is
/// one error sample while the rest of its batch is pushed; edits push as updates and deletions
/// as deletes (archives).
@Suite(.serialized)
struct BatchPushTests {
    static let collections = "/salesforce/services/data/\(SalesforceConnector.apiVersion)/composite/sobjects"
    static let hubspotAPI: HTTPHeaders = ["Authorization": "Bearer \(HubSpotProvider.seededToken)"]

    @Test func salesforceAccountsGoTwoHundredACallAndARepeatedBatchMakesNoDuplicate() async throws {
        try await SyncHarness.run(volume: 6, environment: ["HUB_PROVIDER_SALESFORCE_RATE_LIMIT": "1000/1000"]) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let connection = try await harness.connectDirectly(organization: org, provider: "salesforce", fields: harness.salesforceFields)
            let connectionID = try #require(UUID(uuidString: connection))
            let store = RecordStore(client: harness.hub.dependencies.postgres, logger: harness.logger)
            try await harness.withWorkers(1) {
                try await harness.sync(token, connection: connection, entity: "customers")
                for index in 0..<450 {
                    _ = try await store.createLocal(
                        organization: org,
                        connection: connectionID,
                        entity: "customers",
                        fields: ["name": .string("Batch \(index)"), "phone": "555-0100"]
                    )
                }
                // No name: Salesforce refuses this one record of the first batch.
                let invalid = try await store.createLocal(
                    organization: org,
                    connection: connectionID,
                    entity: "customers",
                    fields: ["phone": "555-0199"]
                )
                _ = try await harness.sandbox.send(.DELETE, "/_admin/stats/salesforce")
                // The first collection call is saved, then its answer lost.
                _ = try await harness.sandbox.send(.PUT, "/_admin/faults/salesforce", json: #"{"drop_answer_next":1}"#)

                let pushed = try await Self.push(harness, token, connection, "customers")
                #expect(pushed["status"]?.stringValue == "completed", "\(pushed)")
                #expect(pushed["pushed"]?.intValue == 450, "\(pushed)")
                let samples = pushed["error_samples"]?.arrayValue ?? []
                #expect(samples.count == 1, "\(samples)")
                #expect(samples.first?["external_id"]?.stringValue == invalid.id.uuidString.lowercased(), "the sample names the record: \(samples)")
                #expect(samples.first?["message"]?.stringValue == "Required fields are missing: [Name]", "\(samples)")
                // The full list the samples come from holds the same one problem.
                let jobID = pushed["id"]?.stringValue ?? ""
                let problems = try await harness.request(.get, "/api/v1/integrations/sync/jobs/\(jobID)/problems", token: token)
                let listed = problems.json["data"]?.arrayValue ?? []
                #expect(listed.count == 1 && listed.first?["kind"]?.stringValue == "error", "\(problems.text)")
                #expect(listed.first?["external_id"] == samples.first?["external_id"] && listed.first?["message"] == samples.first?["message"])

                let calls = try await Self.calls(harness, "salesforce")
                // 451 records in batches of 200, 200 and 51; the first sent again after its lost answer.
                #expect(calls["PATCH \(Self.collections)/Account/\(SalesforceConnector.externalIDField)"] == 4, "\(calls)")
                let accounts = try await harness.directListing(provider: "salesforce", fields: harness.salesforceFields, entity: "customers")
                #expect(accounts.count == 456, "six seeded, 450 pushed, none twice: \(accounts.count)")
                let names = accounts.values.compactMap { $0["Name"]?.stringValue }.filter { $0.hasPrefix("Batch ") }
                #expect(Set(names).count == 450 && names.count == 450)

                // Edits push as one update call, the deletion as one delete call.
                let seeded = (0..<3).map { SalesforceProvider.seededID("Account", $0) }
                try await Self.edit(
                    store,
                    org,
                    connectionID,
                    "customers",
                    externalIDs: Array(seeded.prefix(2)),
                    fields: ["description": "Key account"],
                    deleting: seeded[2]
                )
                _ = try await harness.sandbox.send(.DELETE, "/_admin/stats/salesforce")
                let edited = try await Self.push(harness, token, connection, "customers")
                #expect(edited["pushed"]?.intValue == 3, "two updates and a delete (the nameless account is refused again): \(edited)")
                let after = try await Self.calls(harness, "salesforce")
                #expect(after["PATCH \(Self.collections)"] == 1, "\(after)")
                #expect(after["DELETE \(Self.collections)"] == 1, "\(after)")
                let remaining = try await harness.directListing(provider: "salesforce", fields: harness.salesforceFields, entity: "customers")
                #expect(remaining.count == 455, "one of 456 deleted")
                #expect(remaining[seeded[2]] == nil, "deleted at Salesforce")
                #expect(remaining[seeded[0]]?["Description"]?.stringValue == "Key account")
                #expect(remaining[seeded[1]]?["Description"]?.stringValue == "Key account")
            }
        }
    }

    @Test func hubspotContactsGoAHundredACallAndARefusedContactIsOneSample() async throws {
        try await SyncHarness.run(volume: 6, environment: ["HUB_PROVIDER_HUBSPOT_RATE_LIMIT": "1000/1000"]) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let connection = try await harness.connectDirectly(
                organization: org,
                provider: "hubspot",
                fields: ["access_token": HubSpotProvider.seededToken]
            )
            let connectionID = try #require(UUID(uuidString: connection))
            let store = RecordStore(client: harness.hub.dependencies.postgres, logger: harness.logger)
            let fields = ["access_token": HubSpotProvider.seededToken]
            try await harness.withWorkers(1) {
                try await harness.sync(token, connection: connection, entity: "contacts")
                for index in 0..<500 {
                    _ = try await store.createLocal(
                        organization: org,
                        connection: connectionID,
                        entity: "contacts",
                        fields: ["first_name": .string("Batch\(index)"), "email": .string("batch\(index)@example.com")]
                    )
                }
                _ = try await harness.sandbox.send(.DELETE, "/_admin/stats/hubspot")
                let pushed = try await Self.push(harness, token, connection, "contacts")
                #expect(pushed["status"]?.stringValue == "completed", "\(pushed)")
                #expect(pushed["pushed"]?.intValue == 500, "\(pushed)")
                let calls = try await Self.calls(harness, "hubspot")
                #expect(calls["POST /hubspot/crm/v3/objects/contacts/batch/upsert"] == 5, "\(calls)")
                let contacts = try await harness.directListing(provider: "hubspot", fields: fields, entity: "contacts")
                #expect(contacts.count == 506)

                // A batch of two new contacts, one refused; an edit; a deletion.
                let invalid = try await store.createLocal(
                    organization: org,
                    connection: connectionID,
                    entity: "contacts",
                    fields: ["first_name": "Pat", "email": "not-an-email"]
                )
                _ = try await store.createLocal(
                    organization: org,
                    connection: connectionID,
                    entity: "contacts",
                    fields: ["first_name": "Sam", "email": "sam@example.com"]
                )
                let editedID = HubSpotProvider.seededID("contacts", 0)
                let removedID = HubSpotProvider.seededID("contacts", 1)
                try await Self.edit(store, org, connectionID, "contacts", externalIDs: [editedID], fields: ["job_title": "CFO"], deleting: removedID)
                _ = try await harness.sandbox.send(.DELETE, "/_admin/stats/hubspot")
                let second = try await Self.push(harness, token, connection, "contacts")
                #expect(second["status"]?.stringValue == "completed", "\(second)")
                #expect(second["pushed"]?.intValue == 3, "Sam, the edit and the deletion: \(second)")
                let samples = second["error_samples"]?.arrayValue ?? []
                #expect(samples.count == 1, "\(samples)")
                #expect(samples.first?["external_id"]?.stringValue == invalid.id.uuidString.lowercased(), "\(samples)")
                #expect(samples.first?["message"]?.stringValue == "Email address not-an-email is invalid", "\(samples)")
                let after = try await Self.calls(harness, "hubspot")
                #expect(after["POST /hubspot/crm/v3/objects/contacts/batch/upsert"] == 1, "both creates in one call: \(after)")
                #expect(after["POST /hubspot/crm/v3/objects/contacts/batch/update"] == 1, "\(after)")
                #expect(after["POST /hubspot/crm/v3/objects/contacts/batch/archive"] == 1, "\(after)")
                let remaining = try await harness.directListing(provider: "hubspot", fields: fields, entity: "contacts")
                // Six seeded and 500 pushed, one archived and Sam added.
                #expect(remaining.count == 506)
                #expect(remaining[removedID] == nil, "archived at HubSpot")
                let edited = try await harness.sandbox.send(
                    .GET,
                    "/hubspot/crm/v3/objects/contacts/\(editedID)?properties=jobtitle",
                    headers: Self.hubspotAPI
                )
                #expect(edited.json["properties"]?["jobtitle"]?.stringValue == "CFO", "\(edited.text)")
            }
        }
    }

    /// Edits the local records of `externalIDs` (pulled, so among the oldest) and deletes the one
    /// of `deleting`, for the next push.
    static func edit(
        _ store: RecordStore,
        _ org: UUID,
        _ connection: UUID,
        _ entity: String,
        externalIDs: [String],
        fields: JSONValue,
        deleting: String
    ) async throws {
        let local = try await store.list(
            organization: org,
            connection: connection,
            entity: entity,
            filter: RecordStore.RecordFilter(),
            page: PageRequest(limit: 50)
        )
        let byExternal = Dictionary(local.compactMap { record in record.externalID.map { ($0, record.id) } }) { first, _ in first }
        for id in externalIDs {
            _ = try await store.updateLocal(
                organization: org,
                connection: connection,
                entity: entity,
                id: try #require(byExternal[id]),
                fields: fields
            )
        }
        _ = try await store.deleteLocal(organization: org, connection: connection, entity: entity, id: try #require(byExternal[deleting]))
    }

    /// Runs a push-only job of `entity` and returns it finished.
    static func push(_ harness: SyncHarness, _ token: String, _ connection: String, _ entity: String) async throws -> JSONValue {
        let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"\#(entity)","direction":"push"}"#)
        return try await harness.waitForJob(token, try #require(job["id"]?.stringValue), timeout: .seconds(180))
    }

    /// The sandbox's request counts for `provider` by `METHOD /path`.
    static func calls(_ harness: SyncHarness, _ provider: String) async throws -> [String: Int] {
        let stats = try await harness.sandbox.send(.GET, "/_admin/stats/\(provider)").json
        return (stats["calls"]?.objectValue ?? [:]).compactMapValues(\.intValue)
    }
}
