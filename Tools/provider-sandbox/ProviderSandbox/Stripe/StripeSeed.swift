import HubCore

/// The account's starting data: `volume` objects of each seeded kind, generated from the seed so
/// every run (and every machine) names the same objects. Each kind draws from its own generator,
/// a fixed number of draws per object, so any object can be generated alone from its index (the
/// generator jumps to where its draws begin) and the first objects are the same whatever the
/// volume. Nothing is generated until it is read: the collections hold what changed since.
/// Seeded objects are dated one minute apart going back from a fixed instant and have no events:
/// their history predates the 30 days of events Stripe keeps.
struct StripeSeed: Sendable {
    /// 2023-11-14T22:13:20Z: the newest seeded object is this old.
    static let epoch = 1_700_000_000

    let seed: UInt64
    let volume: Int

    /// How many objects of a kind are seeded (invoice items appear only as invoice lines).
    func count(_ resource: StripeResource) -> Int {
        switch resource {
        case .customers, .products, .prices, .invoices, .paymentIntents, .charges, .balanceTransactions, .payouts, .subscriptions:
            max(0, volume)
        default: 0
        }
    }

    func created(_ index: Int) -> Int {
        Self.epoch - (volume - 1 - index) * 60
    }

    /// The object at `index` of a seeded kind.
    func object(_ resource: StripeResource, _ index: Int) -> JSONObject {
        switch resource {
        case .customers: customer(index)
        case .products: catalog(index).product
        case .prices: catalog(index).price
        case .invoices: invoice(index)
        case .paymentIntents: payment(index).intent
        case .charges: payment(index).charge
        case .balanceTransactions: payment(index).transaction
        case .payouts: payment(index).payout
        case .subscriptions: subscription(index)
        default: [:]
        }
    }

    /// The object at `index` as Stripe writes it (`id` and `object` first).
    func encodedObject(_ resource: StripeResource, _ index: Int) -> [UInt8] {
        resource == .customers ? customerBytes(index) : JSONValue.object(object(resource, index)).encoded(.identityFirst)
    }

    /// The id of the object at `index`, drawing only its characters.
    func id(_ resource: StripeResource, _ index: Int) -> String {
        let (stream, draws, offset, length) = Self.idDraws[resource.path] ?? (0, 0, 0, 0)
        var generator = generator(stream, index, draws: draws, skipping: offset)
        return "\(resource.idPrefix)_" + generator.stripeToken(length)
    }

    /// Where each kind's id lies in its generator's draws: (stream, draws per object, draws
    /// before the id, its length). Checked against `object` by the tests.
    private static let idDraws: [String: (UInt64, Int, Int, Int)] = [
        "customers": (1, customerDraws, 0, 14), "products": (2, catalogDraws, 0, 14), "prices": (2, catalogDraws, 16, 24),
        "invoices": (3, invoiceDraws, 2, 24), "payment_intents": (4, paymentDraws, 1, 24), "charges": (4, paymentDraws, 25, 24),
        "balance_transactions": (4, paymentDraws, 49, 24), "payouts": (4, paymentDraws, 98, 24), "subscriptions": (5, subscriptionDraws, 16, 24),
    ]

    /// The list-filter values of the object at `index`, as `StripeState.attributes` reads them
    /// from the object, without generating it: filtered lists scan every seeded object.
    func attributes(_ resource: StripeResource, _ index: Int) -> [String: String] {
        switch resource {
        case .customers:
            var generator = generator(1, index, draws: Self.customerDraws, skipping: 14)
            return ["email": Self.email(Self.pick(Self.firstNames, &generator), Self.pick(Self.lastNames, &generator), index)]
        case .products: return ["active": "true"]
        case .prices:
            return ["product": id(.products, index), "active": "true", "currency": "usd", "type": index % 4 == 0 ? "recurring" : "one_time"]
        case .invoices:
            var generator = generator(3, index, draws: Self.invoiceDraws)
            let customer = customerID(Int(generator.next() % UInt64(volume)))
            return [
                "customer": customer, "status": Self.invoiceStatuses[index % Self.invoiceStatuses.count], "collection_method": "charge_automatically",
            ]
        case .paymentIntents: return ["customer": paymentCustomer(index), "status": "succeeded"]
        case .charges: return ["customer": paymentCustomer(index), "payment_intent": id(.paymentIntents, index), "status": "succeeded"]
        case .balanceTransactions: return ["type": "charge", "source": id(.charges, index), "currency": "usd"]
        case .payouts: return ["status": "paid"]
        case .subscriptions:
            var generator = generator(5, index, draws: Self.subscriptionDraws, skipping: 15)
            return ["customer": customerID(Int(generator.next() % UInt64(volume))), "status": "active"]
        default: return [:]
        }
    }

    /// The available balance the seeded payments add up to.
    var balanceAvailable: Int {
        (0..<max(0, volume)).reduce(0) { total, index in
            var generator = generator(4, index, draws: Self.paymentDraws)
            let amount = 1_000 + Int(generator.next() % 99_000)
            return total + amount - StripeTemplates.fee(for: amount)
        }
    }

    // MARK: Generators

    /// Stream `stream`'s generator where object `index`'s draws begin (plus `skipping`).
    private func generator(_ stream: UInt64, _ index: Int, draws: Int, skipping: Int = 0) -> SeededGenerator {
        SeededGenerator(seed: seed &+ stream &* 0x9E37_79B9_7F4A_7C15, skipping: index * draws + skipping)
    }

    /// Draws per object of each stream; the objects below make exactly these.
    static let customerDraws = 14 + 3 + 1
    static let catalogDraws = 14 + 2 + 24 + 1
    static let invoiceDraws = 2 + 24 + 24
    static let paymentDraws = 1 + 4 * 24 + 1 + 2 * 24
    static let subscriptionDraws = 1 + 14 + 1 + 24

    static let firstNames = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Dennis", "Radia", "John"]
    static let lastNames = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Hamilton", "Ritchie", "Perlman"]
    static let cities = [("Austin", "TX", "78701"), ("Boston", "MA", "02108"), ("Denver", "CO", "80202"), ("Seattle", "WA", "98101")]
    static let adjectives = ["Basic", "Premium", "Team", "Enterprise", "Starter", "Annual", "Hosted", "Priority"]
    static let nouns = ["Plan", "Seat", "Support", "Storage", "License", "Add-on", "Workshop", "Audit"]
    static let invoiceStatuses = ["paid", "paid", "paid", "paid", "paid", "paid", "open", "open", "draft", "void"]

    static func pick<T>(_ values: [T], _ generator: inout SeededGenerator) -> T {
        values[Int(generator.next() % UInt64(values.count))]
    }

    static func email(_ first: String, _ last: String, _ index: Int) -> String {
        "\(first.lowercased()).\(last.lowercased()).\(index)@example.com"
    }

    // MARK: Objects

    func customerID(_ index: Int) -> String {
        id(.customers, index)
    }

    func customer(_ index: Int) -> JSONObject {
        Self.customerShape.filled(customerValues(index)).objectValue ?? [:]
    }

    /// The customer at `index` as listed: its shape's bytes written once, its values between them.
    func customerBytes(_ index: Int) -> [UInt8] {
        Self.customerTemplate.render(customerValues(index))
    }

    /// A seeded customer: `StripeTemplates.customer` with the seeded fields, holes for the values
    /// each customer draws (`customerValues`, in the same order).
    static let customerShape: JSONValue = {
        let hole = JSONTemplate.hole
        var fields = StripeTemplates.customer(id: "", created: 0)
        (fields["id"], fields["created"], fields["invoice_prefix"]) = (hole(0), hole(1), hole(2))
        (fields["name"], fields["email"], fields["phone"]) = (hole(3), hole(4), hole(5))
        fields["address"] = ["city": hole(6), "country": "US", "line1": hole(7), "line2": .null, "postal_code": hole(8), "state": hole(9)]
        fields["currency"] = "usd"
        fields["metadata"] = ["seed_index": hole(10)]
        return .object(fields)
    }()

    static let customerTemplate = JSONTemplate(customerShape, holes: 11, order: .identityFirst)

    func customerValues(_ index: Int) -> [JSONValue] {
        var generator = generator(1, index, draws: Self.customerDraws)
        let id = "cus_" + generator.stripeToken(14)
        let first = Self.pick(Self.firstNames, &generator)
        let last = Self.pick(Self.lastNames, &generator)
        let (city, region, postal) = Self.pick(Self.cities, &generator)
        let phone = "+1555\(String(1_000_000 + Int(generator.next() % 8_999_999)))"
        return [
            .string(id), .int(created(index)), .string(StripeTemplates.invoicePrefix(id)), .string("\(first) \(last)"),
            .string(Self.email(first, last, index)), .string(phone), .string(city), .string("\(1 + index % 900) Main Street"),
            .string(postal), .string(region), .string(String(index)),
        ]
    }

    /// A product and its price; every fourth price is a monthly recurring one.
    func catalog(_ index: Int) -> (product: JSONObject, price: JSONObject) {
        var generator = generator(2, index, draws: Self.catalogDraws)
        let productID = "prod_" + generator.stripeToken(14)
        var product = StripeTemplates.product(
            id: productID,
            created: created(index),
            name: "\(Self.pick(Self.adjectives, &generator)) \(Self.pick(Self.nouns, &generator)) \(index)"
        )
        let priceID = "price_" + generator.stripeToken(24)
        var price = StripeTemplates.price(
            id: priceID,
            created: created(index),
            product: productID,
            currency: "usd",
            unitAmount: 500 + Int(generator.next() % 500) * 100
        )
        if index % 4 == 0 {
            price["recurring"] = ["interval": "month", "interval_count": 1, "usage_type": "licensed"]
            price["type"] = "recurring"
        }
        product["default_price"] = .string(priceID)
        product["metadata"] = ["seed_index": .string(String(index))]
        return (product, price)
    }

    func invoice(_ index: Int) -> JSONObject {
        var generator = generator(3, index, draws: Self.invoiceDraws)
        let customer = customerID(Int(generator.next() % UInt64(volume)))
        let price = catalog(Int(generator.next() % UInt64(volume))).price
        let id = "in_" + generator.stripeToken(24)
        let time = created(index)
        var invoice = StripeTemplates.invoice(id: id, created: time, customer: ["id": .string(customer)], currency: "usd")
        var item = StripeTemplates.invoiceItem(
            id: "ii_" + generator.stripeToken(24),
            created: time,
            customer: customer,
            invoice: id,
            amount: price["unit_amount"]?.integer ?? 0,
            currency: "usd"
        )
        item["price"] = .object(price)
        item["description"] = .string("Seeded line \(index)")
        StripeState.appendLine(StripeTemplates.line(for: item, invoice: id), to: &invoice)
        let status = Self.invoiceStatuses[index % Self.invoiceStatuses.count]
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
        return invoice
    }

    /// A succeeded payment intent with its charge and balance transaction, and a payout of the
    /// same amount: the draws they are made of, each built only when asked for.
    struct Payment {
        let index, created, amount: Int
        /// What was drawn, in draw order (the customer's index is drawn between the secret and the
        /// payout).
        let intentID, chargeID, transactionID, secret, customer, payoutID, payoutTransactionID: String

        var intent: JSONObject {
            var intent = StripeTemplates.paymentIntent(id: intentID, created: created, amount: amount, currency: "usd", secret: secret)
            intent["customer"] = .string(customer)
            intent["payment_method"] = "pm_card_visa"
            intent["status"] = "succeeded"
            intent["amount_received"] = .int(amount)
            intent["latest_charge"] = .string(chargeID)
            intent["description"] = .string("Seeded payment \(index)")
            return intent
        }

        var charge: JSONObject {
            StripeTemplates.charge(id: chargeID, created: created, intent: intent, succeeded: true, transaction: transactionID)
        }

        var transaction: JSONObject {
            StripeTemplates.balanceTransaction(id: transactionID, created: created, amount: amount, currency: "usd", source: chargeID, type: "charge")
        }

        var payout: JSONObject {
            StripeTemplates.payout(id: payoutID, created: created, amount: amount, currency: "usd", transaction: payoutTransactionID)
        }
    }

    func payment(_ index: Int) -> Payment {
        var generator = generator(4, index, draws: Self.paymentDraws)
        let amount = 1_000 + Int(generator.next() % 99_000)
        let intentID = "pi_" + generator.stripeToken(24)
        let chargeID = "ch_" + generator.stripeToken(24)
        let transactionID = "txn_" + generator.stripeToken(24)
        let secret = generator.stripeToken(24)
        let customer = customerID(Int(generator.next() % UInt64(volume)))
        return Payment(
            index: index,
            created: created(index),
            amount: amount,
            intentID: intentID,
            chargeID: chargeID,
            transactionID: transactionID,
            secret: secret,
            customer: customer,
            payoutID: "po_" + generator.stripeToken(24),
            payoutTransactionID: "txn_" + generator.stripeToken(24)
        )
    }

    private func paymentCustomer(_ index: Int) -> String {
        var generator = generator(4, index, draws: Self.paymentDraws, skipping: 97)
        return customerID(Int(generator.next() % UInt64(volume)))
    }

    /// A subscription to one of the recurring prices (every fourth price).
    func subscription(_ index: Int) -> JSONObject {
        var generator = generator(5, index, draws: Self.subscriptionDraws)
        let time = created(index)
        let recurring = (volume + 3) / 4
        let price = catalog(4 * Int(generator.next() % UInt64(recurring))).price
        let item: JSONValue = [
            "id": .string("si_" + generator.stripeToken(14)), "object": "subscription_item", "created": .int(time), "metadata": [:],
            "price": .object(price), "quantity": 1,
        ]
        let customer = customerID(Int(generator.next() % UInt64(volume)))
        return StripeTemplates.subscription(
            id: "sub_" + generator.stripeToken(24),
            created: time,
            customer: customer,
            items: [item],
            currency: "usd"
        )
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
