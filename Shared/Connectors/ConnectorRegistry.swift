/// The connectors the hub runs, indexed by provider id: the one place the catalog, connection, OAuth,
/// sync and webhook services learn which providers exist.
///
/// Conventions every definition follows:
/// - Entity names are the hub's plural snake_case types (`customers`, `bank_transactions`); the
///   provider's own name is `providerObject`.
/// - Field names are the provider's wire names; nested values are dotted paths
///   (`CustomerRef.value`, `balances.current`, HubSpot's `properties.email`).
/// - Field types are semantic: `money` only for integer minor units (Stripe), `decimal` for decimal
///   numbers and decimal strings, `datetime` for any instant whatever its wire form (unix seconds,
///   ISO 8601, Xero's `/Date(…)/`).
/// - `required` means required to create; ids, audit times and computed totals are `readOnly`.
/// - Webhook events are the provider's own names; where the provider splits them in two, they are
///   joined with a dot (Plaid `TRANSACTIONS.SYNC_UPDATES_AVAILABLE`, Xero `INVOICE.UPDATE`,
///   QuickBooks `Invoice.Create`).
/// - Capabilities follow from the rest: `oauth` for the authorization-code redirect, `api_key` for
///   credentials the organization enters (API keys, client credentials), `webhooks` when webhook
///   events are listed, `sync` when an entity can be read, `push` when one can be written,
///   `realtime` when webhooks trigger syncs. The registry serves `sync`, `push` and `realtime`
///   only where the connector really implements them (`ProviderDefinition.implemented(by:)`): a
///   definition may describe entities before its `DataConnector` exists.
public struct ConnectorRegistry: Sendable {
    /// Why a list of connectors cannot form a registry. Each is a programmer error.
    enum ValidationError: Error, Equatable, CustomStringConvertible {
        /// Two connectors declare the same provider id.
        case duplicateID(String)
        /// A provider id is not lowercase letters, digits and underscores, starting with a letter.
        case invalidID(String)

        var description: String {
            switch self {
            case .duplicateID(let id): "two connectors declare the provider id '\(id)'"
            case .invalidID(let id): "'\(id)' is not a valid provider id (lowercase letters, digits, '_')"
            }
        }
    }

    /// The ten providers the hub ships with.
    public static let standard = ConnectorRegistry([
        StripeConnector.self,
        PayPalConnector.self,
        QuickBooksConnector.self,
        XeroConnector.self,
        ZapierConnector.self,
        SlackConnector.self,
        ShopifyConnector.self,
        PlaidConnector.self,
        SalesforceConnector.self,
        HubSpotConnector.self,
    ])

    /// Every provider's definition, sorted by id.
    public let definitions: [ProviderDefinition]
    private let connectorsByID: [String: any Connector.Type]
    private let definitionsByID: [String: ProviderDefinition]

    /// Builds a registry from connector types. Two connectors with the same id, or an id that is not
    /// lowercase snake_case, stop the process: the list is written in code, so either is a bug.
    public init(_ connectors: [any Connector.Type]) {
        do {
            try self.init(validating: connectors)
        } catch {
            preconditionFailure("Invalid connector registry: \(error)")
        }
    }

    /// Builds a registry, throwing instead of trapping when the list is invalid; the public
    /// initializer's checks, separated so they can be tested.
    init(validating connectors: [any Connector.Type]) throws(ValidationError) {
        var byID: [String: any Connector.Type] = [:]
        for connector in connectors {
            let id = connector.definition.id
            guard Self.isValidID(id) else { throw .invalidID(id) }
            guard byID.updateValue(connector, forKey: id) == nil else { throw .duplicateID(id) }
        }
        let definitions = byID.values.map { $0.definition.implemented(by: $0) }.sorted { $0.id < $1.id }
        self.connectorsByID = byID
        self.definitionsByID = Dictionary(uniqueKeysWithValues: definitions.map { ($0.id, $0) })
        self.definitions = definitions
    }

    /// Every provider id, sorted.
    public var ids: [String] {
        definitions.map(\.id)
    }

    /// The connector for a provider id, or nil when the hub has no such provider.
    public func connector(id: String) -> (any Connector.Type)? {
        connectorsByID[id]
    }

    /// The definition for a provider id, or nil when the hub has no such provider.
    public func definition(id: String) -> ProviderDefinition? {
        definitionsByID[id]
    }

    private static func isValidID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
