import Foundation
import HubCore
import Hummingbird

/// Stripe's authentication: the secret key as a Bearer token, or as the user name of Basic auth
/// (`curl -u sk_test_…:`). A wrong or missing key gets Stripe's 401 without the key echoed back.
struct StripeAuthMiddleware: RouterMiddleware {
    typealias Context = SandboxContext
    let keys: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let key = Self.key(from: request.headers[.authorization])
        guard let key, keys.contains(key) else { return StripeAPIError.invalidAPIKey(key).response() }
        return try await next(request, context)
    }

    static func key(from authorization: String?) -> String? {
        guard let authorization else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return authorization.isEmpty ? nil : authorization }
        switch parts[0].lowercased() {
        case "bearer":
            return String(parts[1]).trimmingWhitespace()
        case "basic":
            guard let data = Data(base64Encoded: String(parts[1])) else { return "" }
            return String(decoding: data, as: UTF8.self).split(separator: ":", omittingEmptySubsequences: false).first.map(String.init)
        default:
            return String(parts[1])
        }
    }
}
