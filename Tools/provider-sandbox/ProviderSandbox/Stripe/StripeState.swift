import Foundation
import HubCore

/// Everything the emulated Stripe account holds, as one value: the store guards it with a mutex
/// and every API or admin call mutates it in one critical section, so each call is atomic and its
/// events are in the order the changes happened.
struct StripeState: Sendable {
    /// Who or what made the current change; it becomes the event's `request`.
    struct Change: Sendable {
        var now: Int
        var requestID: String?
        var idempotencyKey: String?

        static func admin(now: Int) -> Change { Change(now: now, requestID: nil, idempotencyKey: nil) }
    }

    var collections: [String: StripeCollection] = [:]
    var sequence = 0
    var random: SeededGenerator
    /// Deleted customers still answer `GET` with `{"deleted": true}`, as Stripe's do.
    var deletedCustomers: Set<String> = []
    var balanceAvailable = 0
    var balancePending = 0
    var invoiceNumber = 0
    let accountID: String
    /// The change being made; set by the store before each call.
    var change = Change(now: 0)
    /// Events produced by the current call, drained by the store to be signed and sent.
    var emitted: [[UInt8]] = []
    /// False while loading objects that predate the event history.
    var recordsEvents = true

    /// An account holding `volume` seeded objects of each seeded kind (`StripeSeed`), generated
    /// as they are read: making the account costs the same at any volume.
    init(seed: UInt64, volume: Int = 0) {
        random = SeededGenerator(seed: seed ^ 0x5712_1BE0)
        accountID = "acct_" + random.stripeToken(16)
        let seeded = StripeSeed(seed: seed, volume: volume)
        for resource in StripeResource.all {
            collections[resource.path] = StripeCollection(seeded: seeded.count(resource) > 0 ? .init(seed: seeded, resource: resource) : nil)
        }
        sequence = max(0, volume)
        balanceAvailable = seeded.balanceAvailable
    }

    var now: Int { change.now }

    mutating func newID(_ resource: StripeResource) -> String {
        "\(resource.idPrefix)_" + random.stripeToken(24)
    }

    mutating func newID(prefix: String) -> String {
        "\(prefix)_" + random.stripeToken(24)
    }

    // MARK: Reading

    func stored(_ resource: StripeResource, _ id: String) -> StripeCollection.Stored? {
        collections[resource.path]?.object(id)
    }

    func fields(_ resource: StripeResource, _ id: String) -> JSONObject? {
        collections[resource.path]?.fields(id)
    }

    /// The object, or Stripe's `resource_missing` naming `param`.
    func require(_ resource: StripeResource, _ id: String, param: String = "id") throws(StripeAPIError) -> JSONObject {
        guard let fields = fields(resource, id) else { throw .missing(resource.object, id: id, param: param) }
        return fields
    }

    func count(_ resource: StripeResource) -> Int {
        collections[resource.path]?.count ?? 0
    }

    // MARK: Writing

    /// Stores a new object at the head of its list.
    mutating func insert(_ resource: StripeResource, _ fields: JSONObject) {
        guard let id = fields["id"]?.stringValue else { return }
        sequence += 1
        let stored = StripeCollection.Stored(
            created: fields["created"]?.integer ?? now,
            sequence: sequence,
            bytes: JSONValue.object(fields).encoded(.identityFirst),
            attributes: Self.attributes(of: fields, for: resource)
        )
        collections[resource.path]?.insert(id: id, stored)
    }

    /// Replaces an existing object's content; its place in the list does not change.
    mutating func replace(_ resource: StripeResource, _ fields: JSONObject) {
        guard let id = fields["id"]?.stringValue else { return }
        collections[resource.path]?.replace(
            id: id,
            bytes: JSONValue.object(fields).encoded(.identityFirst),
            attributes: Self.attributes(of: fields, for: resource)
        )
    }

    mutating func remove(_ resource: StripeResource, _ id: String) {
        collections[resource.path]?.remove(id: id)
    }

    static func attributes(of fields: JSONObject, for resource: StripeResource) -> [String: String] {
        var attributes: [String: String] = [:]
        for name in resource.filters {
            switch fields[name] {
            case .string(let value): attributes[name] = value
            case .bool(let value): attributes[name] = value ? "true" : "false"
            case .object(let nested): attributes[name] = nested["id"]?.stringValue
            default: break
            }
        }
        return attributes
    }

    // MARK: Events

    /// Records an event for a change and queues it for delivery. `previous` holds the old values
    /// of the fields an update changed (`data.previous_attributes`).
    mutating func emit(_ type: String, _ object: JSONObject, previous: JSONObject? = nil) {
        guard recordsEvents else { return }
        var data: JSONObject = ["object": .object(object)]
        if let previous { data["previous_attributes"] = .object(previous) }
        let request: JSONValue = [
            "id": .optional(change.requestID), "idempotency_key": .optional(change.idempotencyKey),
        ]
        let event: JSONObject = [
            "id": .string(newID(StripeResource.events)), "object": "event", "api_version": .string(StripeSandbox.apiVersion),
            "created": .int(now), "data": .object(data), "livemode": false, "pending_webhooks": .int(0),
            "request": request, "type": .string(type),
        ]
        insert(.events, event)
        emitted.append(JSONValue.object(event).encoded(.identityFirst))
    }

    /// Applies an update's parameters and records `<prefix>.updated` with what changed.
    mutating func update(_ resource: StripeResource, _ id: String, params: JSONObject) throws(StripeAPIError) -> JSONObject {
        var fields = try require(resource, id)
        guard resource.isWritable else { throw .unrecognizedURL("POST", path: "/v1/\(resource.path)/\(id)") }
        let before = fields
        try StripeParameters.apply(params, to: &fields, allowed: resource.updatable)
        var previous: JSONObject = [:]
        for key in params.keys where key != "expand" && before[key] != fields[key] {
            previous[key] = before[key] ?? .null
        }
        if resource == .products, !previous.isEmpty { fields["updated"] = .int(now) }
        replace(resource, fields)
        // Stripe has no `payment_intent.updated`: edits to a payment intent fire no event.
        if !previous.isEmpty, resource != .paymentIntents { emit("\(resource.eventPrefix).updated", fields, previous: previous) }
        return fields
    }

    /// The objects kinds whose `DELETE` removes them. Subscriptions are cancelled instead (see
    /// `cancelSubscription`); invoices only while they are drafts.
    mutating func delete(_ resource: StripeResource, _ id: String) throws(StripeAPIError) -> JSONObject {
        let fields = try require(resource, id)
        switch resource {
        case .customers:
            deletedCustomers.insert(id)
        case .invoices:
            guard fields["status"]?.stringValue == "draft" else {
                throw .invalid("You can only delete draft invoices.", param: nil, code: "invoice_not_editable")
            }
        case .products:
            var query = StripeCollection.Query()
            query.limit = 1
            query.attributes = ["product": [id]]
            if let prices = try? collections[StripeResource.prices.path]?.page(query), !prices.objects.isEmpty {
                throw .invalid("This product cannot be deleted because it has one or more user-created prices.", param: nil)
            }
        case .invoiceItems:
            try detachInvoiceItem(fields)
        case .subscriptions:
            return try cancelSubscription(id)
        default:
            guard resource.deletable else { throw .unrecognizedURL("DELETE", path: "/v1/\(resource.path)/\(id)") }
        }
        remove(resource, id)
        emit("\(resource.eventPrefix).deleted", fields)
        return ["id": .string(id), "object": .string(resource.object), "deleted": true]
    }
}
