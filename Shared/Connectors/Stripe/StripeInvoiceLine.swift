import HubCore

/// One line of an invoice the hub creates: either an amount in minor units with its currency, or
/// a Stripe price with a quantity. Each becomes an invoice item attached to the draft invoice.
public struct StripeInvoiceLine: Sendable, Equatable {
    public var amount: Int?
    public var currency: String?
    public var price: String?
    public var quantity: Int?
    public var description: String?

    public init(amount: Int, currency: String, description: String? = nil) {
        self.amount = amount
        self.currency = currency
        self.description = description
    }

    public init(price: String, quantity: Int = 1, description: String? = nil) {
        self.price = price
        self.quantity = quantity
        self.description = description
    }

    /// The invoice item's parameters.
    var fields: [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        if let amount { fields["amount"] = .number(Double(amount)) }
        if let currency { fields["currency"] = .string(currency) }
        if let price { fields["price"] = .string(price) }
        if let quantity { fields["quantity"] = .number(Double(quantity)) }
        if let description { fields["description"] = .string(description) }
        return fields
    }

    /// Lines from the JSON a caller gave `create("invoices", …)`.
    static func lines(from value: JSONValue) throws(ConnectorError) -> [StripeInvoiceLine] {
        guard let items = value.stripeArray else { throw .validation(message: "lines must be a list", field: "lines") }
        var lines: [StripeInvoiceLine] = []
        for (index, item) in items.enumerated() {
            let description = item[stripe: "description"]?.stripeString
            if let price = item[stripe: "price"]?.stripeString {
                lines.append(StripeInvoiceLine(price: price, quantity: item[stripe: "quantity"]?.stripeInt ?? 1, description: description))
            } else if let amount = item[stripe: "amount"]?.stripeInt, let currency = item[stripe: "currency"]?.stripeString {
                lines.append(StripeInvoiceLine(amount: amount, currency: currency, description: description))
            } else {
                throw .validation(message: "each line needs a price, or an amount and a currency", field: "lines[\(index)]")
            }
        }
        return lines
    }
}
