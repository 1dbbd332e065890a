/// A connector's list cursor and checkpoint as text behind the connector's prefix (`qbo1:`,
/// `sf1:`…): one made by another connector, or edited, is refused as the caller's error instead
/// of being read as something it is not.
protocol PrefixedListCursor {
    /// What a checkpoint counts: seconds or milliseconds since 1970, as the provider's times are.
    associatedtype Checkpoint: FixedWidthInteger
    static var prefix: String { get }
    /// The connector's name in refusals ("PayPal").
    static var connectorName: String { get }
}

extension PrefixedListCursor {
    static func checkpoint(_ value: Checkpoint) -> String {
        "\(prefix)\(value)"
    }

    static func checkpoint(decoding text: String) throws(ConnectorError) -> Checkpoint {
        guard text.hasPrefix(prefix), let value = Checkpoint(text.dropFirst(prefix.count)) else {
            throw .validation(message: "the checkpoint '\(text)' was not made by the \(connectorName) connector", field: "since")
        }
        return value
    }

    static var invalid: ConnectorError {
        .validation(message: "the cursor was not made by the \(connectorName) connector", field: "cursor")
    }
}
