import HubCore
import Hummingbird

/// `/_admin/paypal/…`, beside the OAuth server's own admin routes:
///
/// - `PUT /volumes` `{"transactions": n, "invoices": n, "disputes": n}`: the account seeded afresh
///   at those volumes (transactions spread over 60 days, ending three hours ago).
/// - `POST /transactions` `{"hours_ago": 2, "amount_cents": 1234, "currency": "USD"}`: a payment
///   that reaches Transaction Search late — initiated `hours_ago` hours ago, found from now on.
/// - `GET /summary`: how many transactions, invoices and disputes the account holds.
struct PayPalAdminRoutes {
    let provider: PayPalProvider

    func add(to group: RouterGroup<SandboxContext>) {
        group.put("volumes") { request, context in
            let volumes = try await request.decode(as: PayPalMerchant.Volumes.self, context: context)
            provider.store.reseed(volumes)
            return JSONBody.response(JSONBody.encode(volumes))
        }
        group.post("transactions") { request, context in
            let body = try await JSONValue.body(of: request, context: context) ?? [:]
            let initiated = PayPalTime.now - Int((body["hours_ago"]?.numberValue ?? 0) * 3600)
            let merchant = provider.store.merchantID
            let transaction = provider.store.withMerchant { account -> PayPalTransaction in
                let transaction = PayPalTransaction(
                    id: PayPalMerchant.transactionID(&account.generator),
                    initiated: initiated,
                    updated: PayPalTime.now,
                    amount: body["amount_cents"]?.integer ?? 1_000,
                    currency: body["currency"]?.stringValue ?? "USD",
                    eventCode: "T0006",
                    status: "S",
                    invoiceID: body["invoice_id"]?.stringValue,
                    payerID: account.generator.token(13).uppercased(),
                    payerEmail: "late-buyer@example.com"
                )
                // Kept in initiation order, as Transaction Search answers.
                let position = account.transactions.firstIndex { $0.initiated > initiated } ?? account.transactions.endIndex
                account.transactions.insert(transaction, at: position)
                return transaction
            }
            return JSONBody.response(transaction.json(merchant: merchant, payerInfo: true).encoded(), status: .created)
        }
        group.get("summary") { _, _ in
            let counts = provider.store.withMerchant { account -> JSONValue in
                [
                    "transactions": .int(account.transactions.count), "invoices": .int(account.invoices.count),
                    "disputes": .int(account.disputes.count), "merchant_id": .string(account.id),
                ]
            }
            return JSONBody.response(counts.encoded())
        }
    }
}
