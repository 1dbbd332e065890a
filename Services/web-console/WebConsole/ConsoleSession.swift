import Foundation

/// A signed-in browser, kept in Redis under a hash of its cookie: the organization token the
/// console calls the APIs with (never sent to the browser), who it is, and the CSRF token its
/// forms carry.
public struct ConsoleSession: Codable, Sendable, Equatable {
    public var organizationID: UUID
    public var subject: String
    /// The organization token the session was opened with; every API call carries it.
    public var token: String
    /// Echoed in every form (`_csrf`) and in scripts' `X-CSRF-Token`.
    public var csrfToken: String
    public var expiresAt: Date

    enum CodingKeys: String, CodingKey {
        case organizationID = "org"
        case subject = "sub"
        case token
        case csrfToken = "csrf"
        case expiresAt = "exp"
    }
}

/// 256 random bits, base64url without padding: session ids, CSRF tokens, sign-in link ids.
func randomToken() -> String {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    return Data(bytes).base64EncodedString()
        .replacingOccurrences(of: "+", with: "-")
        .replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}
