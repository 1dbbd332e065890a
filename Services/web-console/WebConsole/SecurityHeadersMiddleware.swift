import HTTPTypes
import HubCore
import Hummingbird

/// Every console response carries a strict Content-Security-Policy (no inline script or style,
/// nothing from another origin, no framing; Plaid Link's page alone adds Link's origin) and the
/// usual hardening headers.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext

    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        + "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        // A page that needs more (Plaid Link's script and frame) sets its own, built from this one.
        if response.headers[HTTPField.Name("Content-Security-Policy")!] == nil {
            response.headers[HTTPField.Name("Content-Security-Policy")!] = Self.contentSecurityPolicy
        }
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        return response
    }
}
