import Foundation
import HubConnectors
import HubCore
import ProviderSandbox
import Testing

/// Draft invoices pushed safely (a create retried with its key makes one invoice), updated over
/// the current invoice, deleted while drafts; the client-credentials token; PayPal's errors read
/// into clear `ConnectorError`s.
struct PayPalConnectorWriteTests {
    static let draft: JSONValue = [
        "detail": ["invoice_number": "HUB-1", "currency_code": "USD", "note": "First"],
        "primary_recipients": [["billing_info": ["email_address": "payer@example.com"]]],
        "items": [["name": "Audit", "quantity": "3", "unit_amount": ["currency_code": "USD", "value": "12.50"]]],
    ]

    @Test func aDraftCreateRetriedWithItsKeyMakesOneInvoice() async throws {
        try await PayPalSandboxHarness.run(volume: 2) { harness in
            let connector = harness.connector()
            let before = try await harness.invoiceCount()
            let first = try await connector.create("invoices", fields: Self.draft, idempotencyKey: "push-42")
            let again = try await connector.create("invoices", fields: Self.draft, idempotencyKey: "push-42")
            #expect(first.externalID == again.externalID)
            #expect(first.payload["status"]?.stringValue == "DRAFT")
            #expect(first.payload["amount"]?["value"]?.stringValue == "37.50")
            #expect(try await harness.invoiceCount() == before + 1)
            // Without the key, PayPal would make a second one; its invoice number refuses it.
            await #expect(throws: ConnectorError.self) {
                _ = try await connector.create("invoices", fields: Self.draft, idempotencyKey: nil)
            }
            #expect(try await harness.invoiceCount() == before + 1)
        }
    }

    @Test func anUpdateKeepsWhatItDoesNotNameAndADraftCanBeDeleted() async throws {
        try await PayPalSandboxHarness.run(volume: 2) { harness in
            let connector = harness.connector()
            let created = try await connector.create("invoices", fields: Self.draft, idempotencyKey: "k1")
            let updated = try await connector.update(
                "invoices",
                id: created.externalID,
                fields: ["detail": ["note": "Second"]],
                idempotencyKey: nil
            )
            #expect(updated.payload["detail"]?["note"]?.stringValue == "Second")
            #expect(updated.payload["detail"]?["invoice_number"]?.stringValue == "HUB-1", "a full PUT over the current invoice")
            #expect(updated.payload["items"]?.arrayValue?.count == 1)
            try await connector.delete("invoices", id: created.externalID)
            await #expect(throws: ConnectorError.notFound(entity: "invoices", id: created.externalID)) {
                _ = try await connector.get("invoices", id: created.externalID)
            }
        }
    }

    @Test func theRESTAppsCredentialsBuyATokenThatReadsTheAPI() async throws {
        try await PayPalSandboxHarness.run(volume: 3) { harness in
            let app = harness.connector(credentials: ["client_id": PayPalSandboxHarness.clientID, "client_secret": PayPalSandboxHarness.clientSecret])
            let tokens = try await app.obtainToken()
            #expect(tokens.accountID?.isEmpty == false)
            let connector = harness.connector(token: tokens.accessToken)
            let invoices = try await harness.listAll(connector, "invoices", pageSize: 10)
            #expect(invoices.records.count == 3)
        }
    }

    @Test func payPalsErrorsBecomeClearConnectorErrors() async throws {
        try await PayPalSandboxHarness.run(volume: 2) { harness in
            let connector = harness.connector()
            var missing = Self.draft
            if case .object(var root) = missing, case .object(var detail)? = root["detail"] {
                detail["currency_code"] = nil
                root["detail"] = .object(detail)
                missing = .object(root)
            }
            do {
                _ = try await connector.create("invoices", fields: missing, idempotencyKey: "k2")
                Issue.record("a draft without a currency was accepted")
            } catch let ConnectorError.validation(message, field) {
                #expect(field == "/detail/currency_code")
                #expect(message.contains("INVALID_REQUEST"), "\(message)")
                #expect(message.contains("MISSING_REQUIRED_PARAMETER"), "\(message)")
                #expect(message.contains("debug_id"), "\(message)")
            }
            // A token PayPal does not know: authentication failed (the hub renews it and retries).
            do {
                _ = try await harness.connector(token: "A21AA-unknown").list(ListRequest(entity: "invoices"))
                Issue.record("an unknown token was accepted")
            } catch let ConnectorError.authenticationFailed(message) {
                #expect(message.contains("AUTHENTICATION_FAILURE"), "\(message)")
            }
            // PayPal's 429 RATE_LIMIT_REACHED: rate limited, with its Retry-After.
            let fault = try await harness.request(.PUT, "/_admin/faults/paypal", json: #"{"rate_limit_share":1,"retry_after_seconds":7}"#)
            #expect(fault.status == 200, "\(fault.body)")
            let once = harness.connector(retry: RetryPolicy(maxAttempts: 1, baseDelay: .milliseconds(1), maxDelay: .milliseconds(1)))
            await #expect(throws: ConnectorError.rateLimited(retryAfter: .seconds(7))) {
                _ = try await once.list(ListRequest(entity: "disputes"))
            }
            try await harness.request(.DELETE, "/_admin/faults/paypal")
            // Ids that could change the path cannot exist; read-only entities refuse writes.
            await #expect(throws: ConnectorError.notFound(entity: "invoices", id: "../x")) { _ = try await connector.get("invoices", id: "../x") }
            await #expect(throws: ConnectorError.self) { _ = try await connector.create("payments", fields: [:], idempotencyKey: nil) }
        }
    }
}
