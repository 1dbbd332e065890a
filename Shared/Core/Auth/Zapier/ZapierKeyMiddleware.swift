import HTTPTypes
import Hummingbird

/// Requires an organization's Zapier API key on the Zapier routes (and only there: the key is
/// no user token). Zapier's API-key authentication sends it in a header the app chooses; the hub
/// takes `X-API-Key` or `Authorization: Bearer <key>`. Every refusal is the same 401, and the key
/// is never logged.
public struct ZapierKeyMiddleware: RouterMiddleware {
    public typealias Context = HubRequestContext
    let keys: ZapierKeyStore

    public init(keys: ZapierKeyStore) {
        self.keys = keys
    }

    static let header = HTTPField.Name("X-API-Key")!

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let presented: String
        if let value = request.headers[Self.header], !value.isEmpty {
            presented = value.trimmingWhitespace()
        } else if let bearer = try? BearerToken.extract(from: request) {
            presented = bearer
        } else {
            throw APIError.unauthorized("a Zapier API key is required (X-API-Key header or Authorization: Bearer)")
        }
        guard let key = try await keys.authenticate(presented) else {
            context.logger.info("zapier key refused")
            throw APIError.unauthorized("the API key is not valid or was revoked")
        }
        var context = context
        context.identity = Identity(organizationID: key.organizationID, subject: "zapier-key:\(key.id.uuidString.lowercased())")
        context.zapierKey = key
        context.logger[metadataKey: "org_id"] = "\(key.organizationID.uuidString.lowercased())"
        return try await next(request, context)
    }
}
