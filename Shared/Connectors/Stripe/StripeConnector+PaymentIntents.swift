import HubCore

/// Stripe's payment flow: a payment intent is created for an amount, confirmed with a payment
/// method (which charges it: status `succeeded`, or a `card_error` for a decline, surfaced as
/// `validation` with Stripe's message), or cancelled.
extension StripeConnector {
    /// Creates a payment intent; with `confirm` it is confirmed in the same call.
    public func createPaymentIntent(
        amount: Int,
        currency: String,
        customer: String? = nil,
        paymentMethod: String? = nil,
        confirm: Bool = false,
        metadata: [String: String] = [:],
        idempotencyKey: String? = nil
    ) async throws(ConnectorError) -> ProviderRecord {
        var fields: [String: JSONValue] = ["amount": .number(Double(amount)), "currency": .string(currency)]
        if let customer { fields["customer"] = .string(customer) }
        if let paymentMethod { fields["payment_method"] = .string(paymentMethod) }
        if confirm { fields["confirm"] = true }
        if !metadata.isEmpty { fields["metadata"] = .object(metadata.mapValues(JSONValue.string)) }
        return try await create("payments", fields: .object(fields), idempotencyKey: idempotencyKey)
    }

    /// Confirms a payment intent, with `paymentMethod` when it has none yet.
    public func confirmPaymentIntent(
        _ id: String,
        paymentMethod: String? = nil,
        idempotencyKey: String? = nil
    ) async throws(ConnectorError) -> ProviderRecord {
        try await paymentIntentAction(
            id,
            "confirm",
            form: .object(paymentMethod.map { ["payment_method": .string($0)] } ?? [:]),
            idempotencyKey: idempotencyKey
        )
    }

    /// Cancels a payment intent that has not succeeded; `reason` is one of Stripe's
    /// (`duplicate`, `fraudulent`, `requested_by_customer`, `abandoned`).
    public func cancelPaymentIntent(_ id: String, reason: String? = nil, idempotencyKey: String? = nil) async throws(ConnectorError) -> ProviderRecord
    {
        try await paymentIntentAction(
            id,
            "cancel",
            form: .object(reason.map { ["cancellation_reason": .string($0)] } ?? [:]),
            idempotencyKey: idempotencyKey
        )
    }

    func paymentIntentAction(_ id: String, _ action: String, form: JSONValue, idempotencyKey: String?) async throws(ConnectorError) -> ProviderRecord
    {
        let route = try route("payments", allowing: .update)
        let intent = try await api.post(
            "payment_intents/\(try Self.pathComponent(id))/\(action)",
            form: form,
            idempotencyKey: idempotencyKey,
            entity: "payments",
            id: id
        )
        return try Self.record(intent, route: route, changedAt: nil)
    }
}
