import HubCore

/// Customers: Shopify requires a name, phone or email, and an email unique in the store.
extension ShopifyShop {
    static let protectedCustomerFields: Set<String> = [
        "id", "created_at", "updated_at", "admin_graphql_api_id", "orders_count", "total_spent", "addresses", "default_address",
    ]

    mutating func createCustomer(_ fields: JSONObject, at: Int64) throws(ShopifyAPIError) -> (JSONObject, [ShopifyEvent]) {
        guard ["email", "phone", "first_name", "last_name"].contains(where: { fields[$0].map { !$0.isBlank } ?? false }) else {
            throw .invalid("base", "Customer must have a name, phone number or email address")
        }
        let email = fields["email"]?.stringValue?.lowercased()
        if let email, customerID(email: email) != nil { throw .invalid("email", "has already been taken") }
        let id = allocateID()
        let time = JSONValue.string(ShopifyTimestamp.string(at))
        var customer: JSONObject = [
            "email": .null, "first_name": .null, "last_name": .null, "phone": .null, "note": .null, "tags": .string(""),
            "state": .string("disabled"), "verified_email": true, "tax_exempt": false, "currency": .string("USD"),
            "orders_count": 0, "total_spent": .money(0), "last_order_id": .null, "last_order_name": .null,
        ]
        Self.merge(fields, into: &customer, except: Self.protectedCustomerFields)
        customer["id"] = .int(id)
        customer["created_at"] = time
        customer["updated_at"] = time
        customer["admin_graphql_api_id"] = Self.graphQLID("Customer", id)
        setAddresses(fields["addresses"]?.arrayValue?.compactMap(\.objectValue) ?? [], of: &customer, id: id)
        if let email { customerEmails[email] = id }
        store(.customers, id, customer, at: at)
        return (customer, [ShopifyEvent(topic: "customers/create", payload: customer)])
    }

    mutating func updateCustomer(_ id: Int64, _ fields: JSONObject, at: Int64) throws(ShopifyAPIError) -> (JSONObject, [ShopifyEvent]) {
        var customer = try object(.customers, id)
        let oldEmail = customer["email"]?.stringValue?.lowercased()
        if let newEmail = fields["email"]?.stringValue?.lowercased(), newEmail != oldEmail {
            if customerID(email: newEmail) != nil { throw .invalid("email", "has already been taken") }
            if let oldEmail { customerEmails.removeValue(forKey: oldEmail) }
            customerEmails[newEmail] = id
        }
        Self.merge(fields, into: &customer, except: Self.protectedCustomerFields)
        if let addresses = fields["addresses"]?.arrayValue?.compactMap(\.objectValue) { setAddresses(addresses, of: &customer, id: id) }
        customer["updated_at"] = .string(ShopifyTimestamp.string(at))
        store(.customers, id, customer, at: at)
        return (customer, [ShopifyEvent(topic: "customers/update", payload: customer)])
    }

    mutating func deleteCustomer(_ id: Int64) throws(ShopifyAPIError) -> [ShopifyEvent] {
        let customer = try object(.customers, id)
        if let email = customer["email"]?.stringValue?.lowercased() { customerEmails.removeValue(forKey: email) }
        discard(.customers, id)
        return [ShopifyEvent(topic: "customers/delete", payload: ["id": .int(id)])]
    }

    /// Gives each address an id and the customer id; the first is the default.
    private mutating func setAddresses(_ addresses: [JSONObject], of customer: inout JSONObject, id: Int64) {
        var result: [JSONValue] = []
        for (index, fields) in addresses.enumerated() {
            var address = fields
            address["id"] = address["id"]?.int64.map { .int($0) } ?? .int(allocateID())
            address["customer_id"] = .int(id)
            address["default"] = .bool(index == 0)
            result.append(.object(address))
        }
        customer["addresses"] = .array(result)
        customer["default_address"] = result.first ?? .null
    }
}
