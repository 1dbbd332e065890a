import Foundation
import HubCore

/// Stripe's invoice flow: a draft invoice, its lines added as invoice items, then finalize (it
/// gets a number and becomes payable), pay, or void.
extension StripeConnector {
    /// Creates a draft invoice for `customer` with `lines`, and returns it with its lines. Each
    /// request carries a key derived from `idempotencyKey`, so repeating the whole call after a
    /// failure part-way replays the steps already done instead of adding lines twice.
    public func createInvoice(
        customer: String,
        lines: [StripeInvoiceLine],
        fields: JSONValue = .object([:]),
        idempotencyKey: String?
    ) async throws(ConnectorError) -> ProviderRecord {
        let route = try route("invoices", allowing: .create)
        let base = idempotencyKey ?? UUID().uuidString
        guard case .object(var invoiceFields) = fields else {
            throw .validation(message: "invoice fields must be an object", field: nil)
        }
        invoiceFields["customer"] = .string(customer)
        // Only the lines given here, not the customer's other pending invoice items.
        invoiceFields["pending_invoice_items_behavior"] = "exclude"
        let invoice = try await api.post(
            route.path,
            form: .object(invoiceFields),
            idempotencyKey: StripeAPI.stepKey(base, "invoice"),
            entity: "invoices"
        )
        guard let invoiceID = invoice[stripe: "id"]?.stripeString else { throw .invalidResponse("a Stripe invoice without an id") }
        for (index, line) in lines.enumerated() {
            var item = line.fields
            item["customer"] = .string(customer)
            item["invoice"] = .string(invoiceID)
            _ = try await api.post(
                "invoiceitems",
                form: .object(item),
                idempotencyKey: StripeAPI.stepKey(base, "line\(index)"),
                entity: "invoices"
            )
        }
        return try await get("invoices", id: invoiceID)
    }

    /// Finalizes a draft: it gets its number and becomes payable.
    public func finalizeInvoice(_ id: String, idempotencyKey: String? = nil) async throws(ConnectorError) -> ProviderRecord {
        try await invoiceAction(id, "finalize", idempotencyKey: idempotencyKey)
    }

    /// Pays an open invoice; `outOfBand` records a payment made outside Stripe.
    public func payInvoice(_ id: String, outOfBand: Bool = false, idempotencyKey: String? = nil) async throws(ConnectorError) -> ProviderRecord {
        try await invoiceAction(id, "pay", form: outOfBand ? ["paid_out_of_band": true] : [:], idempotencyKey: idempotencyKey)
    }

    func invoiceAction(
        _ id: String,
        _ action: String,
        form: JSONValue = .object([:]),
        idempotencyKey: String?
    ) async throws(ConnectorError) -> ProviderRecord {
        let route = try route("invoices", allowing: .update)
        let invoice = try await api.post(
            "invoices/\(try Self.pathComponent(id))/\(action)",
            form: form,
            idempotencyKey: idempotencyKey,
            entity: "invoices",
            id: id
        )
        return try Self.record(invoice, route: route, changedAt: nil)
    }
}
