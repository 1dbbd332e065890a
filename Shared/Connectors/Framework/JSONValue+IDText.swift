import HubCore

extension JSONValue {
    /// A string, or an integral number as its decimal digits: ids arrive either way (HubSpot's
    /// `hub_id`, Shopify's object ids are numbers; most others are strings).
    ///
    /// A number is decoded as a `Double`, exact only up to 2^53: beyond that (or when it is not
    /// integral) there is no id to give, rather than a neighbouring one, and no trap converting it.
    var idText: String? {
        switch self {
        case .string(let text): text
        case .number(let number):
            Int64(exactly: number).flatMap { $0.magnitude <= 1 << 53 ? String($0) : nil }
        default: nil
        }
    }
}
