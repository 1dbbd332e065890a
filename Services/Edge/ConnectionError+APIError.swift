import HubConnections
import HubCore

extension ConnectionError: APIErrorConvertible {
    public var apiError: APIError {
        switch self {
        case .notFound:
            .notFound("connection")
        case .notTestable(let provider):
            .validation("\(provider) connections cannot be tested yet", field: "provider")
        case .invalidCredentials(let fields, let problems):
            .validation("invalid credentials: \(fields.joined(separator: ", "))", details: ["problems": .array(problems)])
        }
    }
}
