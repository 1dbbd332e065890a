import Foundation
import HubCore
import Hummingbird

/// Signing in and out. A session is opened from an organization token (what LogiAccounting Pro's
/// backend mints), pasted into the form or carried by a one-time link; the token then lives only
/// in the server-side session.
struct SignInRoutes {
    let console: Console

    func add(to group: RouterGroup<HubRequestContext>, internal internalGroup: RouterGroup<HubRequestContext>) {
        group.get("/") { _, _ in seeOther("/integrations") }
        group.get("/sign-in") { request, _ in
            console.page("sign-in", title: "Sign in", section: "none", session: nil, request: request)
        }
        group.post("/sign-in") { request, context in
            let form = try await FormBody.read(request, context: context)
            let token = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            do {
                return try await open(token: token)
            } catch let error as TokenError {
                return console.page(
                    "sign-in",
                    title: "Sign in",
                    section: "none",
                    session: nil,
                    request: request,
                    values: ["error": "That token was not accepted: \(error.reason)."],
                    status: .unauthorized
                )
            }
        }
        group.get("/sign-in/link/:id") { request, context in
            let id = try context.parameters.require("id")
            return linkPage(request, id: try await console.links.isLive(id) ? id : nil)
        }
        group.post("/sign-in/link/:id") { request, context in
            let id = try context.parameters.require("id")
            guard let token = try await console.links.redeem(id) else { return linkPage(request, id: nil) }
            return try await open(token: token)
        }
        group.post("/sign-out") { request, context in
            _ = try await console.form(request, context: context)
            if let id = Console.cookieValue(request) { try await console.sessions.close(id) }
            return seeOther("/sign-in?notice=signed_out", headers: [.setCookie: Console.clearedCookie])
        }
        internalGroup.post("/sign-in-links") { request, context -> EditedResponse<SignInLink> in
            struct Body: Decodable { var token: String }
            let body = try await request.decodeJSON(as: Body.self, context: context)
            do {
                _ = try await console.verifier.verify(body.token)
            } catch let error as TokenError {
                throw APIError.unauthorized("the token was not accepted: \(error.reason)")
            }
            let id = try await console.links.issue(token: body.token)
            return EditedResponse(status: .created, response: SignInLink(path: "/sign-in/link/\(id)", expiresIn: console.links.lifetimeSeconds))
        }
    }

    /// The link's page: a button that spends a live link (so a prefetch cannot), or "expired".
    func linkPage(_ request: Request, id: String?) -> Response {
        var values: [String: Any] = ["live": id != nil]
        if let id { values["link_id"] = id }
        return console.page(
            "sign-in-link",
            title: "Sign in",
            section: "none",
            session: nil,
            request: request,
            values: values,
            status: id != nil ? .ok : .gone
        )
    }

    func open(token: String) async throws -> Response {
        let identity = try await console.verifier.verify(token)
        let (id, session) = try await console.sessions.open(identity: identity, token: token, tokenExpiresAt: Self.expiry(of: token))
        let maxAge = Int(session.expiresAt.timeIntervalSinceNow)
        return seeOther("/integrations", headers: [.setCookie: Console.sessionCookie(id, maxAge: maxAge)])
    }

    /// The `exp` claim of a token already verified: a session never outlives its token.
    static func expiry(of token: String) -> Date? {
        let parts = token.split(separator: ".")
        guard parts.count == 3 else { return nil }
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let claims = JSONReader.parse(Array(data)),
            let exp = claims["exp"]?.numberValue
        else { return nil }
        return Date(timeIntervalSince1970: exp)
    }
}

struct SignInLink: ResponseEncodable {
    var path: String
    var expiresIn: Int

    enum CodingKeys: String, CodingKey {
        case path
        case expiresIn = "expires_in"
    }
}
