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
        case .tenantChoiceRequired(let count):
            .conflict(
                "the grant reaches \(count) organisations and none is chosen yet; choose one with PUT …/tenant",
                code: "tenant_choice_required"
            )
        case .unknownTenant(let id):
            .validation("'\(id)' is not an organisation this connection's grant reaches; GET …/tenants lists them", field: "tenant_id")
        case .tenantAlreadyChosen:
            .conflict(
                "this connection already uses another organisation; disconnect and connect again to use a different one",
                code: "tenant_already_chosen"
            )
        case .credentialsRefused(let message):
            APIError(
                .unprocessableContent,
                code: "credentials_refused",
                message: "the provider refused the new credentials, so the connection keeps its previous ones: \(message)"
            )
        case .credentialsUnchecked(let message):
            APIError(
                .serviceUnavailable,
                code: "credentials_unchecked",
                message: "the new credentials could not be checked with the provider, so nothing changed; try again: \(message)",
                headers: [.retryAfter: "30"]
            )
        }
    }
}
