import HTTPTypes
import Hummingbird

/// Plaid's own header names.
enum PlaidHeader {
    static let clientID = name("PLAID-CLIENT-ID")
    static let secret = name("PLAID-SECRET")

    private static func name(_ raw: String) -> HTTPField.Name {
        guard let name = HTTPField.Name(raw) else { preconditionFailure("'\(raw)' is not a header name") }
        return name
    }
}
