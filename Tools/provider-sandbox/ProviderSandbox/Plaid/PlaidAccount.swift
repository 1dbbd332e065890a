/// A bank account in Plaid's shape (`/accounts/get`), with its balances.
struct PlaidAccount: Encodable, Sendable {
    var accountID: String
    var name: String
    var officialName: String
    var type: String
    var subtype: String
    var mask: String
    var available: Double?
    var current: Double
    var limit: Double?

    enum CodingKeys: String, CodingKey {
        case accountID = "account_id"
        case name
        case officialName = "official_name"
        case type, subtype, mask, balances
        case persistentAccountID = "persistent_account_id"
    }

    enum BalanceKeys: String, CodingKey {
        case available, current, limit
        case isoCurrencyCode = "iso_currency_code"
        case unofficialCurrencyCode = "unofficial_currency_code"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(accountID, forKey: .accountID)
        try container.encode(name, forKey: .name)
        try container.encode(officialName, forKey: .officialName)
        try container.encode(type, forKey: .type)
        try container.encode(subtype, forKey: .subtype)
        try container.encode(mask, forKey: .mask)
        try container.encode("persistent-\(accountID)", forKey: .persistentAccountID)
        var balances = container.nestedContainer(keyedBy: BalanceKeys.self, forKey: .balances)
        try balances.encode(available, forKey: .available)
        try balances.encode(current, forKey: .current)
        try balances.encode(limit, forKey: .limit)
        try balances.encode("USD", forKey: .isoCurrencyCode)
        try balances.encode(String?.none, forKey: .unofficialCurrencyCode)
    }
}
