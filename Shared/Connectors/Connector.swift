/// What every provider's connector declares. The catalog, connection and sync services work only
/// through this protocol, never by naming a provider.
///
/// The connector framework issue extends it with the calls (test, list, get, create, update,
/// delete, webhook verification); today it carries the definition the catalog is derived from.
public protocol Connector: Sendable {
    static var definition: ProviderDefinition { get }
}
