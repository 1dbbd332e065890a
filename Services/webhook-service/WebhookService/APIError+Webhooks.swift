import HubCore

extension APIError {
    /// 409 for an action that needs the subscription enabled (test, resend, recover).
    static var subscriptionDisabled: APIError {
        .conflict("the subscription is disabled; enable it first", code: "subscription_disabled")
    }
}
