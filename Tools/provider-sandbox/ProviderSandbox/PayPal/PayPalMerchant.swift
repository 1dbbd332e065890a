import HubCore

/// One merchant's PayPal account: its transactions (oldest first, as Transaction Search orders
/// them), its invoices (in creation order) with the `PayPal-Request-Id`s of the creates that made
/// them, and its disputes. Seeded deterministically at `volumes`, the transactions spread over the
/// 60 days before the seeding, ending three hours before it (PayPal's reporting lag).
struct PayPalMerchant: Sendable {
    struct Volumes: Codable, Sendable, Equatable {
        var transactions: Int
        var invoices: Int
        var disputes: Int
    }

    let id: String
    var transactions: [PayPalTransaction] = []
    var invoiceOrder: [String] = []
    var invoices: [String: JSONValue] = [:]
    /// `PayPal-Request-Id` → the invoice its create made: a repeated create answers that invoice.
    var requestIDs: [String: String] = [:]
    var disputes: [JSONValue] = []
    /// Draws the ids of what the API creates after seeding.
    var generator = SeededGenerator(seed: 0)

    init(id: String, volumes: Volumes, seed: UInt64, anchor: Int) {
        self.id = id
        var generator = SeededGenerator(seed: seed)
        let end = anchor - 3 * 3600
        let spacing = max(1, 60 * 86_400 / max(1, volumes.transactions))
        for index in 0..<volumes.transactions {
            let initiated = end - (volumes.transactions - index) * spacing
            transactions.append(
                PayPalTransaction(
                    id: Self.transactionID(&generator),
                    initiated: initiated,
                    updated: initiated + 60,
                    amount: 500 + Int(generator.next() % 50_000),
                    currency: "USD",
                    eventCode: "T0006",
                    status: "S",
                    invoiceID: nil,
                    payerID: generator.token(13).uppercased(),
                    payerEmail: "buyer\(index + 1)@example.com"
                )
            )
        }
        for index in 0..<volumes.invoices {
            let created = end - (volumes.invoices - index) * 3600
            let body: JSONValue = [
                "detail": [
                    "invoice_number": .string(String(1001 + index)), "currency_code": "USD", "invoice_date": .string(PayPalTime.date(created)),
                    "payment_term": ["term_type": "NET_30", "due_date": .string(PayPalTime.date(created + 30 * 86_400))],
                    "note": .string("Seeded invoice \(index + 1)"),
                ],
                "primary_recipients": [
                    [
                        "billing_info": [
                            "email_address": .string("customer\(index + 1)@example.com"),
                            "name": ["given_name": "Customer", "surname": .string(String(index + 1))],
                        ]
                    ]
                ],
                "items": [["name": "Consulting", "quantity": "2", "unit_amount": PayPalTransaction.money(1_000 + index % 90 * 100, "USD")]],
            ]
            let id = Self.invoiceID(&generator)
            invoices[id] = Self.invoice(id: id, status: index % 3 == 0 ? "PAID" : "SENT", body: body, created: created, updated: created)
            invoiceOrder.append(id)
        }
        for index in 0..<volumes.disputes {
            let created = end - (volumes.disputes - index) * 7200
            disputes.append([
                "dispute_id": .string("PP-D-\(10_000 + index)"), "create_time": .string(PayPalTime.zulu(created)),
                "update_time": .string(PayPalTime.zulu(created + 600)), "reason": "MERCHANDISE_OR_SERVICE_NOT_RECEIVED",
                "status": index % 2 == 0 ? "OPEN" : "RESOLVED", "dispute_state": "OPEN_INQUIRIES",
                "dispute_amount": PayPalTransaction.money(500 + index * 10, "USD"), "dispute_life_cycle_stage": "INQUIRY",
                "dispute_channel": "INTERNAL",
                "disputed_transactions": [
                    ["seller_transaction_id": .string(transactions.isEmpty ? "" : transactions[index % transactions.count].id)]
                ],
            ])
        }
        self.generator = generator
    }

    /// 17 upper-case characters, as PayPal's transaction ids are.
    static func transactionID(_ generator: inout SeededGenerator) -> String {
        String(generator.token(17).uppercased())
    }

    /// `INV2-XXXX-XXXX-XXXX-XXXX`.
    static func invoiceID(_ generator: inout SeededGenerator) -> String {
        let text = generator.token(16).uppercased()
        let groups = stride(from: 0, to: 16, by: 4).map { offset in
            String(text.dropFirst(offset).prefix(4))
        }
        return "INV2-" + groups.joined(separator: "-")
    }

    /// An invoice as Invoicing v2 answers it: the caller's detail, recipients and items, with the
    /// id, status, metadata and the amounts PayPal computes from the items.
    static func invoice(id: String, status: String, body: JSONValue, created: Int, updated: Int) -> JSONValue {
        var invoice = body.objectValue ?? [:]
        var detail = invoice["detail"]?.objectValue ?? [:]
        let currency = detail["currency_code"]?.stringValue ?? "USD"
        detail["metadata"] = [
            "create_time": .string(PayPalTime.zulu(created)), "last_update_time": .string(PayPalTime.zulu(updated)),
            "created_by_flow": "REGULAR_SINGLE",
        ]
        invoice["detail"] = .object(detail)
        invoice["id"] = .string(id)
        invoice["status"] = .string(status)
        invoice["invoicer"] = invoice["invoicer"] ?? ["email_address": "merchant@example.com"]
        let total = (invoice["items"]?.arrayValue ?? []).reduce(0) { sum, item in
            let quantity = Double(item["quantity"]?.stringValue ?? "1") ?? 1
            let unit = Double(item["unit_amount"]?["value"]?.stringValue ?? "0") ?? 0
            return sum + Int((quantity * unit * 100).rounded())
        }
        invoice["amount"] = PayPalTransaction.money(total, currency)
        invoice["due_amount"] = PayPalTransaction.money(status == "PAID" ? 0 : total, currency)
        if status == "PAID" {
            invoice["payments"] = ["paid_amount": PayPalTransaction.money(total, currency)]
        }
        return .object(invoice)
    }
}
