import Foundation
import HubCore

/// Where one attempt connects: the URL as the subscription holds it, and the checked address the
/// connection must go to (never a second DNS answer).
public struct WebhookTarget: Sendable, Equatable {
    public var url: String
    public var host: String
    /// The address that passed the policy, as text (`93.184.216.34`, `2001:db8::1`).
    public var address: String
}

/// Checks subscription URLs against server-side request forgery, at creation and again before
/// every attempt: the scheme (`https`, or `http` when the operator allows it), no credentials in
/// the URL, and every address the host resolves to must pass `TargetAddressPolicy`; the attempt
/// then connects to the address checked here, so a DNS answer that changes between check and
/// connect (rebinding) cannot steer it.
public struct URLGuard: Sendable {
    public let allowHTTP: Bool
    public let policy: TargetAddressPolicy
    public let resolver: any HostResolver

    public init(allowHTTP: Bool, policy: TargetAddressPolicy, resolver: any HostResolver = SystemHostResolver()) {
        self.allowHTTP = allowHTTP
        self.policy = policy
        self.resolver = resolver
    }

    /// From configuration; an allow-list entry that is not an address or network stops the service.
    public init(configuration: WebhookConfiguration, resolver: any HostResolver = SystemHostResolver()) throws(ConfigurationError) {
        var ranges: [IPAddressRange] = []
        var problems: [String] = []
        for entry in configuration.allowedTargets {
            if let range = IPAddressRange(entry) {
                ranges.append(range)
            } else {
                problems.append("HUB_WEBHOOK_ALLOWED_TARGETS: '\(entry)' is not an IP address or network (e.g. 127.0.0.1, 10.0.0.0/8, ::1)")
            }
        }
        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
        self.init(allowHTTP: configuration.allowHTTP, policy: TargetAddressPolicy(allowed: ranges), resolver: resolver)
    }

    /// The URL's syntax alone (no DNS): scheme, host, no user info or fragment.
    public func parse(_ text: String) throws(URLRefusal) -> URLComponents {
        guard text.utf8.count <= 2_048, let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else { throw .malformed }
        guard scheme == "https" || (scheme == "http" && allowHTTP) else { throw .scheme(allowHTTP: allowHTTP) }
        guard components.user == nil, components.password == nil else { throw .credentials }
        guard components.fragment == nil else { throw .malformed }
        return components
    }

    /// Resolves the host and picks the first address the policy permits; refused when none does.
    public func check(_ text: String) async throws(URLRefusal) -> WebhookTarget {
        let components = try parse(text)
        let host = components.host ?? ""
        let addresses: [[UInt8]]
        do {
            addresses = try await resolver.resolve(host: host)
        } catch {
            throw .unresolvable(host)
        }
        guard !addresses.isEmpty else { throw .unresolvable(host) }
        guard let permitted = addresses.first(where: policy.permits) else { throw .forbiddenAddress(host) }
        return WebhookTarget(url: text, host: host, address: IPAddressRange.format(permitted))
    }
}

/// Why a subscription URL is refused. The messages name the rule, never an internal address the
/// host resolved to (that would let a caller map the private network).
public enum URLRefusal: Error, Equatable, CustomStringConvertible {
    case malformed
    case scheme(allowHTTP: Bool)
    case credentials
    case unresolvable(String)
    case forbiddenAddress(String)

    public var description: String {
        switch self {
        case .malformed: "the URL is not an absolute http(s) URL with a host (and no fragment)"
        case .scheme(let allowHTTP): allowHTTP ? "the URL must be http or https" : "the URL must be https"
        case .credentials: "the URL may not carry a user name or password"
        case .unresolvable(let host): "the host '\(host)' does not resolve"
        case .forbiddenAddress(let host): "the host '\(host)' resolves to a private, loopback, link-local or reserved address"
        }
    }

    public var code: String {
        switch self {
        case .malformed, .credentials: "invalid_url"
        case .scheme: "url_scheme_not_allowed"
        case .unresolvable: "url_unresolvable"
        case .forbiddenAddress: "url_not_allowed"
        }
    }
}
