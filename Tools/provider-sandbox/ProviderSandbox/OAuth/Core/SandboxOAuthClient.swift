import Foundation

/// An OAuth client (an "app") registered with one emulated authorization server: what the hub's
/// operator would create in the provider's developer console.
///
/// Redirect URIs: there is no browser in the sandbox and tests pick free ports, so every loopback
/// redirect (`http://127.0.0.1:*`, `http://localhost:*`, `http://[::1]:*`) is accepted for every
/// client, plus the exact URIs listed in `redirectURIs`. Anything else is refused the way the
/// provider refuses an unregistered redirect.
public struct SandboxOAuthClient: Codable, Sendable, Hashable {
    enum CodingKeys: String, CodingKey {
        case id = "client_id"
        case secret = "client_secret"
        case redirectURIs = "redirect_uris"
    }

    public var id: String
    public var secret: String
    /// Non-loopback redirect URIs registered for the client, matched exactly.
    public var redirectURIs: [String]

    public init(id: String, secret: String, redirectURIs: [String] = []) {
        self.id = id
        self.secret = secret
        self.redirectURIs = redirectURIs
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        secret = try container.decode(String.self, forKey: .secret)
        redirectURIs = try container.decodeIfPresent([String].self, forKey: .redirectURIs) ?? []
    }

    /// Whether `uri` may receive this client's authorization responses.
    public func accepts(redirectURI uri: String) -> Bool {
        if redirectURIs.contains(uri) { return true }
        guard let components = URLComponents(string: uri), components.scheme == "http", components.fragment == nil,
            let host = components.host?.lowercased()
        else { return false }
        return ["127.0.0.1", "localhost", "[::1]", "::1"].contains(host)
    }

    /// Compares the presented secret in constant time, as a real server must.
    func secretMatches(_ presented: String?) -> Bool {
        guard let presented else { return false }
        let expected = Array(secret.utf8)
        let given = Array(presented.utf8)
        var difference = UInt8(expected.count == given.count ? 0 : 1)
        for index in 0..<max(expected.count, given.count) {
            let left = index < expected.count ? expected[index] : 0
            let right = index < given.count ? given[index] : 0
            difference |= left ^ right
        }
        return difference == 0
    }
}
