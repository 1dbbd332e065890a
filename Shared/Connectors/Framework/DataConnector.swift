import HubCore

/// A connector that reads and writes a provider's records. The sync engine and the connection
/// service use providers only through this protocol.
public protocol DataConnector: TestableConnector {
    /// One page of an entity, with the provider's own pagination; see `ListRequest.since` for
    /// incremental listings.
    func list(_ request: ListRequest) async throws(ConnectorError) -> RecordPage

    func get(_ entity: String, id: String) async throws(ConnectorError) -> ProviderRecord

    /// Creates an object. `idempotencyKey` makes a retried create safe where the provider honours
    /// one; the same key always yields the same object.
    func create(_ entity: String, fields: JSONValue, idempotencyKey: String?) async throws(ConnectorError) -> ProviderRecord

    func update(_ entity: String, id: String, fields: JSONValue, idempotencyKey: String?) async throws(ConnectorError) -> ProviderRecord

    func delete(_ entity: String, id: String) async throws(ConnectorError)

    /// The provider's mapping of each entity (by hub entity name) to its canonical shape; an
    /// organization's override applies over it (`FieldMapping.overriding(with:)`).
    static var defaultFieldMappings: [String: FieldMapping] { get }

    /// Whether a create sent again after a failure that may have reached the provider (a 5xx, a
    /// lost connection) makes no second object: the provider honours `idempotencyKey`, or the
    /// connector finds what the first made. False and the sync engine never sends it again itself.
    static var createsAreRepeatable: Bool { get }
}

extension DataConnector {
    /// No defaults: every field must be mapped by the organization.
    public static var defaultFieldMappings: [String: FieldMapping] { [:] }

    /// Most providers honour an idempotency key on creates (Stripe, PayPal, QuickBooks, Xero) or
    /// are written by unique external keys (Salesforce, HubSpot).
    public static var createsAreRepeatable: Bool { true }

    /// The entity definition, or `unsupported` naming what the provider offers.
    public func entityDefinition(_ entity: String, allowing operation: EntityOperation) throws(ConnectorError) -> EntityDefinition {
        guard let definition = Self.definition.entity(entity) else {
            let names = Self.definition.entities.map(\.name).joined(separator: ", ")
            throw .unsupported("\(Self.definition.displayName) has no '\(entity)'; it offers: \(names)")
        }
        guard definition.operations.contains(operation) else {
            throw .unsupported("\(Self.definition.displayName) does not allow \(operation.rawValue) on \(entity)")
        }
        return definition
    }
}
