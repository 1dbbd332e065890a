import HubCore

/// The credential check and single-object calls. Every write carries an `Idempotency-Key` (the
/// caller's, or one generated per call and kept across the transport's retries), so a write
/// whose response was lost is retried without creating a second object.
extension StripeConnector: DataConnector {
    public static let apiBaseURL = "https://api.stripe.com"

    /// `GET /v1/balance` checks the key (Stripe's own advice: it needs no permission a working key
    /// lacks); `GET /v1/account` then names the account, when the key may read it (a restricted
    /// key may not, which is no failure).
    public func testConnection() async throws(ConnectorError) -> ConnectionCheck {
        _ = try await api.get("balance", entity: "balance")
        do throws(ConnectorError) {
            let account = try await api.get("account", entity: "account")
            let name =
                account[stripe: "settings"]?[stripe: "dashboard"]?[stripe: "display_name"]?.stripeString
                ?? account[stripe: "business_profile"]?[stripe: "name"]?.stripeString
            return ConnectionCheck(accountID: account[stripe: "id"]?.stripeString, accountName: name)
        } catch .permissionDenied {
            return ConnectionCheck(accountID: nil, accountName: nil)
        }
    }

    public func get(_ entity: String, id: String) async throws(ConnectorError) -> ProviderRecord {
        let route = try route(entity, allowing: .read)
        let object = try await api.get("\(route.path)/\(try Self.pathComponent(id))", entity: entity, id: id)
        // A deleted customer still answers, as `{"id": …, "deleted": true}`.
        if object[stripe: "deleted"]?.stripeBool == true { throw .notFound(entity: entity, id: id) }
        return try Self.record(object, route: route, changedAt: nil)
    }

    /// Creates an object from Stripe's own fields (bracket-encoded as Stripe expects). An invoice
    /// given `lines` (`[{"amount", "currency", "description"}]` or `[{"price", "quantity"}]`) is
    /// created with them; see `createInvoice`.
    public func create(_ entity: String, fields: JSONValue, idempotencyKey: String?) async throws(ConnectorError) -> ProviderRecord {
        let route = try route(entity, allowing: .create)
        if entity == "invoices", case .object(var invoice) = fields, let lines = invoice.removeValue(forKey: "lines") {
            let parsed = try StripeInvoiceLine.lines(from: lines)
            guard let customer = invoice.removeValue(forKey: "customer")?.stripeString else {
                throw .validation(message: "an invoice needs a customer", field: "customer")
            }
            return try await createInvoice(customer: customer, lines: parsed, fields: .object(invoice), idempotencyKey: idempotencyKey)
        }
        let object = try await api.post(route.path, form: fields, idempotencyKey: idempotencyKey, entity: entity)
        return try Self.record(object, route: route, changedAt: nil)
    }

    public func update(_ entity: String, id: String, fields: JSONValue, idempotencyKey: String?) async throws(ConnectorError) -> ProviderRecord {
        let route = try route(entity, allowing: .update)
        let object = try await api.post(
            "\(route.path)/\(try Self.pathComponent(id))",
            form: fields,
            idempotencyKey: idempotencyKey,
            entity: entity,
            id: id
        )
        return try Self.record(object, route: route, changedAt: nil)
    }

    /// Deletes (customers, products, draft invoices) or cancels (subscriptions) an object.
    public func delete(_ entity: String, id: String) async throws(ConnectorError) {
        let route = try route(entity, allowing: .delete)
        _ = try await api.delete("\(route.path)/\(try Self.pathComponent(id))", entity: entity, id: id)
    }

    func route(_ entity: String, allowing operation: EntityOperation) throws(ConnectorError) -> StripeEntityRoute {
        _ = try entityDefinition(entity, allowing: operation)
        guard let route = StripeEntityRoute.route(for: entity) else {
            throw .unsupported("the Stripe connector has no route for \(entity)")
        }
        return route
    }

    /// An id as one path segment. Stripe ids are `[A-Za-z0-9_]`; anything else could address
    /// another path, so it is refused rather than escaped.
    static func pathComponent(_ id: String) throws(ConnectorError) -> String {
        guard !id.isEmpty, id.utf8.count <= 255,
            id.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") })
        else { throw .validation(message: "'\(id)' is not a Stripe id", field: "id") }
        return id
    }
}
