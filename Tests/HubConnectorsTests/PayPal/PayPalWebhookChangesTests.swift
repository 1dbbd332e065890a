import Foundation
import HubCore
import Testing

@testable import HubConnectors

/// What PayPal's events mean to the hub: payments and paid invoices carry their new state and are
/// announced (by the record write where the entity is synced), disputes are announced and pulled.
@Suite struct PayPalWebhookChangesTests {
    static func webhook(_ type: String, _ resource: JSONValue) -> VerifiedWebhook {
        VerifiedWebhook(
            eventID: "WH-1",
            accountID: nil,
            eventType: type,
            payload: ["id": "WH-1", "event_type": .string(type), "summary": "news", "resource": resource]
        )
    }

    @Test func aCompletedCaptureIsAPaymentReceivedWrittenAsItsTransactionSearchRow() throws {
        let changes = PayPalConnector.changes(
            for: Self.webhook(
                "PAYMENT.CAPTURE.COMPLETED",
                [
                    "id": "2GG279541U471931P", "status": "COMPLETED", "amount": ["currency_code": "USD", "value": "42.00"],
                    "invoice_id": "INV-7", "create_time": "2026-12-01T10:00:00Z", "update_time": "2026-12-01T10:00:05Z",
                ]
            )
        )
        guard case .upsert(let entity, let record) = try #require(changes.first), case .announce(let type, let data, let unless)? = changes.last
        else {
            Issue.record("\(changes)")
            return
        }
        #expect(entity == "payments")
        #expect(record.externalID == "2GG279541U471931P")
        #expect(record.updatedAt == Date(timeIntervalSince1970: 1_796_119_205))
        #expect(record.payload["transaction_info"]?["transaction_amount"] == ["currency_code": "USD", "value": "42.00"])
        #expect(record.payload["transaction_info"]?["invoice_id"] == "INV-7")
        #expect(type == "payment.received" && unless == "payments")
        #expect(data["external_id"] == "2GG279541U471931P" && data["provider_event_id"] == "WH-1")
        #expect(data["amount"] == ["currency_code": "USD", "value": "42.00"])
    }

    @Test func aV1SaleKeepsItsAmountInV2sShape() throws {
        let changes = PayPalConnector.changes(
            for: Self.webhook("PAYMENT.SALE.COMPLETED", ["id": "4EU7004268015634R", "amount": ["total": "20.00", "currency": "USD"]])
        )
        guard case .upsert(_, let record)? = changes.first else {
            Issue.record("\(changes)")
            return
        }
        #expect(record.payload["transaction_info"]?["transaction_amount"] == ["currency_code": "USD", "value": "20.00"])
    }

    @Test func aPaidInvoiceCarriesItsStateAndIsAnnouncedWhetherSyncedOrNot() {
        let invoice: JSONValue = [
            "id": "INV2-Z56S-5LLA-Q52L-CPZ5", "status": "PAID", "detail": ["invoice_number": "0042", "currency_code": "USD"],
            "amount": ["currency_code": "USD", "value": "100.00"],
        ]
        let changes = PayPalConnector.changes(for: Self.webhook("INVOICING.INVOICE.PAID", invoice))
        #expect(changes.count == 2)
        guard case .upsert("invoices", let record)? = changes.first, case .announce("invoice.paid", let data, nil)? = changes.last else {
            Issue.record("\(changes)")
            return
        }
        #expect(record.externalID == "INV2-Z56S-5LLA-Q52L-CPZ5" && record.payload == invoice)
        #expect(data["invoice_number"] == "0042")
        // Older event versions wrap it: `resource.invoice`.
        let wrapped = PayPalConnector.changes(for: Self.webhook("INVOICING.INVOICE.PAID", ["invoice": invoice]))
        #expect(wrapped == changes)
    }

    @Test func aDisputeIsAnnouncedAndPulledWhereDisputesAreSynced() {
        let changes = PayPalConnector.changes(
            for: Self.webhook(
                "CUSTOMER.DISPUTE.CREATED",
                [
                    "dispute_id": "PP-D-27803", "reason": "MERCHANDISE_OR_SERVICE_NOT_RECEIVED",
                    "dispute_amount": ["currency_code": "USD", "value": "3.00"],
                    "disputed_transactions": [["seller_transaction_id": "2GG279541U471931P"]],
                ]
            )
        )
        guard case .announce("dispute.created", let data, "disputes")? = changes.first else {
            Issue.record("\(changes)")
            return
        }
        #expect(changes.last == .resync(entity: "disputes"))
        #expect(data["external_id"] == "PP-D-27803" && data["transaction_ids"] == ["2GG279541U471931P"])
    }

    @Test func eventsTheHubDoesNotActOnOrCannotReadMeanNothing() {
        #expect(PayPalConnector.changes(for: Self.webhook("BILLING.PLAN.CREATED", ["id": "P-1"])).isEmpty)
        #expect(PayPalConnector.changes(for: Self.webhook("PAYMENT.CAPTURE.COMPLETED", ["status": "COMPLETED"])).isEmpty)
        #expect(PayPalConnector.changes(for: Self.webhook("INVOICING.INVOICE.PAID", "not an object")).isEmpty)
    }

    @Test func theCatalogAdvertisesTheWebhooksTheConnectorVerifiesAndReads() throws {
        let registry = ConnectorRegistry.standard
        let paypal = try #require(registry.definition(id: "paypal"))
        #expect(paypal.capabilities.contains(.webhooks))
        #expect(registry.connector(id: "paypal") is any ConnectionWebhookVerifying.Type)
        for type in ["PAYMENT.CAPTURE.COMPLETED", "PAYMENT.SALE.COMPLETED", "INVOICING.INVOICE.PAID", "CUSTOMER.DISPUTE.CREATED"] {
            #expect(paypal.webhookEvents.contains(type), "\(type)")
        }
        let field = try #require(paypal.auth.credentialFields.first { $0.name == "webhook_id" })
        #expect(!field.secret && !field.required)
    }
}
