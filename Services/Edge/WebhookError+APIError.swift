import HubCore
import HubWebhooks

extension WebhookError: APIErrorConvertible {
    public var apiError: APIError {
        switch self {
        case .subscriptionNotFound: .notFound("webhook subscription")
        case .eventIDConflict: .conflict("an event with this id already exists", code: "event_id_conflict")
        }
    }
}

extension URLRefusal: APIErrorConvertible {
    public var apiError: APIError {
        APIError(.unprocessableContent, code: code, message: description, details: ["field": "url"])
    }
}
