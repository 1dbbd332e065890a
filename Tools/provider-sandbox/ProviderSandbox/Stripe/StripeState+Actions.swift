import HubCore

/// The state transitions behind Stripe's action endpoints: confirming and cancelling payment
/// intents (which create charges and balance transactions), finalizing, paying and voiding
/// invoices, and cancelling subscriptions.
extension StripeState {
    /// Test payment methods that decline, as in Stripe's test mode; any other `pm_…` succeeds.
    static let decliningPaymentMethods: Set<String> = ["pm_card_chargeDeclined", "pm_card_visa_chargeDeclined"]

    // MARK: Payment intents

    mutating func confirmPaymentIntent(_ id: String, params: JSONObject) throws(StripeAPIError) -> JSONObject {
        var intent = try require(.paymentIntents, id)
        let status = intent["status"]?.stringValue ?? ""
        guard status == "requires_payment_method" || status == "requires_confirmation" else {
            throw .invalid(
                "You cannot confirm this PaymentIntent because it has a status of \(status). Only a PaymentIntent with one of "
                    + "the following statuses may be confirmed: requires_confirmation, requires_action, requires_payment_method.",
                param: nil,
                code: "payment_intent_unexpected_state"
            )
        }
        try StripeParameters.check(params, allowed: ["payment_method", "return_url", "receipt_email", "off_session", "mandate"])
        if let method = params["payment_method"]?.stringValue { intent["payment_method"] = .string(method) }
        guard let method = intent["payment_method"]?.stringValue else {
            throw .invalid(
                "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent with "
                    + "\(id), specify a payment method attached to this PaymentIntent's customer.",
                param: "payment_method",
                code: "payment_intent_unexpected_state"
            )
        }
        let succeeded = !Self.decliningPaymentMethods.contains(method)
        let amount = intent["amount"]?.integer ?? 0
        let currency = intent["currency"]?.stringValue ?? "usd"
        let chargeID = newID(.charges)
        let transactionID = succeeded ? newID(.balanceTransactions) : nil
        let charge = StripeTemplates.charge(id: chargeID, created: now, intent: intent, succeeded: succeeded, transaction: transactionID)
        insert(.charges, charge)
        intent["latest_charge"] = .string(chargeID)
        if let transactionID {
            let transaction = StripeTemplates.balanceTransaction(
                id: transactionID,
                created: now,
                amount: amount,
                currency: currency,
                source: chargeID,
                type: "charge"
            )
            insert(.balanceTransactions, transaction)
            balancePending += transaction["net"]?.integer ?? 0
            intent["status"] = "succeeded"
            intent["amount_received"] = .int(amount)
            replace(.paymentIntents, intent)
            emit("charge.succeeded", charge)
            emit("payment_intent.succeeded", intent)
            return intent
        }
        intent["status"] = "requires_payment_method"
        intent["last_payment_error"] = [
            "code": "card_declined", "decline_code": "generic_decline", "message": "Your card was declined.",
            "payment_method": ["id": .string(method), "object": "payment_method", "type": "card"], "type": "card_error",
        ]
        replace(.paymentIntents, intent)
        emit("charge.failed", charge)
        emit("payment_intent.payment_failed", intent)
        throw StripeAPIError(
            status: StripeAPIError.paymentRequired,
            type: "card_error",
            code: "card_declined",
            message: "Your card was declined.",
            param: nil,
            declineCode: "generic_decline"
        )
    }

    mutating func cancelPaymentIntent(_ id: String, params: JSONObject) throws(StripeAPIError) -> JSONObject {
        var intent = try require(.paymentIntents, id)
        try StripeParameters.check(params, allowed: ["cancellation_reason"])
        let status = intent["status"]?.stringValue ?? ""
        guard status != "succeeded", status != "canceled" else {
            throw .invalid(
                "You cannot cancel this PaymentIntent because it has a status of \(status). Only a PaymentIntent with one of the "
                    + "following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, "
                    + "requires_action, processing.",
                param: nil,
                code: "payment_intent_unexpected_state"
            )
        }
        intent["status"] = "canceled"
        intent["canceled_at"] = .int(now)
        intent["cancellation_reason"] = params["cancellation_reason"] ?? .null
        replace(.paymentIntents, intent)
        emit("payment_intent.canceled", intent)
        return intent
    }

    // MARK: Invoices

    /// Adds a line to an invoice's embedded `lines` list and recomputes its totals.
    static func appendLine(_ line: JSONObject, to invoice: inout JSONObject) {
        var lines = invoice["lines"]?["data"]?.arrayValue ?? []
        lines.append(.object(line))
        setLines(lines, on: &invoice)
    }

    static func setLines(_ lines: [JSONValue], on invoice: inout JSONObject) {
        let total = lines.reduce(0) { $0 + ($1["amount"]?.integer ?? 0) }
        if var list = invoice["lines"]?.objectValue {
            list["data"] = .array(lines)
            list["total_count"] = .int(lines.count)
            invoice["lines"] = .object(list)
        }
        invoice["subtotal"] = .int(total)
        invoice["total"] = .int(total)
        invoice["amount_due"] = .int(total)
        invoice["amount_remaining"] = .int(total - (invoice["amount_paid"]?.integer ?? 0))
    }

    /// Removes a deleted invoice item's line from its (draft) invoice.
    mutating func detachInvoiceItem(_ item: JSONObject) throws(StripeAPIError) {
        guard let invoiceID = item["invoice"]?.stringValue, var invoice = fields(.invoices, invoiceID) else { return }
        guard invoice["status"]?.stringValue == "draft" else {
            throw .invalid("You can only delete invoice items of draft invoices.", param: nil, code: "invoice_not_editable")
        }
        let lines = (invoice["lines"]?["data"]?.arrayValue ?? []).filter { $0["invoice_item"] != item["id"] }
        Self.setLines(lines, on: &invoice)
        replace(.invoices, invoice)
        emit("invoice.updated", invoice)
    }

    mutating func finalizeInvoice(_ id: String) throws(StripeAPIError) -> JSONObject {
        var invoice = try require(.invoices, id)
        guard invoice["status"]?.stringValue == "draft" else {
            throw .invalid(
                "This invoice is already finalized, you can't re-finalize a non-draft invoice.",
                param: nil,
                code: "invoice_not_editable"
            )
        }
        invoiceNumber += 1
        let prefix = invoice["customer"]?.stringValue.flatMap { fields(.customers, $0)?["invoice_prefix"]?.stringValue } ?? "SANDBOX"
        invoice["number"] = .string("\(prefix)-\(String(invoiceNumber).leftPadded(to: 4))")
        invoice["status"] = "open"
        invoice["hosted_invoice_url"] = .string("https://invoice.stripe.com/i/sandbox/\(id)")
        invoice["invoice_pdf"] = .string("https://pay.stripe.com/invoice/sandbox/\(id)/pdf")
        setTransition("finalized_at", on: &invoice)
        replace(.invoices, invoice)
        emit("invoice.finalized", invoice)
        if invoice["amount_due"]?.integer == 0 { return try payInvoice(id, params: [:]) }
        return invoice
    }

    mutating func payInvoice(_ id: String, params: JSONObject) throws(StripeAPIError) -> JSONObject {
        try StripeParameters.check(params, allowed: ["paid_out_of_band", "payment_method", "source", "off_session"])
        var invoice = try require(.invoices, id)
        if invoice["status"]?.stringValue == "draft" { invoice = try finalizeInvoice(id) }
        guard invoice["status"]?.stringValue == "open" else {
            throw .invalid("Invoice is already paid", param: nil, code: "invoice_already_paid")
        }
        invoice["status"] = "paid"
        invoice["amount_paid"] = invoice["amount_due"] ?? 0
        invoice["amount_remaining"] = 0
        invoice["attempted"] = true
        invoice["attempt_count"] = 1
        setTransition("paid_at", on: &invoice)
        replace(.invoices, invoice)
        emit("invoice.paid", invoice)
        emit("invoice.payment_succeeded", invoice)
        return invoice
    }

    mutating func voidInvoice(_ id: String) throws(StripeAPIError) -> JSONObject {
        var invoice = try require(.invoices, id)
        guard invoice["status"]?.stringValue == "open" else {
            throw .invalid("You can only void open invoices.", param: nil, code: "invoice_not_editable")
        }
        invoice["status"] = "void"
        invoice["amount_remaining"] = 0
        setTransition("voided_at", on: &invoice)
        replace(.invoices, invoice)
        emit("invoice.voided", invoice)
        return invoice
    }

    private func setTransition(_ name: String, on invoice: inout JSONObject) {
        var transitions = invoice["status_transitions"]?.objectValue ?? [:]
        transitions[name] = .int(now)
        invoice["status_transitions"] = .object(transitions)
    }

    // MARK: Subscriptions

    /// `DELETE /v1/subscriptions/{id}` cancels: the subscription stays, with status `canceled`.
    mutating func cancelSubscription(_ id: String) throws(StripeAPIError) -> JSONObject {
        var subscription = try require(.subscriptions, id)
        guard subscription["status"]?.stringValue != "canceled" else {
            throw .invalid("No such subscription: '\(id)'", param: "id", code: "resource_missing")
        }
        subscription["status"] = "canceled"
        subscription["canceled_at"] = .int(now)
        subscription["ended_at"] = .int(now)
        replace(.subscriptions, subscription)
        emit("customer.subscription.deleted", subscription)
        return subscription
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
