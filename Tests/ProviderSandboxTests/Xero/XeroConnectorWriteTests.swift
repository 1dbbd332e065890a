import Foundation
import HubConnectors
import HubCore
import NIOHTTP1
import ProviderSandbox
import Testing

/// Writing through the connector: idempotent creates and updates, Xero's validation messages,
/// the tenant header, and rate limits.
@Suite struct XeroConnectorWriteTests {
    static let line: JSONValue = ["Description": "Consulting", "Quantity": 2, "UnitAmount": 50, "AccountCode": "200", "TaxType": "OUTPUT2"]

    @Test func aRetriedCreateWithTheSameKeyAnswersTheSameInvoice() async throws {
        try await XeroSandboxHarness.run(volume: 20) { harness in
            let connector = harness.connector()
            let fields: JSONValue = ["Contact": ["ContactID": .string(XeroSeedIDs.contact(0))], "LineItems": [Self.line], "Status": "AUTHORISED"]
            let first = try await connector.create("invoices", fields: fields, idempotencyKey: "push-job-1/record-7")
            let retried = try await connector.create("invoices", fields: fields, idempotencyKey: "push-job-1/record-7")
            #expect(retried.externalID == first.externalID)
            #expect(first.payload["Type"]?.stringValue == "ACCREC")
            #expect(first.payload["Total"]?.numberValue == 115)
            let listed = try await harness.listAll(connector, "invoices")
            #expect(listed.records.count == 16)

            let updated = try await connector.update(
                "invoices",
                id: first.externalID,
                fields: ["Reference": "PO-9"],
                idempotencyKey: "push-job-2/record-7"
            )
            #expect(updated.externalID == first.externalID)
            #expect(updated.payload["Reference"]?.stringValue == "PO-9")
            #expect(updated.payload["Total"]?.numberValue == 115)

            // The same key for another request is refused, never applied.
            do throws(ConnectorError) {
                _ = try await connector.create(
                    "invoices",
                    fields: ["Contact": ["ContactID": .string(XeroSeedIDs.contact(1))]],
                    idempotencyKey: "push-job-1/record-7"
                )
                Issue.record("a reused key with another body was accepted")
            } catch {
                guard case .conflict = error else {
                    Issue.record("expected a conflict, got \(error)")
                    return
                }
            }
            #expect(try await harness.listAll(connector, "invoices").records.count == 16)
        }
    }

    @Test func validationErrorsCarryXerosMessage() async throws {
        try await XeroSandboxHarness.run(volume: 5) { harness in
            let connector = harness.connector()
            do throws(ConnectorError) {
                _ = try await connector.create("invoices", fields: ["LineItems": [Self.line]], idempotencyKey: "no-contact")
                Issue.record("the invoice without a contact was accepted")
            } catch {
                #expect(error == .validation(message: "A Contact must be specified for this type of transaction", field: nil))
            }
            do throws(ConnectorError) {
                _ = try await connector.create("customers", fields: ["Name": "Contact 1"], idempotencyKey: nil)
                Issue.record("a second contact named Contact 1 was accepted")
            } catch {
                guard case .validation(let message, _) = error else {
                    Issue.record("expected validation, got \(error)")
                    return
                }
                #expect(message.hasPrefix("The contact name Contact 1 is already assigned to another contact."))
            }
            // The raw answer is Xero's ValidationException shape.
            let raw = try await harness.request(
                .PUT,
                "/xero/api.xro/2.0/Invoices",
                json: #"{"Invoices":[{"Type":"ACCREC"}]}"#,
                headers: XeroSandboxHarness.apiHeaders
            )
            #expect(raw.status == 400)
            let body = try #require(JSONReader.parse(Array(raw.body.utf8)))
            #expect(body["Type"]?.stringValue == "ValidationException")
            let element = body["Elements"]?.arrayValue?.first
            #expect(
                element?["ValidationErrors"]?.arrayValue?.first?["Message"]?.stringValue == "A Contact must be specified for this type of transaction"
            )
        }
    }

    @Test func everyCallNeedsTheTenantTheTokenReaches() async throws {
        try await XeroSandboxHarness.run(volume: 5) { harness in
            let withoutTenant = try await harness.request(
                .GET,
                "/xero/api.xro/2.0/Invoices",
                headers: ["Authorization": "Bearer \(XeroProvider.seededToken)"]
            )
            #expect(withoutTenant.status == 403)
            #expect(JSONReader.parse(Array(withoutTenant.body.utf8))?["Title"]?.stringValue == "Forbidden")
            let withoutToken = try await harness.request(.GET, "/xero/api.xro/2.0/Invoices", headers: ["xero-tenant-id": XeroProvider.seededTenantID])
            #expect(withoutToken.status == 401)

            await #expect(throws: ConnectorError.permissionDenied("Xero refused access to the organisation (AuthenticationUnsuccessful)")) {
                _ = try await harness.connector(tenant: "00000000-0000-4000-8000-000000000000").list(ListRequest(entity: "invoices"))
            }
            await #expect(throws: ConnectorError.authenticationFailed("AuthenticationUnsuccessful")) {
                _ = try await harness.connector(token: "expired").list(ListRequest(entity: "invoices"))
            }
        }
    }

    @Test func limitsAnswer429WithRetryAfterAndTheLimitHit() async throws {
        try await XeroSandboxHarness.run(volume: 5) { harness in
            try await harness.request(.PUT, "/_admin/xero/limits", json: #"{"minute":2,"day":5000,"app_minute":10000}"#)
            let first = try await harness.request(.GET, "/xero/api.xro/2.0/Items", headers: XeroSandboxHarness.apiHeaders)
            #expect(first.headers.first(name: "X-MinLimit-Remaining") == "1")
            #expect(first.headers.first(name: "X-DayLimit-Remaining") == "4999")
            #expect(first.headers.first(name: "X-AppMinLimit-Remaining") == "9999")
            _ = try await harness.request(.GET, "/xero/api.xro/2.0/Items", headers: XeroSandboxHarness.apiHeaders)
            let limited = try await harness.request(.GET, "/xero/api.xro/2.0/Items", headers: XeroSandboxHarness.apiHeaders)
            #expect(limited.status == 429)
            #expect(limited.headers.first(name: "X-Rate-Limit-Problem") == "minute")
            let retryAfter = try #require(limited.headers.first(name: "Retry-After").flatMap(Int.init))
            #expect((1...60).contains(retryAfter))

            // The connector reports the wait Xero asked for (no retries here).
            let once = harness.connector(retry: RetryPolicy(maxAttempts: 1, baseDelay: .milliseconds(1), maxDelay: .milliseconds(1)))
            do throws(ConnectorError) {
                _ = try await once.list(ListRequest(entity: "products"))
                Issue.record("the call over the limit succeeded")
            } catch {
                guard case .rateLimited(let wait) = error else {
                    Issue.record("expected rateLimited, got \(error)")
                    return
                }
                #expect(wait.map { $0 > .zero && $0 <= .seconds(60) } == true)
            }

            try await harness.request(.PUT, "/_admin/xero/limits", json: #"{"minute":60,"day":1,"app_minute":10000}"#)
            _ = try await harness.request(.GET, "/xero/api.xro/2.0/Items", headers: XeroSandboxHarness.apiHeaders)
            let daily = try await harness.request(.GET, "/xero/api.xro/2.0/Items", headers: XeroSandboxHarness.apiHeaders)
            #expect(daily.status == 429)
            #expect(daily.headers.first(name: "X-Rate-Limit-Problem") == "day")
        }
    }
}
