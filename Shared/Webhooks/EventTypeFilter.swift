/// A subscription's filter: an exact type (`invoice.paid`), a prefix (`invoice.*`), or `*`.
/// Matching is done in SQL (`EventStore.accept` picks the subscriptions of an event); this type
/// only checks that a filter can ever match.
public enum EventTypeFilter {
    /// Why a filter is not acceptable, or nil: it must name a catalog type or a prefix of one, so
    /// a typo is a 422 instead of a subscription that never fires.
    public static func problem(with filter: String, catalog: EventCatalog) -> String? {
        if filter == "*" { return nil }
        if filter.hasSuffix(".*") {
            let prefix = filter.dropLast()
            return catalog.types.contains { $0.type.hasPrefix(prefix) } ? nil : "'\(filter)' matches no event type"
        }
        return catalog.type(named: filter) == nil ? "'\(filter)' is not an event type (see GET /api/v1/integrations/webhooks/event-types)" : nil
    }
}
