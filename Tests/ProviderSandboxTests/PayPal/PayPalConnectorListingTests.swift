import Foundation
import HubConnectors
import HubCore
import ProviderSandbox
import Testing

/// The PayPal connector's listings against the sandbox: payments through Transaction Search in
/// windows of at most 31 days, each once; an incremental listing that finds a payment PayPal listed
/// late; invoices with totals and disputes by page.
struct PayPalConnectorListingTests {
    /// 1,200 payments over 60 days: two or three 31-day windows, pages of 500, every one once.
    @Test func aFullListingWalksThirtyOneDayWindowsAndReadsEveryPaymentOnce() async throws {
        try await PayPalSandboxHarness.run { harness in
            try await harness.seed(transactions: 1_200)
            let listing = try await harness.listAll(harness.connector(), "payments", pageSize: 500)
            #expect(listing.records.count == 1_200)
            #expect(Set(listing.records.map(\.externalID)).count == 1_200)
            #expect(listing.pages >= 3, "pages of at most 500")
            let checkpoint = try #require(listing.checkpoint)
            #expect(checkpoint.hasPrefix("pp1:"))
            let first = try #require(listing.records.first)
            #expect(first.payload["payer_info"]?["email_address"]?.stringValue == "buyer1@example.com", "fields=all")
            #expect(first.updatedAt != nil)
            // A range PayPal would refuse is never asked: the sandbox refuses it as PayPal does.
            let wide = try await harness.api(
                .GET,
                "/paypal/v1/reporting/transactions?start_date=2026-01-01T00:00:00Z&end_date=2026-02-02T00:00:01Z"
            )
            #expect(wide.status == 400)
            #expect(wide.body.contains("INVALID_DATE_RANGE"))
        }
    }

    /// After a full listing, a payment made two hours ago appears (PayPal lists them up to three
    /// hours late): the next incremental listing starts three hours before its checkpoint, so it
    /// finds it — and nothing older than the overlap.
    @Test func anIncrementalListingFindsAPaymentListedLateInsideTheLagWindow() async throws {
        try await PayPalSandboxHarness.run { harness in
            try await harness.seed(transactions: 40)
            let connector = harness.connector()
            let full = try await harness.listAll(connector, "payments", pageSize: 100)
            #expect(full.records.count == 40)
            let late = try await harness.latePayment(hoursAgo: 2)
            #expect(!late.isEmpty)
            let next = try await harness.listAll(connector, "payments", pageSize: 100, since: full.checkpoint)
            #expect(next.records.map(\.externalID) == [late])
            #expect(next.records.first?.payload["transaction_info"]?["transaction_amount"]?["value"]?.stringValue == "43.21")
            let after = try #require(next.checkpoint)
            #expect(try #require(Int(after.dropFirst(4))) >= (try #require(Int(full.checkpoint?.dropFirst(4) ?? ""))))
        }
    }

    @Test func invoicesAreListedByPageWithTotalsAndDisputesByNextLink() async throws {
        try await PayPalSandboxHarness.run { harness in
            try await harness.seed(transactions: 5, invoices: 250, disputes: 23)
            let connector = harness.connector()
            let invoices = try await harness.listAll(connector, "invoices", pageSize: 100)
            #expect(invoices.records.count == 250)
            #expect(Set(invoices.records.map(\.externalID)).count == 250)
            #expect(invoices.pages == 3)
            #expect(invoices.checkpoint == nil, "no incremental listing for invoices")
            #expect(invoices.records.allSatisfy { $0.externalID.hasPrefix("INV2-") })
            let disputes = try await harness.listAll(connector, "disputes", pageSize: 10)
            #expect(disputes.records.count == 23)
            #expect(disputes.pages == 3)
            let dispute = try await connector.get("disputes", id: "PP-D-10000")
            #expect(dispute.payload["disputed_transactions"]?.arrayValue?.count == 1)
            let mapped = try #require(PayPalConnector.defaultFieldMappings["disputes"]).map(dispute.payload)
            #expect(mapped.errors.isEmpty, "\(mapped.errors)")
            #expect(mapped.canonical["amount"]?.intValue == 500)
            #expect(mapped.canonical["status"]?.stringValue == "open")
        }
    }

    /// The default mappings read PayPal's decimal strings and `+0000` times into canonical ones.
    @Test func paymentsAndInvoicesMapToCanonicalShapes() async throws {
        try await PayPalSandboxHarness.run { harness in
            try await harness.seed(transactions: 3, invoices: 1)
            let connector = harness.connector()
            let payment = try #require(try await harness.listAll(connector, "payments", pageSize: 10).records.first)
            let result = try #require(PayPalConnector.defaultFieldMappings["payments"]).map(payment.payload)
            #expect(result.errors.isEmpty, "\(result.errors)")
            let mapped = result.canonical
            let value = try #require(payment.payload["transaction_info"]?["transaction_amount"]?["value"]?.stringValue)
            #expect(mapped["amount"]?.intValue == Int((Double(value)! * 100).rounded()))
            #expect(mapped["currency"]?.stringValue == "USD")
            #expect(mapped["status"]?.stringValue == "succeeded")
            #expect(mapped["created_at"]?.stringValue?.hasSuffix("Z") == true)
            let invoice = try #require(try await harness.listAll(connector, "invoices", pageSize: 10).records.first)
            let invoiceResult = try #require(PayPalConnector.defaultFieldMappings["invoices"]).map(invoice.payload)
            #expect(invoiceResult.errors.isEmpty, "\(invoiceResult.errors)")
            let canonical = invoiceResult.canonical
            #expect(canonical["number"]?.stringValue == "1001")
            #expect(canonical["total"]?.intValue == 2_000)
            #expect(canonical["lines"]?.arrayValue?.first?["quantity"]?.numberValue == 2)
            #expect(canonical["lines"]?.arrayValue?.first?["unit_amount"]?.intValue == 1_000)
        }
    }
}

extension PayPalSandboxHarness {
    func listAll(
        _ connector: PayPalConnector,
        _ entity: String,
        pageSize: Int,
        since: String? = nil
    ) async throws -> (records: [ProviderRecord], deleted: [String], pages: Int, checkpoint: String?) {
        try await connector.listAll(entity, pageSize: pageSize, since: since)
    }
}
