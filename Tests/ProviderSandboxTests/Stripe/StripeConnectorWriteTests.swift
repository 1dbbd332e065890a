import HubCore
import XCTest

@testable import HubConnectors

/// The Stripe connector's single-object calls, payment intents and invoices against the sandbox.
final class StripeConnectorWriteTests: XCTestCase {
    func testConnectionNamesTheAccount() async throws {
        try await StripeSandboxHarness.run(volume: 2) { sandbox in
            let check = try await sandbox.connector().testConnection()
            let account = try await sandbox.admin(.GET, "stripe/account").json
            XCTAssertEqual(check.accountID, account[stripe: "id"]?.stripeString)
            XCTAssertEqual(check.accountName, "Hub Sandbox")
        }
    }

    func testCustomerWritesRoundTrip() async throws {
        try await StripeSandboxHarness.run(volume: 2) { sandbox in
            let connector = sandbox.connector()
            let created = try await connector.create(
                "customers",
                fields: ["name": "Ada Lovelace", "email": "ada@example.com", "metadata": ["crm_id": "42"]],
                idempotencyKey: nil
            )
            let id = created.externalID
            XCTAssertTrue(id.hasPrefix("cus_"))
            let fetched = try await connector.get("customers", id: id)
            XCTAssertEqual(fetched.payload[stripe: "email"]?.stripeString, "ada@example.com")
            XCTAssertEqual(fetched.payload[stripe: "metadata"]?[stripe: "crm_id"]?.stripeString, "42")

            let updated = try await connector.update(
                "customers",
                id: id,
                fields: ["phone": "+15551234567", "metadata": ["tier": "gold"]],
                idempotencyKey: nil
            )
            XCTAssertEqual(updated.payload[stripe: "phone"]?.stripeString, "+15551234567")
            XCTAssertEqual(updated.payload[stripe: "metadata"], .object(["crm_id": "42", "tier": "gold"]))
            let refetched = try await connector.get("customers", id: id)
            XCTAssertEqual(refetched.payload, updated.payload)

            try await connector.delete("customers", id: id)
            await assertThrowsStripeConnectorError(try await connector.get("customers", id: id), .notFound(entity: "customers", id: id))
            let remaining = try await sandbox.ids("customers")
            XCTAssertFalse(remaining.contains(id))
        }
    }

    func testMissingObjectIsNotFoundAndBadDataIsValidationWithStripesWords() async throws {
        try await StripeSandboxHarness.run(volume: 2) { sandbox in
            let connector = sandbox.connector()
            await assertThrowsStripeConnectorError(
                try await connector.get("customers", id: "cus_missing"),
                .notFound(entity: "customers", id: "cus_missing")
            )
            await assertThrowsStripeConnectorError(
                try await connector.create("payments", fields: ["amount": 500], idempotencyKey: nil),
                .validation(message: "Missing required param: currency.", field: "currency")
            )
            await assertThrowsStripeConnectorError(
                try await connector.update("customers", id: "cus_missing", fields: ["name": "x"], idempotencyKey: nil),
                .notFound(entity: "customers", id: "cus_missing")
            )
            await assertThrowsStripeConnectorError(
                try await connector.delete("charges", id: "ch_x"),
                .unsupported("Stripe does not allow delete on charges")
            )
        }
    }

    func testPaymentIntentIsCreatedThenConfirmedIntoACharge() async throws {
        try await StripeSandboxHarness.run(volume: 2) { sandbox in
            let connector = sandbox.connector()
            let customer = try await sandbox.ids("customers")[0]
            let intent = try await connector.createPaymentIntent(
                amount: 2_500,
                currency: "usd",
                customer: customer,
                metadata: ["order": "A-1"],
                idempotencyKey: "order-A-1"
            )
            XCTAssertEqual(intent.payload[stripe: "status"]?.stripeString, "requires_payment_method")
            let confirmed = try await connector.confirmPaymentIntent(intent.externalID, paymentMethod: "pm_card_visa")
            XCTAssertEqual(confirmed.payload[stripe: "status"]?.stripeString, "succeeded")
            XCTAssertEqual(confirmed.payload[stripe: "amount_received"]?.stripeInt, 2_500)
            let chargeID = try XCTUnwrap(confirmed.payload[stripe: "latest_charge"]?.stripeString)
            let charge = try await connector.get("charges", id: chargeID)
            XCTAssertEqual(charge.payload[stripe: "payment_intent"]?.stripeString, intent.externalID)
            XCTAssertEqual(charge.payload[stripe: "customer"]?.stripeString, customer)
            let payment = try await connector.get("payments", id: intent.externalID)
            XCTAssertEqual(payment.payload[stripe: "status"]?.stripeString, "succeeded")

            let declined = try await connector.createPaymentIntent(amount: 900, currency: "usd")
            await assertThrowsStripeConnectorError(
                try await connector.confirmPaymentIntent(declined.externalID, paymentMethod: "pm_card_chargeDeclined"),
                .validation(message: "Your card was declined. (generic_decline)", field: nil)
            )
            let cancelled = try await connector.cancelPaymentIntent(declined.externalID, reason: "abandoned")
            XCTAssertEqual(cancelled.payload[stripe: "status"]?.stripeString, "canceled")
        }
    }

    func testInvoiceWithLinesIsCreatedFinalizedAndPaid() async throws {
        try await StripeSandboxHarness.run(volume: 4) { sandbox in
            let connector = sandbox.connector()
            let customer = try await sandbox.ids("customers")[0]
            let price = try await sandbox.stripe(.GET, "/v1/prices?limit=1").json[stripe: "data"]?.stripeArray?.first
            let priceID = try XCTUnwrap(price?[stripe: "id"]?.stripeString)
            let unitAmount = try XCTUnwrap(price?[stripe: "unit_amount"]?.stripeInt)
            let invoice = try await connector.create(
                "invoices",
                fields: [
                    "customer": .string(customer), "description": "Consulting",
                    "lines": [["amount": 12_000, "currency": "usd", "description": "Two days"], ["price": .string(priceID), "quantity": 2]],
                ],
                idempotencyKey: "invoice-7"
            )
            XCTAssertEqual(invoice.payload[stripe: "status"]?.stripeString, "draft")
            XCTAssertEqual(invoice.payload[stripe: "description"]?.stripeString, "Consulting")
            let lines = invoice.payload[stripe: "lines"]?[stripe: "data"]?.stripeArray ?? []
            XCTAssertEqual(lines.compactMap { $0[stripe: "amount"]?.stripeInt }, [12_000, 2 * unitAmount])
            XCTAssertEqual(invoice.payload[stripe: "total"]?.stripeInt, 12_000 + 2 * unitAmount)

            // The same call again (a retry after a lost answer) replays every step: no new lines.
            let replayed = try await connector.create(
                "invoices",
                fields: [
                    "customer": .string(customer), "description": "Consulting",
                    "lines": [["amount": 12_000, "currency": "usd", "description": "Two days"], ["price": .string(priceID), "quantity": 2]],
                ],
                idempotencyKey: "invoice-7"
            )
            XCTAssertEqual(replayed.externalID, invoice.externalID)
            XCTAssertEqual(replayed.payload[stripe: "lines"]?[stripe: "data"]?.stripeArray?.count, 2)

            let open = try await connector.finalizeInvoice(invoice.externalID)
            XCTAssertEqual(open.payload[stripe: "status"]?.stripeString, "open")
            XCTAssertNotNil(open.payload[stripe: "number"]?.stripeString)
            let paid = try await connector.payInvoice(invoice.externalID)
            XCTAssertEqual(paid.payload[stripe: "status"]?.stripeString, "paid")
            XCTAssertEqual(paid.payload[stripe: "amount_paid"]?.stripeInt, 12_000 + 2 * unitAmount)
        }
    }
}

/// Asserts that `expression` throws exactly `expected`.
func assertThrowsStripeConnectorError<T>(
    _ expression: @autoclosure () async throws -> T,
    _ expected: ConnectorError,
    file: StaticString = #filePath,
    line: UInt = #line
) async {
    do {
        _ = try await expression()
        XCTFail("expected \(expected), got a result", file: file, line: line)
    } catch let error as ConnectorError {
        XCTAssertEqual(error, expected, file: file, line: line)
    } catch {
        XCTFail("expected \(expected), got \(error)", file: file, line: line)
    }
}
