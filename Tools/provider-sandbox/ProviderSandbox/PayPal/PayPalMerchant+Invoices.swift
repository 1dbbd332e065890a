import HubCore

/// Invoicing v2 writes: drafts created (once per `PayPal-Request-Id`), replaced by `PUT`, and
/// deleted while still drafts.
extension PayPalMerchant {
    /// Creates a draft, or answers the invoice an earlier create with the same request id made.
    mutating func createInvoice(_ body: JSONValue, requestID: String?, now: Int) throws(PayPalAPIError) -> (invoice: JSONValue, created: Bool) {
        if let requestID, let existing = requestIDs[requestID], let invoice = invoices[existing] { return (invoice, false) }
        try Self.validate(body)
        if let number = body["detail"]?["invoice_number"]?.stringValue,
            invoices.values.contains(where: { $0["detail"]?["invoice_number"]?.stringValue == number })
        {
            throw .unprocessable(issue: "DUPLICATE_INVOICE_NUMBER", description: "Invoice number is already in use.")
        }
        let id = Self.invoiceID(&generator)
        let invoice = Self.invoice(id: id, status: "DRAFT", body: Self.writable(body), created: now, updated: now)
        invoices[id] = invoice
        invoiceOrder.append(id)
        if let requestID { requestIDs[requestID] = id }
        return (invoice, true)
    }

    /// Replaces an invoice's writable parts, keeping its id, status and creation time.
    mutating func replaceInvoice(_ id: String, _ body: JSONValue, now: Int) throws(PayPalAPIError) -> JSONValue {
        guard let current = invoices[id] else { throw .notFound("Invoice \(id)") }
        try Self.validate(body)
        let created = PayPalTime.parse(current["detail"]?["metadata"]?["create_time"]?.stringValue) ?? now
        let invoice = Self.invoice(
            id: id,
            status: current["status"]?.stringValue ?? "DRAFT",
            body: Self.writable(body),
            created: created,
            updated: now
        )
        invoices[id] = invoice
        return invoice
    }

    mutating func deleteInvoice(_ id: String) throws(PayPalAPIError) {
        guard let current = invoices[id] else { throw .notFound("Invoice \(id)") }
        guard current["status"]?.stringValue == "DRAFT" else {
            throw .unprocessable(issue: "CANT_DELETE_INVOICE", description: "Only draft invoices can be deleted; cancel a sent one.")
        }
        invoices[id] = nil
        invoiceOrder.removeAll { $0 == id }
    }

    /// What a caller may set: PayPal computes the rest.
    static func writable(_ body: JSONValue) -> JSONValue {
        var object = body.objectValue ?? [:]
        for computed in ["id", "status", "amount", "due_amount", "payments", "refunds", "links"] { object[computed] = nil }
        return .object(object)
    }

    static func validate(_ body: JSONValue) throws(PayPalAPIError) {
        guard case .object = body else {
            throw .invalid(field: "/", issue: "INVALID_REQUEST_BODY", description: "The request body is not a JSON object.")
        }
        guard let currency = body["detail"]?["currency_code"]?.stringValue else {
            throw .invalid(field: "/detail/currency_code", issue: "MISSING_REQUIRED_PARAMETER", description: "A required field is missing.")
        }
        guard currency.count == 3, currency.allSatisfy({ $0.isUppercase && $0.isASCII }) else {
            throw .invalid(field: "/detail/currency_code", issue: "INVALID_PARAMETER_VALUE", description: "The currency code is not valid.")
        }
        // An item needs a name, a quantity and a unit amount, which is Money: a currency and a value.
        for (index, item) in (body["items"]?.arrayValue ?? []).enumerated() {
            for path in ["name", "quantity", "unit_amount", "unit_amount/currency_code", "unit_amount/value"] {
                let value = path.split(separator: "/").reduce(item as JSONValue?) { $0?[String($1)] }
                guard value?.stringValue == nil, value?.objectValue == nil else { continue }
                throw .invalid(field: "/items/\(index)/\(path)", issue: "MISSING_REQUIRED_PARAMETER", description: "A required field is missing.")
            }
        }
    }
}
