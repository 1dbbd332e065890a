/// The nine categories the catalog groups providers into. Some have no provider yet (storage,
/// shipping); they are listed anyway so a client can render a stable set of tabs.
public enum ProviderCategory: String, Codable, Sendable, CaseIterable, Hashable {
    case payments
    case accounting
    case automation
    case communication
    case storage
    case crm
    case ecommerce
    case banking
    case shipping

    /// The name a person reads.
    public var displayName: String {
        switch self {
        case .payments: "Payments"
        case .accounting: "Accounting"
        case .automation: "Automation"
        case .communication: "Communication"
        case .storage: "Storage"
        case .crm: "CRM"
        case .ecommerce: "E-commerce"
        case .banking: "Banking"
        case .shipping: "Shipping"
        }
    }
}
