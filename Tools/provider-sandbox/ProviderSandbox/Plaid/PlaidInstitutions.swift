import HubCore

/// The sandbox institutions Plaid documents (`ins_109508` First Platypus Bank, …).
enum PlaidInstitutions {
    static let names: [String: String] = [
        "ins_109508": "First Platypus Bank",
        "ins_109509": "First Gingham Credit Union",
        "ins_109510": "Tattersall Federal Credit Union",
        "ins_109511": "Tartan Bank",
        "ins_109512": "Houndstooth Bank",
    ]

    static func json(_ id: String) -> [String: JSONValue]? {
        guard let name = names[id] else { return nil }
        return [
            "institution_id": .string(id), "name": .string(name), "country_codes": .array([.string("US")]),
            "products": .array(["assets", "auth", "balance", "identity", "transactions"].map(JSONValue.string)),
            "routing_numbers": .array([.string("011401533")]), "oauth": .bool(false), "dtc_numbers": .array([]),
            "url": .null, "logo": .null, "primary_color": .null,
        ]
    }
}
