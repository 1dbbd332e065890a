import Foundation
import HubCore
import NIOHTTP1

/// PayPal's webhooks. The merchant registers a webhook in their REST app (Developer Dashboard,
/// or `POST /v1/notifications/webhooks`) at the connection's endpoint
/// `…/webhooks/paypal/{connection id}` and enters the id PayPal gave it as the connection's
/// `webhook_id`: the signature covers it, so only events sent for that webhook verify, and no
/// secret is needed (PayPal's certificate scheme, see `PayPalWebhookVerifier`).
extension PayPalConnector: ConnectionWebhookVerifying {
    public static func webhookVerifier(credentials: [String: String], context: ConnectorContext) -> (any WebhookVerifier)? {
        guard let webhookID = credentials["webhook_id"], !webhookID.isEmpty else { return nil }
        return PayPalWebhookVerifier(webhookID: webhookID, context: context)
    }

    /// PayPal's events name no account: the endpoint's URL names the connection.
    public static func claimedAccount(body: [UInt8], headers: HTTPHeaders) -> String? { nil }
}

/// What PayPal's events mean: a completed capture (Orders v2) or sale (Payments v1) is a payment
/// received, written as the Transaction Search row it will become (which lags by hours); a paid
/// invoice carries its new state; a dispute is announced and pulled where disputes are synced.
/// The business events are announced once per PayPal event id, by the record write where the
/// entity is synced, else directly.
extension PayPalConnector: WebhookInterpreting {
    public static func changes(for webhook: VerifiedWebhook) -> [WebhookChange] {
        guard let resource = webhook.payload["resource"], resource.objectValue != nil else { return [] }
        switch webhook.eventType {
        case "PAYMENT.CAPTURE.COMPLETED", "PAYMENT.SALE.COMPLETED":
            guard let payment = paymentRecord(resource) else { return [] }
            let data = announcement(webhook, externalID: payment.externalID, amount: payment.payload["transaction_info"]?["transaction_amount"])
            return [.upsert(entity: "payments", record: payment), .announce(type: "payment.received", data: .object(data), unlessSynced: "payments")]
        case "INVOICING.INVOICE.PAID":
            guard let invoice = invoiceRecord(resource) else { return [] }
            var data = announcement(webhook, externalID: invoice.externalID, amount: invoice.payload["amount"])
            if let number = invoice.payload["detail"]?["invoice_number"] { data["invoice_number"] = number }
            return [.upsert(entity: "invoices", record: invoice), .announce(type: "invoice.paid", data: .object(data), unlessSynced: nil)]
        case "INVOICING.INVOICE.CREATED", "INVOICING.INVOICE.UPDATED", "INVOICING.INVOICE.SCHEDULED", "INVOICING.INVOICE.CANCELLED",
            "INVOICING.INVOICE.REFUNDED":
            guard let invoice = invoiceRecord(resource) else { return [] }
            return [.upsert(entity: "invoices", record: invoice)]
        case "CUSTOMER.DISPUTE.CREATED":
            guard let id = resource["dispute_id"]?.stringValue, !id.isEmpty else { return [] }
            var data = announcement(webhook, externalID: id, amount: resource["dispute_amount"])
            if let reason = resource["reason"] { data["reason"] = reason }
            let transactions = resource["disputed_transactions"]?.arrayValue?.compactMap { $0["seller_transaction_id"] } ?? []
            if !transactions.isEmpty { data["transaction_ids"] = .array(transactions) }
            return [.announce(type: "dispute.created", data: .object(data), unlessSynced: "disputes"), .resync(entity: "disputes")]
        default:
            return []
        }
    }

    public static func actsOn(eventType: String) -> Bool {
        ["PAYMENT.CAPTURE.COMPLETED", "PAYMENT.SALE.COMPLETED", "INVOICING.INVOICE.PAID", "CUSTOMER.DISPUTE.CREATED"].contains(eventType)
    }

    /// A completed capture or sale as a Transaction Search row (`transaction_info`), keyed by the
    /// transaction id Transaction Search will list it under (the capture's or sale's id).
    static func paymentRecord(_ resource: JSONValue) -> ProviderRecord? {
        guard let id = resource["id"]?.stringValue, !id.isEmpty else { return nil }
        var info: [String: JSONValue] = ["transaction_id": .string(id), "transaction_status": "S"]
        if let amount = resource["amount"], let money = money(amount) { info["transaction_amount"] = money }
        if let invoice = resource["invoice_id"] ?? resource["invoice_number"] { info["invoice_id"] = invoice }
        if let created = resource["create_time"] { info["transaction_initiation_date"] = created }
        let updated = resource["update_time"] ?? resource["create_time"]
        if let updated { info["transaction_updated_date"] = updated }
        return ProviderRecord(externalID: id, updatedAt: date(updated), payload: ["transaction_info": .object(info)])
    }

    /// An Invoicing v2 invoice (the resource, or its `invoice` member in older event versions).
    static func invoiceRecord(_ resource: JSONValue) -> ProviderRecord? {
        let invoice = resource["invoice"] ?? resource
        guard let id = invoice["id"]?.stringValue, !id.isEmpty else { return nil }
        return ProviderRecord(externalID: id, updatedAt: date(invoice["detail"]?["metadata"]?["last_update_time"]), payload: invoice)
    }

    /// PayPal's money in either shape (`{currency_code, value}`, v1's `{currency, total}`) as v2's.
    static func money(_ amount: JSONValue) -> JSONValue? {
        guard let currency = amount["currency_code"] ?? amount["currency"], let value = amount["value"] ?? amount["total"] else { return nil }
        return ["currency_code": currency, "value": value]
    }

    /// What a business event says of the PayPal event behind it.
    static func announcement(_ webhook: VerifiedWebhook, externalID: String, amount: JSONValue?) -> [String: JSONValue] {
        var data: [String: JSONValue] = [
            "external_id": .string(externalID), "provider_event_id": .string(webhook.eventID),
            "provider_event_type": .string(webhook.eventType),
        ]
        if let amount, let money = money(amount) { data["amount"] = money }
        if let summary = webhook.payload["summary"] { data["summary"] = summary }
        return data
    }

    static func date(_ value: JSONValue?) -> Date? {
        value?.stringValue.flatMap { ISOTimestamp.unix(iso: $0) }.map { Date(timeIntervalSince1970: $0) }
    }
}
