/// A subscription's filter: an exact type (`invoice.paid`), a prefix (`invoice.*`), or `*`.
/// The same rule is in SQL (`EventStore.matchesFilter`), which picks the subscriptions of an event.
public enum EventTypeFilter {
    public static func matches(_ filter: String, type: String) -> Bool {
        if filter == "*" { return true }
        if filter.hasSuffix(".*") { return type.hasPrefix(filter.dropLast()) }
        return filter == type
    }

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
