import Foundation
import HubCore
import ProviderSandbox
import Testing

/// The emulated REST API on the wire: SOQL filters, ordering and limits, query locators, the
/// replication resources, sObject Collections and Salesforce's error arrays.
@Suite struct SalesforceSandboxAPITests {
    typealias Harness = SalesforceSandboxHarness

    static func query(_ soql: String) -> String {
        Harness.api("query?q=" + (soql.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
    }

    @Test func soqlFiltersOrdersAndLimits() async throws {
        try await Harness.run(volume: 50) { harness in
            // Seeded accounts changed at one-second steps from 2026-01-01T00:00:00Z.
            let reply = try await harness.request(
                .GET,
                Self.query(
                    "SELECT Id, Name FROM Account WHERE SystemModstamp >= 2026-01-01T00:00:10Z AND SystemModstamp < 2026-01-01T00:00:20.000+0000 "
                        + "ORDER BY Name DESC LIMIT 3"
                )
            )
            #expect(reply.status == 200, "\(reply.body)")
            let json = try #require(JSONReader.parse(Array(reply.body.utf8)))
            #expect(json["totalSize"]?.intValue == 3)
            #expect(json["done"]?.boolValue == true)
            let records = json["records"]?.arrayValue ?? []
            #expect(records.map { $0["Name"]?.stringValue } == ["Account 20", "Account 19", "Account 18"])
            #expect(records.first?["attributes"]?["type"]?.stringValue == "Account")
            #expect(records.first?["Phone"] == nil, "only the selected fields")
            let count = try await harness.request(.GET, Self.query("SELECT COUNT() FROM Contact WHERE LastName LIKE 'Last1%'"))
            #expect(JSONReader.parse(Array(count.body.utf8))?["totalSize"]?.intValue == 11)
        }
    }

    @Test func aLongQueryContinuesAtNextRecordsUrlUntilDone() async throws {
        try await Harness.run(volume: 450) { harness in
            var headers = Harness.apiHeaders
            headers.add(name: "Sforce-Query-Options", value: "batchSize=200")
            let first = try await harness.request(.GET, Self.query("SELECT Id FROM Order"), headers: headers)
            let json = try #require(JSONReader.parse(Array(first.body.utf8)))
            #expect(json["totalSize"]?.intValue == 450)
            #expect(json["done"]?.boolValue == false)
            let next = try #require(json["nextRecordsUrl"]?.stringValue)
            #expect(next.hasPrefix("/services/data/v65.0/query/01g") && next.hasSuffix("-200"))
            let second = try #require(JSONReader.parse(Array(try await harness.request(.GET, "/salesforce" + next, headers: headers).body.utf8)))
            #expect(second["records"]?.arrayValue?.count == 200)
            let bad = try await harness.request(.GET, Harness.api("query/01gNOPE-200"))
            #expect(bad.status == 400)
            #expect(bad.body.contains("INVALID_QUERY_LOCATOR"))
        }
    }

    @Test func errorsAreSalesforcesArrays() async throws {
        try await Harness.run(volume: 5) { harness in
            let malformed = try await harness.request(.GET, Self.query("SELECT Id FROM Account WHERE"))
            #expect(malformed.status == 400)
            let element = try #require(JSONReader.parse(Array(malformed.body.utf8))?.arrayValue?.first)
            #expect(element["errorCode"]?.stringValue == "MALFORMED_QUERY")
            let field = try await harness.request(.GET, Self.query("SELECT Nope FROM Account"))
            #expect(field.body.contains(#""errorCode":"INVALID_FIELD""#))
            let missing = try await harness.request(.POST, Harness.api("sobjects/Contact"), json: #"{"FirstName":"X"}"#)
            #expect(missing.status == 400)
            #expect(missing.body.contains(#""fields":["LastName"]"#))
            let readOnly = try await harness.request(.POST, Harness.api("sobjects/Account"), json: #"{"Name":"X","SystemModstamp":"x"}"#)
            #expect(readOnly.body.contains("INVALID_FIELD_FOR_INSERT_UPDATE"))
            let session = try await harness.request(.GET, Harness.api("sobjects/Account/x"), headers: ["Authorization": "Bearer nope"])
            #expect(session.status == 401)
            #expect(session.body.contains("INVALID_SESSION_ID"))
            let version = try await harness.request(.GET, "/salesforce/services/data/v99.0/query?q=SELECT+Id+FROM+Account")
            #expect(version.status == 404)
        }
    }

    @Test func updatedAndDeletedReportTheirWindows() async throws {
        try await Harness.run(volume: 5) { harness in
            let start = Date().addingTimeInterval(-60).formatted(.iso8601)
            let id = SalesforceProvider.seededID("Product2", 2)
            #expect(try await harness.request(.PATCH, Harness.api("sobjects/Product2/\(id)"), json: #"{"IsActive":false}"#).status == 204)
            let gone = SalesforceProvider.seededID("Product2", 3)
            #expect(try await harness.request(.DELETE, Harness.api("sobjects/Product2/\(gone)")).status == 204)
            let end = Date().addingTimeInterval(60).formatted(.iso8601)
            let window = "start=\(start.replacingOccurrences(of: ":", with: "%3A"))&end=\(end.replacingOccurrences(of: ":", with: "%3A"))"
            let updated = try await harness.request(.GET, Harness.api("sobjects/Product2/updated/?\(window)"))
            #expect(JSONReader.parse(Array(updated.body.utf8))?["ids"]?.arrayValue?.compactMap(\.stringValue) == [id], "\(updated.body)")
            let deleted = try await harness.request(.GET, Harness.api("sobjects/Product2/deleted/?\(window)"))
            let rows = JSONReader.parse(Array(deleted.body.utf8))?["deletedRecords"]?.arrayValue ?? []
            #expect(rows.compactMap { $0["id"]?.stringValue } == [gone], "\(deleted.body)")
            let tooOld = Date().addingTimeInterval(-16 * 86_400).formatted(.iso8601).replacingOccurrences(of: ":", with: "%3A")
            let refused = try await harness.request(.GET, Harness.api("sobjects/Product2/deleted/?start=\(tooOld)&end=\(tooOld)"))
            #expect(refused.status == 400)
            #expect(refused.body.contains("INVALID_REPLICATION_DATE"))
        }
    }

    @Test func collectionsCreateUpsertAndReportEachRecord() async throws {
        try await Harness.run(volume: 5) { harness in
            let created = try await harness.request(
                .POST,
                Harness.api("composite/sobjects"),
                json: #"{"allOrNone":false,"records":[{"attributes":{"type":"Account"},"Name":"A"},{"attributes":{"type":"Account"}}]}"#
            )
            #expect(created.status == 200)
            let results = JSONReader.parse(Array(created.body.utf8))?.arrayValue ?? []
            #expect(results.map { $0["success"]?.boolValue } == [true, false])
            #expect(results.last?["errors"]?.arrayValue?.first?["statusCode"]?.stringValue == "REQUIRED_FIELD_MISSING")
            let upsert = #"{"allOrNone":false,"records":[{"attributes":{"type":"Account"},"Ext__c":"E1","Name":"B"}]}"#
            let once = try await harness.request(.PATCH, Harness.api("composite/sobjects/Account/Ext__c"), json: upsert)
            let twice = try await harness.request(.PATCH, Harness.api("composite/sobjects/Account/Ext__c"), json: upsert)
            let a = JSONReader.parse(Array(once.body.utf8))?.arrayValue?.first
            let b = JSONReader.parse(Array(twice.body.utf8))?.arrayValue?.first
            #expect(a?["created"]?.boolValue == true)
            #expect(b?["created"]?.boolValue == false)
            #expect(a?["id"] == b?["id"])
            let rolledBack = try await harness.request(
                .POST,
                Harness.api("composite/sobjects"),
                json: #"{"allOrNone":true,"records":[{"attributes":{"type":"Account"},"Name":"C"},{"attributes":{"type":"Account"}}]}"#
            )
            #expect(rolledBack.body.contains("ALL_OR_NONE_OPERATION_ROLLED_BACK"))
            let count = try await harness.request(.GET, Self.query("SELECT COUNT() FROM Account"))
            #expect(JSONReader.parse(Array(count.body.utf8))?["totalSize"]?.intValue == 7, "5 seeded, A and B")
        }
    }
}
