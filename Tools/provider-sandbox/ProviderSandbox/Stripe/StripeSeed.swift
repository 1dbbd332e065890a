import HubCore

/// The account's starting data: `volume` objects of each seeded kind, generated from the seed so
/// every run (and every machine) names the same objects. Each kind draws from its own generator,
/// so the first objects are the same whatever the volume. Seeded objects are dated one minute
/// apart going back from a fixed instant and have no events: their history predates the 30 days
/// of events Stripe keeps.
enum StripeSeed {
    /// 2023-11-14T22:13:20Z: the newest seeded object is this old.
    static let epoch = 1_700_000_000

    static func populate(_ state: inout StripeState, volume: Int, seed: UInt64) {
        guard volume > 0 else { return }
        state.recordsEvents = false
        defer { state.recordsEvents = true }
        let created = { (index: Int) in epoch - (volume - 1 - index) * 60 }
        let customers = seedCustomers(&state, volume: volume, generator: generator(seed, 1), created: created)
        let prices = seedCatalog(&state, volume: volume, generator: generator(seed, 2), created: created)
        seedInvoices(&state, volume: volume, generator: generator(seed, 3), created: created, customers: customers, prices: prices)
        seedPayments(&state, volume: volume, generator: generator(seed, 4), created: created, customers: customers)
        seedSubscriptions(&state, volume: volume, generator: generator(seed, 5), created: created, customers: customers, prices: prices)
    }

    static func generator(_ seed: UInt64, _ stream: UInt64) -> SeededGenerator {
        SeededGenerator(seed: seed &+ stream &* 0x9E37_79B9_7F4A_7C15)
    }

    static let firstNames = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Dennis", "Radia", "John"]
    static let lastNames = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Hamilton", "Ritchie", "Perlman"]
    static let cities = [("Austin", "TX", "78701"), ("Boston", "MA", "02108"), ("Denver", "CO", "80202"), ("Seattle", "WA", "98101")]
    static let adjectives = ["Basic", "Premium", "Team", "Enterprise", "Starter", "Annual", "Hosted", "Priority"]
    static let nouns = ["Plan", "Seat", "Support", "Storage", "License", "Add-on", "Workshop", "Audit"]

    static func pick<T>(_ values: [T], _ generator: inout SeededGenerator) -> T {
        values[Int(generator.next() % UInt64(values.count))]
    }

    static func seedCustomers(_ state: inout StripeState, volume: Int, generator: SeededGenerator, created: (Int) -> Int) -> [String] {
        var generator = generator
        var ids: [String] = []
        ids.reserveCapacity(volume)
        for index in 0..<volume {
            let id = "cus_" + generator.stripeToken(14)
            let first = pick(firstNames, &generator)
            let last = pick(lastNames, &generator)
            let (city, region, postal) = pick(cities, &generator)
            var fields = StripeTemplates.customer(id: id, created: created(index))
            fields["name"] = .string("\(first) \(last)")
            fields["email"] = .string("\(first.lowercased()).\(last.lowercased()).\(index)@example.com")
            fields["phone"] = .string("+1555\(String(1_000_000 + Int(generator.next() % 8_999_999)))")
            fields["address"] = [
                "city": .string(city), "country": "US", "line1": .string("\(1 + index % 900) Main Street"), "line2": .null,
                "postal_code": .string(postal), "state": .string(region),
            ]
            fields["currency"] = "usd"
            fields["metadata"] = ["seed_index": .string(String(index))]
            state.insert(.customers, fields)
            ids.append(id)
        }
        return ids
    }

    /// Products and one price each; every fourth price is a monthly recurring one.
    static func seedCatalog(_ state: inout StripeState, volume: Int, generator: SeededGenerator, created: (Int) -> Int) -> [JSONObject] {
        var generator = generator
        var prices: [JSONObject] = []
        prices.reserveCapacity(volume)
        for index in 0..<volume {
            let productID = "prod_" + generator.stripeToken(14)
            var product = StripeTemplates.product(
                id: productID, created: created(index), name: "\(pick(adjectives, &generator)) \(pick(nouns, &generator)) \(index)")
            let priceID = "price_" + generator.stripeToken(24)
            var price = StripeTemplates.price(
                id: priceID, created: created(index), product: productID, currency: "usd",
                unitAmount: 500 + Int(generator.next() % 500) * 100)
            if index % 4 == 0 {
                price["recurring"] = ["interval": "month", "interval_count": 1, "usage_type": "licensed"]
                price["type"] = "recurring"
            }
            product["default_price"] = .string(priceID)
            product["metadata"] = ["seed_index": .string(String(index))]
            state.insert(.products, product)
            state.insert(.prices, price)
            prices.append(price)
        }
        return prices
    }

    static func seedInvoices(
        _ state: inout StripeState, volume: Int, generator: SeededGenerator, created: (Int) -> Int, customers: [String],
        prices: [JSONObject]
    ) {
        var generator = generator
        let statuses = ["paid", "paid", "paid", "paid", "paid", "paid", "open", "open", "draft", "void"]
        for index in 0..<volume {
            let customer = customers[Int(generator.next() % UInt64(customers.count))]
            let price = prices[Int(generator.next() % UInt64(prices.count))]
            let id = "in_" + generator.stripeToken(24)
            let time = created(index)
            var invoice = StripeTemplates.invoice(id: id, created: time, customer: ["id": .string(customer)], currency: "usd")
            var item = StripeTemplates.invoiceItem(
                id: "ii_" + generator.stripeToken(24), created: time, customer: customer, invoice: id,
                amount: price["unit_amount"]?.integer ?? 0, currency: "usd")
            item["price"] = .object(price)
            item["description"] = .string("Seeded line \(index)")
            StripeState.appendLine(StripeTemplates.line(for: item, invoice: id), to: &invoice)
            let status = statuses[index % statuses.count]
            invoice["status"] = .string(status)
            if status != "draft" {
                invoice["number"] = .string("SEED-\(String(100_000 + index))")
                invoice["status_transitions"] = [
                    "finalized_at": .int(time), "marked_uncollectible_at": .null, "paid_at": status == "paid" ? .int(time) : .null,
                    "voided_at": status == "void" ? .int(time) : .null,
                ]
            }
            if status == "paid" {
                invoice["amount_paid"] = invoice["amount_due"] ?? 0
                invoice["amount_remaining"] = 0
            }
            if status == "void" { invoice["amount_remaining"] = 0 }
            state.insert(.invoices, invoice)
        }
    }

    /// Succeeded payment intents, each with its charge and balance transaction; payouts of the
    /// same amounts.
    static func seedPayments(_ state: inout StripeState, volume: Int, generator: SeededGenerator, created: (Int) -> Int, customers: [String]) {
        var generator = generator
        for index in 0..<volume {
            let time = created(index)
            let amount = 1_000 + Int(generator.next() % 99_000)
            let intentID = "pi_" + generator.stripeToken(24)
            let chargeID = "ch_" + generator.stripeToken(24)
            let transactionID = "txn_" + generator.stripeToken(24)
            var intent = StripeTemplates.paymentIntent(id: intentID, created: time, amount: amount, currency: "usd", secret: generator.stripeToken(24))
            intent["customer"] = .string(customers[Int(generator.next() % UInt64(customers.count))])
            intent["payment_method"] = "pm_card_visa"
            intent["status"] = "succeeded"
            intent["amount_received"] = .int(amount)
            intent["latest_charge"] = .string(chargeID)
            intent["description"] = .string("Seeded payment \(index)")
            let charge = StripeTemplates.charge(id: chargeID, created: time, intent: intent, succeeded: true, transaction: transactionID)
            let transaction = StripeTemplates.balanceTransaction(
                id: transactionID, created: time, amount: amount, currency: "usd", source: chargeID, type: "charge")
            let payout = StripeTemplates.payout(
                id: "po_" + generator.stripeToken(24), created: time, amount: amount, currency: "usd",
                transaction: "txn_" + generator.stripeToken(24))
            state.insert(.paymentIntents, intent)
            state.insert(.charges, charge)
            state.insert(.balanceTransactions, transaction)
            state.insert(.payouts, payout)
            state.balanceAvailable += transaction["net"]?.integer ?? 0
        }
    }

    static func seedSubscriptions(
        _ state: inout StripeState, volume: Int, generator: SeededGenerator, created: (Int) -> Int, customers: [String],
        prices: [JSONObject]
    ) {
        var generator = generator
        let recurring = prices.filter { $0["type"]?.stringValue == "recurring" }
        guard !recurring.isEmpty else { return }
        for index in 0..<volume {
            let time = created(index)
            let price = recurring[Int(generator.next() % UInt64(recurring.count))]
            let item: JSONValue = [
                "id": .string("si_" + generator.stripeToken(14)), "object": "subscription_item", "created": .int(time), "metadata": [:],
                "price": .object(price), "quantity": 1,
            ]
            let customer = customers[Int(generator.next() % UInt64(customers.count))]
            let subscription = StripeTemplates.subscription(
                id: "sub_" + generator.stripeToken(24), created: time, customer: customer, items: [item], currency: "usd")
            state.insert(.subscriptions, subscription)
        }
    }
}

extension SeededGenerator {
    private static let stripeAlphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// The same characters `token(_:)` draws, without allocating its alphabet on every call:
    /// seeding draws millions of them.
    mutating func stripeToken(_ length: Int) -> String {
        var bytes = [UInt8](repeating: 0, count: length)
        for index in 0..<length {
            bytes[index] = Self.stripeAlphabet[Int(next() % UInt64(Self.stripeAlphabet.count))]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
