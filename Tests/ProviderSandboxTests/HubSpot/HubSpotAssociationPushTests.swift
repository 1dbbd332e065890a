import Foundation
import HubConnectors
import HubCore
import ProviderSandbox
import Testing

/// Associations pushed through the mappings: a contact's company is set, replaced and cleared
/// (the other companies HubSpot holds for it stay while it is named), and is HubSpot's primary one, a deal's contacts become
/// exactly the list given, an update that names none leaves them be, the answers keep them, and a
/// record naming an object HubSpot does not have is refused, unwritten, while the rest of its
/// batch goes through.
struct HubSpotAssociationPushTests {
    static let contacts = try! #require(HubSpotConnector.defaultFieldMappings["contacts"])
    static let deals = try! #require(HubSpotConnector.defaultFieldMappings["opportunities"])

    static func company(_ index: Int) -> String { HubSpotProvider.seededID("companies", index) }
    static func contact(_ index: Int) -> String { HubSpotProvider.seededID("contacts", index) }

    /// The company ids the sandbox holds for a contact, read through the v4 endpoint.
    static func companies(of contact: String, _ harness: HubSpotSandboxHarness) async throws -> [String] {
        let reply = try await harness.request(.GET, "/hubspot/crm/v4/objects/contacts/\(contact)/associations/companies")
        let body = try #require(JSONReader.parse(Array(reply.body.utf8)))
        return (body["results"]?.arrayValue ?? []).compactMap { $0["toObjectId"]?.intValue.map(String.init) }
    }

    /// The contact's (or deal's) company HubSpot labels "Primary" (association type 1, or 5 from
    /// a deal), read through the v4 endpoint.
    static func primaryCompany(of id: String, _ harness: HubSpotSandboxHarness, type: String = "contacts") async throws -> String? {
        let reply = try await harness.request(.GET, "/hubspot/crm/v4/objects/\(type)/\(id)/associations/companies")
        let body = try #require(JSONReader.parse(Array(reply.body.utf8)))
        let primaryType = type == "deals" ? 5 : 1
        let primary = (body["results"]?.arrayValue ?? []).first { result in
            (result["associationTypes"]?.arrayValue ?? []).contains { $0["typeId"]?.intValue == primaryType }
        }
        return primary?["toObjectId"]?.intValue.map(String.init)
    }

    /// A contact whose companies HubSpot holds unlabeled, none primary: `customer_id` is the first
    /// listed, and naming it makes it primary without touching the other.
    @Test func aRecordWithNoPrimaryCompanyGetsTheOneNamed() async throws {
        try await HubSpotSandboxHarness.run { harness in
            let connector = harness.connector()
            let made = try await harness.request(
                .POST,
                "/hubspot/crm/v3/objects/contacts",
                json: #"{"properties":{"email":"unlabelled@example.com"}}"#
            )
            let id = try #require(JSONReader.parse(Array(made.body.utf8))?["id"]?.stringValue, "\(made.body)")
            for company in [Self.company(4), Self.company(5)] {
                let added = try await harness.request(.PUT, "/hubspot/crm/v4/objects/contacts/\(id)/associations/default/companies/\(company)")
                #expect(added.status == 200, "\(added.body)")
            }
            #expect(try await Self.primaryCompany(of: id, harness) == nil)
            let read = try await connector.get("contacts", id: id)
            #expect(Self.contacts.map(read.payload).canonical["customer_id"] == .string(Self.company(4)), "the first listed")
            let updated = try await connector.update(
                "contacts",
                id: id,
                fields: Self.contacts.unmap(["customer_id": .string(Self.company(4))]),
                idempotencyKey: nil
            )
            #expect(Self.contacts.map(updated.payload).canonical["customer_id"] == .string(Self.company(4)))
            #expect(try await Self.primaryCompany(of: id, harness) == Self.company(4), "made primary")
            #expect(try await Self.companies(of: id, harness) == [Self.company(4), Self.company(5)], "the other stays")
        }
    }

    /// `customer_id` is the company HubSpot labels primary, wherever HubSpot lists it, and naming
    /// another of the contact's companies makes that one primary in place of the old.
    @Test func theRecordsCompanyIsHubSpotsPrimaryOne() async throws {
        try await HubSpotSandboxHarness.run { harness in
            let connector = harness.connector()
            let created = try await connector.create(
                "contacts",
                fields: Self.contacts.unmap(["email": "primary@example.com", "customer_id": .string(Self.company(1))]),
                idempotencyKey: "hub-primary-1"
            )
            #expect(try await Self.primaryCompany(of: created.externalID, harness) == Self.company(1), "pushed as primary")
            // From the company's side the sandbox keeps no labels: the unlabeled type (280).
            let reverse = try await harness.request(.GET, "/hubspot/crm/v4/objects/companies/\(Self.company(1))/associations/contacts")
            let contact = (JSONReader.parse(Array(reverse.body.utf8))?["results"]?.arrayValue ?? []).first {
                $0["toObjectId"]?.intValue.map(String.init) == created.externalID
            }
            #expect(contact?["associationTypes"]?.arrayValue?.compactMap { $0["typeId"]?.intValue } == [280], "\(reverse.body)")

            // In HubSpot, a second company becomes the contact's primary one; it is listed after the first.
            let labelled = try await harness.request(
                .POST,
                "/hubspot/crm/v4/associations/contacts/companies/batch/create",
                json:
                    #"{"inputs":[{"from":{"id":"\#(created.externalID)"},"to":{"id":"\#(Self.company(3))"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":1}]}]}"#
            )
            #expect(labelled.status == 201, "\(labelled.body)")
            #expect(try await Self.companies(of: created.externalID, harness) == [Self.company(1), Self.company(3)])
            #expect(try await Self.primaryCompany(of: created.externalID, harness) == Self.company(3), "one primary company")
            let read = try await connector.get("contacts", id: created.externalID)
            #expect(Self.contacts.map(read.payload).canonical["customer_id"] == .string(Self.company(3)), "the primary one, listed second")

            // Naming the other company makes it primary and removes the one the hub read.
            let updated = try await connector.update(
                "contacts",
                id: created.externalID,
                fields: Self.contacts.unmap(["customer_id": .string(Self.company(1))]),
                idempotencyKey: nil
            )
            #expect(Self.contacts.map(updated.payload).canonical["customer_id"] == .string(Self.company(1)))
            #expect(try await Self.companies(of: created.externalID, harness) == [Self.company(1)])
            #expect(try await Self.primaryCompany(of: created.externalID, harness) == Self.company(1))
        }
    }

    @Test func aContactsCompanyIsSetReplacedKeptAndCleared() async throws {
        try await HubSpotSandboxHarness.run { harness in
            let connector = harness.connector()
            let created = try await connector.create(
                "contacts",
                fields: Self.contacts.unmap(["email": "assoc@example.com", "first_name": "Ada", "customer_id": .string(Self.company(1))]),
                idempotencyKey: "hub-assoc-1"
            )
            #expect(Self.contacts.map(created.payload).canonical["customer_id"] == .string(Self.company(1)), "the answer carries it")
            #expect(try await Self.companies(of: created.externalID, harness) == [Self.company(1)])

            // An update with these canonical fields: the customer_id of its answer, and the
            // companies the sandbox then holds for the contact.
            @Sendable func update(_ canonical: JSONValue) async throws -> (answer: JSONValue?, held: [String]) {
                let updated = try await connector.update(
                    "contacts",
                    id: created.externalID,
                    fields: Self.contacts.unmap(canonical),
                    idempotencyKey: nil
                )
                return (Self.contacts.map(updated.payload).canonical["customer_id"], try await Self.companies(of: created.externalID, harness))
            }
            let moved = try await update(["customer_id": .string(Self.company(2))])
            #expect(moved.answer == .string(Self.company(2)))
            #expect(moved.held == [Self.company(2)], "replaced, not added")

            let renamed = try await update(["first_name": "Ada B."])
            #expect(renamed.answer == .string(Self.company(2)), "kept in the answer")
            #expect(renamed.held == [Self.company(2)])

            // A second company added in HubSpot stays when an update names the same company again.
            let added = try await harness.request(
                .PUT,
                "/hubspot/crm/v4/objects/contacts/\(created.externalID)/associations/default/companies/\(Self.company(3))"
            )
            #expect(added.status == 200, "\(added.body)")
            let repeated = try await update(["customer_id": .string(Self.company(2))])
            #expect(repeated.answer == .string(Self.company(2)))
            #expect(repeated.held == [Self.company(2), Self.company(3)])

            let cleared = try await update(["customer_id": .null])
            #expect(cleared.answer == nil)
            #expect(cleared.held == [])

            // A company HubSpot does not have: refused before anything is written.
            await #expect(
                throws: ConnectorError.validation(message: "HubSpot has no companies 999999999 to associate the contacts record with", field: nil)
            ) {
                try await connector.create(
                    "contacts",
                    fields: Self.contacts.unmap(["email": "orphan@example.com", "customer_id": "999999999"]),
                    idempotencyKey: "hub-assoc-2"
                )
            }
            let search = try await harness.request(
                .POST,
                "/hubspot/crm/v3/objects/contacts/search",
                json: #"{"filterGroups":[{"filters":[{"propertyName":"email","operator":"EQ","value":"orphan@example.com"}]}]}"#
            )
            #expect(search.body.contains(#""total":0"#), "\(search.body)")
        }
    }

    @Test func aBatchOfDealsGetsItsCompaniesAndContactsAndAnImpossiblePairIsThatDealsError() async throws {
        try await HubSpotSandboxHarness.run { harness in
            let connector = harness.connector()
            let good: JSONValue = [
                "name": "Assoc deal", "stage": "appointmentscheduled", "customer_id": .string(Self.company(0)),
                "contact_ids": [.string(Self.contact(4)), .string(Self.contact(5))],
            ]
            let missingCompany: JSONValue = ["name": "Orphan deal", "stage": "appointmentscheduled", "customer_id": "999999999"]
            let outcomes = try await connector.push(
                "opportunities",
                .create,
                [
                    BatchWrite(externalKey: "hub-deal-a", fields: Self.deals.unmap(good)),
                    BatchWrite(externalKey: "hub-deal-b", fields: Self.deals.unmap(missingCompany)),
                ]
            )
            #expect(outcomes.count == 2)
            let made = try #require(try outcomes[0].get())
            let canonical = Self.deals.map(made.payload).canonical
            #expect(canonical["customer_id"] == .string(Self.company(0)), "\(canonical)")
            #expect(try await Self.primaryCompany(of: made.externalID, harness, type: "deals") == Self.company(0), "its primary company")
            #expect(canonical["contact_ids"] == [.string(Self.contact(4)), .string(Self.contact(5))], "\(canonical)")
            guard case .failure(.validation(let message, _)) = outcomes[1] else {
                Issue.record("the orphan deal should fail on its own: \(outcomes[1])")
                return
            }
            #expect(message == "HubSpot has no companies 999999999 to associate the opportunities record with")
            let orphans = try await harness.request(
                .POST,
                "/hubspot/crm/v3/objects/deals/search",
                json: #"{"filterGroups":[{"filters":[{"propertyName":"dealname","operator":"EQ","value":"Orphan deal"}]}]}"#
            )
            #expect(orphans.body.contains(#""total":0"#), "not written: \(orphans.body)")

            // One contact dropped: the deal keeps only the other.
            let updated = try await connector.push(
                "opportunities",
                .update,
                [BatchWrite(id: made.externalID, externalKey: "hub-deal-a", fields: Self.deals.unmap(["contact_ids": [.string(Self.contact(5))]]))]
            )
            let after = try #require(try updated[0].get())
            #expect(Self.deals.map(after.payload).canonical["contact_ids"] == [.string(Self.contact(5))])
            #expect(Self.deals.map(after.payload).canonical["customer_id"] == .string(Self.company(0)), "untouched")
        }
    }
}
