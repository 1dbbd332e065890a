import HubCore

/// One Transaction Search entry as the merchant's account holds it. `initiated` is when the
/// payment happened; the Reporting API finds it by that time only once it is on the account
/// (the admin API adds late ones: initiated hours ago, visible from now on).
struct PayPalTransaction: Sendable {
    var id: String
    var initiated: Int
    var updated: Int
    /// In cents.
    var amount: Int
    var currency: String
    var eventCode: String
    var status: String
    var invoiceID: String?
    var payerID: String
    var payerEmail: String

    func json(merchant: String, payerInfo: Bool) -> JSONValue {
        var info: [String: JSONValue] = [
            "paypal_account_id": .string(merchant),
            "transaction_id": .string(id),
            "transaction_event_code": .string(eventCode),
            "transaction_initiation_date": .string(PayPalTime.reporting(initiated)),
            "transaction_updated_date": .string(PayPalTime.reporting(updated)),
            "transaction_amount": Self.money(amount, currency),
            "fee_amount": Self.money(-(amount * 29 / 1000 + 30), currency),
            "transaction_status": .string(status),
            "protection_eligibility": "01",
        ]
        if let invoiceID { info["invoice_id"] = .string(invoiceID) }
        var entry: [String: JSONValue] = ["transaction_info": .object(info)]
        if payerInfo {
            entry["payer_info"] = [
                "account_id": .string(payerID), "email_address": .string(payerEmail), "address_status": "Y", "payer_status": "Y",
                "payer_name": ["given_name": "Buyer", "surname": .string(payerID.suffix(4).lowercased())], "country_code": "US",
            ]
        }
        return .object(entry)
    }

    /// `{"currency_code":"USD","value":"12.34"}`: PayPal's money, a decimal string.
    static func money(_ cents: Int, _ currency: String) -> JSONValue {
        let sign = cents < 0 ? "-" : ""
        let magnitude = abs(cents)
        let fraction = magnitude % 100
        return ["currency_code": .string(currency), "value": .string("\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)")]
    }
}
