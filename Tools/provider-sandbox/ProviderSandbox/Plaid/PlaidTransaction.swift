/// A transaction in Plaid's shape. Encoded by hand so absent values are written as `null`:
/// Plaid's clients (plaid-python's generated models) require those keys.
struct PlaidTransaction: Encodable, Sendable, Equatable {
    var transactionID: String
    var accountID: String
    /// Positive when money leaves the account.
    var amount: Double
    var date: String
    var authorizedDate: String?
    var name: String
    var merchantName: String?
    var paymentChannel: String
    var pending: Bool
    var category: (primary: String, detailed: String)

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.transactionID == rhs.transactionID && lhs.accountID == rhs.accountID && lhs.amount == rhs.amount && lhs.date == rhs.date
            && lhs.authorizedDate == rhs.authorizedDate && lhs.name == rhs.name && lhs.merchantName == rhs.merchantName
            && lhs.paymentChannel == rhs.paymentChannel && lhs.pending == rhs.pending && lhs.category == rhs.category
    }

    enum CodingKeys: String, CodingKey {
        case transactionID = "transaction_id"
        case accountID = "account_id"
        case amount, date, name, pending
        case authorizedDate = "authorized_date"
        case merchantName = "merchant_name"
        case paymentChannel = "payment_channel"
        case isoCurrencyCode = "iso_currency_code"
        case unofficialCurrencyCode = "unofficial_currency_code"
        case accountOwner = "account_owner"
        case pendingTransactionID = "pending_transaction_id"
        case checkNumber = "check_number"
        case categoryList = "category"
        case categoryID = "category_id"
        case counterparties, datetime
        case authorizedDatetime = "authorized_datetime"
        case location
        case logoURL = "logo_url"
        case merchantEntityID = "merchant_entity_id"
        case originalDescription = "original_description"
        case paymentMeta = "payment_meta"
        case personalFinanceCategory = "personal_finance_category"
        case personalFinanceCategoryIconURL = "personal_finance_category_icon_url"
        case transactionCode = "transaction_code"
        case transactionType = "transaction_type"
        case website
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let none: String? = nil
        try container.encode(transactionID, forKey: .transactionID)
        try container.encode(accountID, forKey: .accountID)
        try container.encode(amount, forKey: .amount)
        try container.encode("USD", forKey: .isoCurrencyCode)
        try container.encode(none, forKey: .unofficialCurrencyCode)
        try container.encode(date, forKey: .date)
        try container.encode(authorizedDate, forKey: .authorizedDate)
        try container.encode(none, forKey: .datetime)
        try container.encode(none, forKey: .authorizedDatetime)
        try container.encode(name, forKey: .name)
        try container.encode(merchantName, forKey: .merchantName)
        try container.encode(none, forKey: .merchantEntityID)
        try container.encode(none, forKey: .originalDescription)
        try container.encode(paymentChannel, forKey: .paymentChannel)
        try container.encode(pending, forKey: .pending)
        try container.encode(none, forKey: .pendingTransactionID)
        try container.encode(none, forKey: .accountOwner)
        try container.encode(none, forKey: .checkNumber)
        try container.encode([category.primary.capitalized], forKey: .categoryList)
        try container.encode(none, forKey: .categoryID)
        try container.encode([String](), forKey: .counterparties)
        let emptyLocation: [String: String?] = [
            "address": nil, "city": nil, "region": nil, "postal_code": nil, "country": nil, "lat": nil, "lon": nil, "store_number": nil,
        ]
        try container.encode(emptyLocation, forKey: .location)
        let emptyMeta: [String: String?] = [
            "reference_number": nil, "ppd_id": nil, "payee": nil, "by_order_of": nil, "payer": nil, "payment_method": nil,
            "payment_processor": nil, "reason": nil,
        ]
        try container.encode(emptyMeta, forKey: .paymentMeta)
        try container.encode(
            ["primary": category.primary, "detailed": category.detailed, "confidence_level": "VERY_HIGH"],
            forKey: .personalFinanceCategory
        )
        try container.encode("https://plaid-category-icons.plaid.com/PFC_\(category.primary).png", forKey: .personalFinanceCategoryIconURL)
        try container.encode(none, forKey: .transactionCode)
        try container.encode(paymentChannel == "online" ? "digital" : "place", forKey: .transactionType)
        try container.encode(none, forKey: .logoURL)
        try container.encode(none, forKey: .website)
    }
}
