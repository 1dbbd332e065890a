import HubCore

/// One page of a Stripe list, with the text of each object in its `data` as Stripe wrote it.
struct StripeListPage {
    var page: JSONValue
    var texts: [ArraySlice<UInt8>]

    var items: [JSONValue] { page[stripe: "data"]?.stripeArray ?? [] }
    var hasMore: Bool { page[stripe: "has_more"]?.stripeBool == true }

    /// The page's objects as records of a full listing, each with its text.
    func records(_ route: StripeEntityRoute) throws(ConnectorError) -> [ProviderRecord] {
        let items = items
        var records = try items.map { item throws(ConnectorError) in try StripeConnector.record(item, route: route, changedAt: nil) }
        if texts.count == items.count {
            for index in records.indices { records[index].payloadText = texts[index] }
        }
        return records
    }
}
