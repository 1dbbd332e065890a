import Foundation

/// Generates a new Item's accounts and `volume` transactions from the sandbox seed and the
/// Item's sequence number: the n-th Item linked in any run holds the same data.
struct PlaidSeeder {
    let seed: UInt64
    let volume: Int

    /// Merchants with Plaid's personal finance categories and payment channels.
    static let merchants: [(name: String, primary: String, detailed: String, channel: String, income: Bool)] = [
        ("Starbucks", "FOOD_AND_DRINK", "FOOD_AND_DRINK_COFFEE", "in store", false),
        ("Uber", "TRANSPORTATION", "TRANSPORTATION_TAXIS_AND_RIDE_SHARES", "online", false),
        ("Amazon", "GENERAL_MERCHANDISE", "GENERAL_MERCHANDISE_ONLINE_MARKETPLACES", "online", false),
        ("Whole Foods", "FOOD_AND_DRINK", "FOOD_AND_DRINK_GROCERIES", "in store", false),
        ("Netflix", "ENTERTAINMENT", "ENTERTAINMENT_TV_AND_MOVIES", "online", false),
        ("Shell", "TRANSPORTATION", "TRANSPORTATION_GAS", "in store", false),
        ("ACME Corp Payroll", "INCOME", "INCOME_WAGES", "other", true),
    ]

    /// Days from 2023-01-01 as `YYYY-MM-DD`, computed once rather than per transaction.
    static let days: [String] = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let start = Date(timeIntervalSince1970: 1_672_531_200)
        return (0..<730).map { offset in
            let parts = calendar.dateComponents([.year, .month, .day], from: start.addingTimeInterval(Double(offset) * 86_400))
            return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        }
    }()

    func item(number: Int, institutionID: String, webhook: String?) -> PlaidItem {
        var random = SeededGenerator(seed: seed &+ UInt64(number) &* 0x9E37_79B9)
        let itemID = random.token(37)
        let accessToken = "access-sandbox-\(Self.uuid(&random))"
        let accounts = [
            PlaidAccount(
                accountID: random.token(37),
                name: "Plaid Checking",
                officialName: "Plaid Gold Standard 0% Interest Checking",
                type: "depository",
                subtype: "checking",
                mask: "0000",
                available: 100,
                current: 110,
                limit: nil
            ),
            PlaidAccount(
                accountID: random.token(37),
                name: "Plaid Saving",
                officialName: "Plaid Silver Standard 0.1% Interest Saving",
                type: "depository",
                subtype: "savings",
                mask: "1111",
                available: 200,
                current: 210,
                limit: nil
            ),
            PlaidAccount(
                accountID: random.token(37),
                name: "Plaid Credit Card",
                officialName: "Plaid Diamond 12.5% APR Interest Credit Card",
                type: "credit",
                subtype: "credit card",
                mask: "3333",
                available: nil,
                current: 410,
                limit: 2000
            ),
        ]
        // The seeded transactions are generated when read, each from where its draws begin.
        return PlaidItem(
            id: itemID,
            accessToken: accessToken,
            institutionID: institutionID,
            webhook: webhook,
            accounts: accounts,
            generator: random.advanced(by: volume * Self.transactionDraws),
            seeded: PlaidItem.Seeded(seeder: self, start: random, accounts: accounts)
        )
    }

    /// The draws of one transaction: its merchant, amount, id (37) and account.
    static let transactionDraws = 2 + 37 + 1

    /// The id of the transaction whose draws begin at `generator`.
    static func transactionID(_ generator: SeededGenerator) -> String {
        var generator = generator.advanced(by: 2)
        return generator.token(37)
    }

    /// One transaction on day `day` of the seeded range (the last day when out of range), on a
    /// random one of `accounts`.
    func transaction(day dayIndex: Int, generator: inout SeededGenerator, accounts: [PlaidAccount]) -> PlaidTransaction {
        let merchant = Self.merchants[Int(generator.next() % UInt64(Self.merchants.count))]
        let day = Self.days[max(0, min(Self.days.count - 1, dayIndex))]
        let cents = Double(100 + generator.next() % 20_000) / 100
        return PlaidTransaction(
            transactionID: generator.token(37),
            accountID: accounts[Int(generator.next() % UInt64(accounts.count))].accountID,
            amount: merchant.income ? -cents * 10 : cents,
            date: day,
            authorizedDate: day,
            name: merchant.name.uppercased(),
            merchantName: merchant.income ? nil : merchant.name,
            paymentChannel: merchant.channel,
            pending: false,
            category: (merchant.primary, merchant.detailed)
        )
    }

    static func uuid(_ random: inout SeededGenerator) -> String {
        let hex = (0..<2).map { _ in String(format: "%016llx", random.next()) }.joined()
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }
}
