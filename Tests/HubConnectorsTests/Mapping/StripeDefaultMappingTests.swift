import HubConnectors
import HubCore
import XCTest

/// Stripe's defaults turn sandbox-shaped objects into canonical records: amounts stay in minor
/// units beside an upper-case currency, unix times become UTC instants or dates.
final class StripeDefaultMappingTests: XCTestCase {
    func testCustomer() throws {
        XCTAssertEqual(
            try mappedByDefault(StripeConnector.self, "customers", StripeFixtures.customer),
            [
                "id": "cus_NffrFeUfNV2Hib", "name": "Ann Lee", "email": "ann@example.com", "phone": .null, "description": .null,
                "address": ["line1": "1 Elm St", "line2": .null, "city": "Ottawa", "region": "ON", "postal_code": "K1A 0B1", "country": "CA"],
                "currency": "USD", "balance": -500, "tax_exempt": true, "metadata": ["crm_id": "42"], "created_at": "2024-01-15T15:20:30Z",
            ]
        )
    }

    func testInvoiceInAZeroDecimalCurrency() throws {
        XCTAssertEqual(
            try mappedByDefault(StripeConnector.self, "invoices", StripeFixtures.invoice),
            [
                "id": "in_1OZ2", "number": "NFFRFEUF-0001", "customer_id": "cus_NffrFeUfNV2Hib", "status": "open", "currency": "JPY",
                "collection_method": "send_invoice", "issue_date": "2024-01-15", "due_date": "2024-02-15", "description": .null,
                "subtotal": 5000, "total": 5000, "amount_due": 5000, "amount_paid": 0, "amount_remaining": 5000,
                "lines": [["id": "il_1", "object": "line_item", "amount": 5000, "currency": "jpy", "quantity": 1]],
                "hosted_url": "https://invoice.stripe.com/i/acct_1/test_1", "pdf_url": .null, "metadata": [:],
                "created_at": "2024-01-15T15:20:30Z",
            ]
        )
    }

    func testPaymentIntent() throws {
        let payment = try mappedByDefault(StripeConnector.self, "payments", StripeFixtures.paymentIntent)
        XCTAssertEqual(payment["amount"], 2000)
        XCTAssertEqual(payment["currency"], "USD")
        XCTAssertEqual(payment["amount_received"], 2000)
        XCTAssertEqual(payment["charge_id"], "ch_3MtwBw")
        XCTAssertEqual(payment["invoice_id"], .null)
        XCTAssertEqual(payment["created_at"], "2023-04-06T17:01:44Z")
    }

    func testPriceAndSubscription() throws {
        let price = try mappedByDefault(StripeConnector.self, "prices", StripeFixtures.price)
        XCTAssertEqual(price["unit_amount"], 12500, "KWD minor units (fils) stay as Stripe sends them")
        XCTAssertEqual(price["currency"], "KWD")
        XCTAssertEqual(price["recurring_interval"], "month")
        XCTAssertEqual(price["recurring_interval_count"], 1)
        let subscription = try mappedByDefault(StripeConnector.self, "subscriptions", StripeFixtures.subscription)
        XCTAssertEqual(subscription["price_ids"], ["price_1", "price_2"])
        XCTAssertEqual(subscription["current_period_end"], "2023-04-23T22:16:07Z")
        XCTAssertEqual(subscription["canceled_at"], .null)
    }

    func testMoneyMovements() throws {
        let charge = try mappedByDefault(StripeConnector.self, "charges", StripeFixtures.charge)
        XCTAssertEqual(charge["payment_id"], "pi_3MtwBw")
        XCTAssertEqual(charge["amount_captured"], 2000)
        let payout = try mappedByDefault(StripeConnector.self, "payouts", StripeFixtures.payout)
        XCTAssertEqual(payout["arrival_date"], "2023-04-08")
        XCTAssertEqual(payout["destination_id"], "ba_sandbox")
        let transaction = try mappedByDefault(StripeConnector.self, "balance_transactions", StripeFixtures.balanceTransaction)
        XCTAssertEqual(transaction["fee"], 88)
        XCTAssertEqual(transaction["net"], 1912)
        XCTAssertEqual(transaction["available_at"], "2023-04-08T17:01:45Z")
        XCTAssertEqual(transaction["source_id"], "ch_3MtwBw")
    }

    func testCustomerPushSendsOnlyWritableStripeFields() throws {
        let mapping = try XCTUnwrap(StripeConnector.defaultFieldMappings["customers"])
        let canonical = mapping.map(StripeFixtures.customer).canonical
        let fields = mapping.unmap(canonical)
        XCTAssertEqual(fields["address"]?["state"], "ON")
        XCTAssertEqual(fields["balance"], -500)
        XCTAssertNil(fields["id"])
        XCTAssertNil(fields["created"])
        XCTAssertNil(fields["currency"], "Stripe sets a customer's currency itself")
        XCTAssertNil(fields["tax_exempt"], "reverse and exempt both map to true; the push cannot tell which")
    }
}
