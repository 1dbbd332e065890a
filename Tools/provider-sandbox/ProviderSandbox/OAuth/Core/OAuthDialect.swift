/// How a provider's authorization server writes its errors: the status, the body shape and the
/// error names differ enough (Slack answers HTTP 200 with `ok: false`, HubSpot adds `status` and
/// `message`, Salesforce names `invalid_client_id`, Shopify says `invalid_request` for a used code)
/// that each provider gets a case, rendered in one place by `OAuthFailure`.
public enum OAuthDialect: String, Sendable, Codable {
    case quickbooks
    case xero
    case salesforce
    case hubspot
    case slack
    case shopify
    case paypal
}
