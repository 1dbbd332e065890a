import HTTPTypes
import HubCore
import Hummingbird
import NIOCore

/// An error the emulated Stripe API answers with, rendered exactly as Stripe does:
/// `{"error":{"type":…,"code":…,"message":…,"param":…}}` with the status Stripe uses. Handlers
/// throw it; Hummingbird renders it through `HTTPResponseError`.
struct StripeAPIError: Error, HTTPResponseError, Sendable {
    var status: HTTPResponse.Status
    var type: String
    var code: String?
    var message: String
    var param: String?
    var declineCode: String?
    var headers: HTTPFields = [:]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }

    func response() -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        headers[StripeHeaders.requestID] = StripeHeaders.newRequestID()
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bodyBytes)))
    }

    /// `{"error":{…}}` as Stripe writes it.
    var bodyBytes: [UInt8] {
        var error: JSONObject = [:]
        if let code { error["code"] = .string(code) }
        if let declineCode { error["decline_code"] = .string(declineCode) }
        if let code { error["doc_url"] = .string("https://stripe.com/docs/error-codes/\(code.replacingOccurrences(of: "_", with: "-"))") }
        error["message"] = .string(message)
        if let param { error["param"] = .string(param) }
        error["type"] = .string(type)
        return JSONValue.object(["error": .object(error)]).encoded(.identityFirst)
    }

    /// 402: the parameters were valid but the request failed (a declined card).
    static let paymentRequired = HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required")

    // MARK: The errors Stripe answers with

    static func missing(_ object: String, id: String, param: String = "id") -> StripeAPIError {
        StripeAPIError(
            status: .notFound,
            type: "invalid_request_error",
            code: "resource_missing",
            message: "No such \(object): '\(id)'",
            param: param
        )
    }

    static func invalid(_ message: String, param: String?, code: String? = nil) -> StripeAPIError {
        StripeAPIError(status: .badRequest, type: "invalid_request_error", code: code, message: message, param: param)
    }

    static func missingParameter(_ param: String) -> StripeAPIError {
        invalid("Missing required param: \(param).", param: param, code: "parameter_missing")
    }

    static func unknownParameter(_ param: String) -> StripeAPIError {
        invalid("Received unknown parameter: \(param)", param: param, code: "parameter_unknown")
    }

    static func invalidInteger(_ param: String, value: String) -> StripeAPIError {
        invalid("Invalid integer: \(value)", param: param, code: "parameter_invalid_integer")
    }

    static func unrecognizedURL(_ method: String, path: String) -> StripeAPIError {
        StripeAPIError(
            status: .notFound,
            type: "invalid_request_error",
            code: nil,
            message:
                "Unrecognized request URL (\(method): \(path)). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.",
            param: nil
        )
    }

    /// 401 without echoing the key: Stripe shows only its prefix and last four characters.
    static func invalidAPIKey(_ key: String?) -> StripeAPIError {
        guard let key, !key.isEmpty else {
            return StripeAPIError(
                status: .unauthorized,
                type: "invalid_request_error",
                code: nil,
                message: "You did not provide an API key. You need to provide your API key in the Authorization header, "
                    + "using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
                param: nil,
                headers: [.wwwAuthenticate: "Bearer realm=\"Stripe\""]
            )
        }
        return StripeAPIError(
            status: .unauthorized,
            type: "invalid_request_error",
            code: nil,
            message: "Invalid API Key provided: \(mask(key))",
            param: nil,
            headers: [.wwwAuthenticate: "Bearer realm=\"Stripe\""]
        )
    }

    static let expiredAPIKey = StripeAPIError(
        status: .unauthorized,
        type: "invalid_request_error",
        code: "api_key_expired",
        message: "Expired API Key provided: sk_test_*********. Your API key has expired or been revoked.",
        param: nil
    )

    static func rateLimited(retryAfterSeconds: Double) -> StripeAPIError {
        let seconds = retryAfterSeconds.rounded(.up) == retryAfterSeconds ? String(Int(retryAfterSeconds)) : String(retryAfterSeconds)
        return StripeAPIError(
            status: .tooManyRequests,
            type: "invalid_request_error",
            code: "rate_limit",
            message: "Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.",
            param: nil,
            headers: [StripeHeaders.shouldRetry: "true", .retryAfter: seconds]
        )
    }

    static let serverError = StripeAPIError(
        status: .internalServerError,
        type: "api_error",
        code: nil,
        message: "An unknown error occurred. Please try again later.",
        param: nil
    )

    static func idempotencyMismatch(_ key: String) -> StripeAPIError {
        StripeAPIError(
            status: .badRequest,
            type: "idempotency_error",
            code: nil,
            message: "Keys for idempotent requests can only be used with the same parameters they were first used with. "
                + "Try using a key other than '\(key)' if you meant to execute a different request.",
            param: nil
        )
    }

    static func idempotencyInUse(_ key: String) -> StripeAPIError {
        StripeAPIError(
            status: .conflict,
            type: "idempotency_error",
            code: "idempotency_key_in_use",
            message: "There is currently another in-progress request using this Idempotent Key (that probably means you "
                + "submitted twice, and the other request is still going through): \(key). Please try again later.",
            param: nil,
            headers: [StripeHeaders.shouldRetry: "true"]
        )
    }

    static func mask(_ key: String) -> String {
        let prefix =
            key.hasPrefix("sk_test_") || key.hasPrefix("rk_test_") || key.hasPrefix("sk_live_") || key.hasPrefix("rk_live_")
            ? String(key.prefix(8)) : ""
        let tail = key.count > prefix.count + 8 ? String(key.suffix(4)) : ""
        return prefix + String(repeating: "*", count: 12) + tail
    }
}

/// Header names of Stripe's protocol.
enum StripeHeaders {
    static let requestID = name("Request-Id")
    static let shouldRetry = name("Stripe-Should-Retry")
    static let idempotencyKey = name("Idempotency-Key")
    static let idempotentReplayed = name("Idempotent-Replayed")
    static let stripeVersion = name("Stripe-Version")

    private static func name(_ text: String) -> HTTPField.Name {
        guard let name = HTTPField.Name(text) else { preconditionFailure("'\(text)' is not a header name") }
        return name
    }

    static func newRequestID() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        return "req_" + String((0..<14).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }
}
