/// Where a hub entity lives in Stripe's API and how its changes are found. List filters only see
/// creation, so mutable objects are followed through the Events API (the event types below; at
/// most 20, Stripe's limit for `types[]`); balance transactions never change, so their own list,
/// walked forward from the newest one seen, is a complete increment.
struct StripeEntityRoute: Sendable, Equatable {
    /// The hub entity (`payments`).
    let entity: String
    /// The path under `/v1` (`payment_intents`).
    let path: String
    /// The `object` value of its objects (`payment_intent`).
    let object: String
    /// The event types that carry a new state of these objects; nil for immutable objects.
    let eventTypes: [String]?
    /// Event types that mean the object is gone. Subscriptions are cancelled, not deleted, so
    /// `customer.subscription.deleted` carries a record (status `canceled`).
    let deletionTypes: Set<String>

    static func route(for entity: String) -> StripeEntityRoute? {
        all.first { $0.entity == entity }
    }

    static let all: [StripeEntityRoute] = [
        StripeEntityRoute(
            entity: "customers",
            path: "customers",
            object: "customer",
            eventTypes: ["customer.created", "customer.updated", "customer.deleted"],
            deletionTypes: ["customer.deleted"]
        ),
        StripeEntityRoute(
            entity: "invoices",
            path: "invoices",
            object: "invoice",
            eventTypes: [
                "invoice.created", "invoice.updated", "invoice.deleted", "invoice.finalized", "invoice.finalization_failed",
                "invoice.paid", "invoice.payment_action_required", "invoice.payment_failed", "invoice.payment_succeeded",
                "invoice.sent", "invoice.voided", "invoice.marked_uncollectible", "invoice.overdue",
            ],
            deletionTypes: ["invoice.deleted"]
        ),
        // Stripe has no `payment_intent.updated`: metadata edits to a payment intent reach the hub
        // on its next status change or full listing.
        StripeEntityRoute(
            entity: "payments",
            path: "payment_intents",
            object: "payment_intent",
            eventTypes: [
                "payment_intent.created", "payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled",
                "payment_intent.processing", "payment_intent.requires_action", "payment_intent.amount_capturable_updated",
                "payment_intent.partially_funded",
            ],
            deletionTypes: []
        ),
        StripeEntityRoute(
            entity: "products",
            path: "products",
            object: "product",
            eventTypes: ["product.created", "product.updated", "product.deleted"],
            deletionTypes: ["product.deleted"]
        ),
        StripeEntityRoute(
            entity: "prices",
            path: "prices",
            object: "price",
            eventTypes: ["price.created", "price.updated", "price.deleted"],
            deletionTypes: ["price.deleted"]
        ),
        StripeEntityRoute(
            entity: "subscriptions",
            path: "subscriptions",
            object: "subscription",
            eventTypes: [
                "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
                "customer.subscription.paused", "customer.subscription.resumed", "customer.subscription.pending_update_applied",
                "customer.subscription.pending_update_expired", "customer.subscription.trial_will_end",
            ],
            deletionTypes: []
        ),
        StripeEntityRoute(
            entity: "charges",
            path: "charges",
            object: "charge",
            eventTypes: [
                "charge.succeeded", "charge.failed", "charge.pending", "charge.captured", "charge.expired", "charge.updated",
                "charge.refunded",
            ],
            deletionTypes: []
        ),
        StripeEntityRoute(
            entity: "payouts",
            path: "payouts",
            object: "payout",
            eventTypes: [
                "payout.created", "payout.updated", "payout.paid", "payout.failed", "payout.canceled",
                "payout.reconciliation_completed",
            ],
            deletionTypes: []
        ),
        StripeEntityRoute(
            entity: "balance_transactions",
            path: "balance_transactions",
            object: "balance_transaction",
            eventTypes: nil,
            deletionTypes: []
        ),
    ]

    /// The query that selects this entity's change stream: its event types on `/v1/events`, or
    /// nothing extra on its own list.
    var changeQuery: [(String, String)] {
        (eventTypes ?? []).map { ("types[]", $0) }
    }

    /// `events` or the entity's own path: the list walked for changes.
    var changePath: String {
        eventTypes == nil ? path : "events"
    }
}
