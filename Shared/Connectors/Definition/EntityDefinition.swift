/// The type of one field of an entity, as the catalog advertises it.
public enum FieldType: String, Codable, Sendable, Hashable {
    case string
    case integer
    case decimal
    case boolean
    /// An instant, ISO 8601 in UTC.
    case datetime
    /// A calendar date, `YYYY-MM-DD`.
    case date
    /// An amount in the currency's minor unit (cents), as an integer.
    case money
    /// An ISO 4217 code.
    case currency
    case email
    case url
    /// An identifier assigned by the provider.
    case id
    case object
    case array
}

/// One field of an entity's schema.
public struct EntityField: Codable, Sendable, Hashable {
    enum CodingKeys: String, CodingKey {
        case name
        case type
        case required
        case readOnly = "read_only"
        case description
    }

    public var name: String
    public var type: FieldType
    public var required: Bool
    public var readOnly: Bool
    public var description: String?

    public init(_ name: String, _ type: FieldType, required: Bool = false, readOnly: Bool = false, description: String? = nil) {
        self.name = name
        self.type = type
        self.required = required
        self.readOnly = readOnly
        self.description = description
    }
}

/// What may be done to an entity at the provider.
public enum EntityOperation: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    case read
    case create
    case update
    case delete

    /// Read, create, update, delete: the order the catalog lists them in.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.rank < rhs.rank
    }

    private var rank: Int {
        switch self {
        case .read: 0
        case .create: 1
        case .update: 2
        case .delete: 3
        }
    }
}

/// One kind of record a provider holds, under the hub's canonical entity type name.
public struct EntityDefinition: Codable, Sendable, Hashable {
    enum CodingKeys: String, CodingKey {
        case name
        case providerObject = "provider_object"
        case fields
        case operations
        case incremental
    }

    /// The hub's entity type (`customers`, `invoices`, `payments`, `products`, `contacts`,
    /// `bank_accounts`, `bank_transactions`, …): what sync configurations name.
    public var name: String
    /// The provider's own name for it (`payment_intents`, `orders`, `Invoice`).
    public var providerObject: String
    public var fields: [EntityField]
    public var operations: [EntityOperation]
    /// Whether the provider can list only what changed since a stored cursor or time.
    public var incremental: Bool

    public init(name: String, providerObject: String, fields: [EntityField], operations: [EntityOperation], incremental: Bool) {
        self.name = name
        self.providerObject = providerObject
        self.fields = fields
        self.operations = operations.sorted()
        self.incremental = incremental
    }
}
