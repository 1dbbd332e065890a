import Foundation
import HubCore

/// A token endpoint's JSON answer, read the standard way (RFC 6749 §5.1): `access_token`,
/// `refresh_token`, `expires_in` (a number, or a numeric string as some providers send),
/// and the granted scopes (`scope` joined by the provider's separator, or a `scopes` list).
/// Providers read their own extra fields (`instance_url`, `team`) with `string(_:)` and `object(_:)`.
struct OAuthTokenResponse: Sendable {
    var fields: [String: JSONValue]

    /// A string field, or a number written as an integer (`hub_id`).
    func string(_ key: String) -> String? {
        fields[key]?.idText
    }

    /// A nested object's string field (`team.id`).
    func string(_ key: String, in parent: String) -> String? {
        fields[parent]?[key]?.idText
    }

    /// A duration in seconds, from a number or a numeric string.
    func seconds(_ key: String) -> TimeInterval? {
        switch fields[key] {
        case .number(let value)?: value
        case .string(let text)?: TimeInterval(text)
        default: nil
        }
    }

    /// The standard fields as tokens (no account yet: the connector learns it next).
    func tokens(wire: OAuthWire, now: Date = Date()) throws(ConnectorError) -> OAuthTokens {
        guard let access = string("access_token"), !access.isEmpty else {
            throw .invalidResponse("\(wire.name)'s token response has no access_token")
        }
        let refresh = string("refresh_token").flatMap { $0.isEmpty ? nil : $0 }
        return OAuthTokens(
            accessToken: access,
            refreshToken: refresh,
            expiresAt: seconds("expires_in").map { now.addingTimeInterval($0) },
            refreshTokenExpiresAt: wire.refreshTokenLifetimeField.flatMap(seconds).map { now.addingTimeInterval($0) },
            scopes: scopes(separator: wire.scopeSeparator)
        )
    }

    /// The granted scopes: `scope` split on the separator (spaces around it tolerated), else a
    /// `scopes` list (HubSpot).
    func scopes(separator: String) -> [String] {
        switch fields["scope"] ?? fields["scopes"] {
        case .string(let text)?:
            return text.components(separatedBy: separator).map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        case .array(let items)?:
            return items.compactMap(\.idText)
        default:
            return []
        }
    }
}
