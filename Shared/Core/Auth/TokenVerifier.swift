import Foundation
import JWTKit

/// Checks user tokens and turns them into an `Identity`. Every failure is the same 401 to the
/// caller (with a reason in the message that helps a developer, never key material); the
/// distinction between "expired" and "bad signature" is kept for logs.
public struct TokenVerifier: Sendable {
    let keys: JWTKeyCollection
    let issuer: String?
    let audience: String?
    /// Whether tokens can be minted (an HS256 secret is configured): dev tokens and tests.
    public let canSign: Bool
    let verified = VerifiedTokenCache()

    public init(configuration: AuthConfiguration) async throws {
        let keys = JWTKeyCollection()
        if let secret = configuration.hs256Secret {
            await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        }
        if let pem = configuration.publicKeyPEM {
            if let key = try? EdDSA.PublicKey(pem: pem) {
                await keys.add(eddsa: key)
            } else if let key = try? ES256PublicKey(pem: pem) {
                await keys.add(ecdsa: key)
            } else if let key = try? Insecure.RSA.PublicKey(pem: pem) {
                await keys.add(rsa: key, digestAlgorithm: .sha256)
            } else {
                throw ConfigurationError(problems: ["HUB_JWT_PUBLIC_KEY_PEM is not an Ed25519, P-256 or RSA public key in PEM form"])
            }
        }
        self.keys = keys
        self.issuer = configuration.issuer
        self.audience = configuration.audience
        self.canSign = configuration.hs256Secret != nil
    }

    /// Verifies signature and claims; throws `TokenError` with the reason.
    public func verify(_ token: String) async throws(TokenError) -> Identity {
        if let identity = verified.identity(for: token) { return identity }
        let payload: HubTokenPayload
        do {
            payload = try await keys.verify(token, as: HubTokenPayload.self)
        } catch let error as JWTError {
            throw error.errorType == .claimVerificationFailure ? .expired : .invalid
        } catch {
            throw .invalid
        }
        if let issuer, payload.iss?.value != issuer { throw .wrongIssuer }
        if let audience {
            do { try payload.aud?.verifyIntendedAudience(includes: audience) } catch { throw .wrongAudience }
            if payload.aud == nil { throw .wrongAudience }
        }
        guard let organization = UUID(uuidString: payload.org) else { throw .badOrganization }
        guard !payload.sub.value.isEmpty else { throw .invalid }
        let identity = Identity(organizationID: organization, subject: payload.sub.value)
        verified.remember(token, identity: identity, expiresAt: payload.exp.value)
        return identity
    }

    /// Mints an HS256 token: for `hubctl token` and tests. The accounting product issues real ones.
    public func sign(_ identity: Identity, expiresIn: TimeInterval = 3600) async throws -> String {
        let payload = HubTokenPayload(
            subject: identity.subject,
            organizationID: identity.organizationID,
            expiresAt: Date().addingTimeInterval(expiresIn),
            issuer: issuer,
            audience: audience
        )
        return try await sign(payload)
    }

    public func sign(_ payload: HubTokenPayload) async throws -> String {
        try await keys.sign(payload, kid: nil)
    }
}

/// Why a token was refused. All of them answer 401.
public enum TokenError: Error, Equatable, Sendable {
    case missing
    case malformedHeader
    case invalid
    case expired
    case wrongIssuer
    case wrongAudience
    case badOrganization

    public var reason: String {
        switch self {
        case .missing: "missing bearer token"
        case .malformedHeader: "Authorization header must be 'Bearer <token>'"
        case .invalid: "token is malformed or its signature is invalid"
        case .expired: "token has expired"
        case .wrongIssuer: "token issuer is not accepted"
        case .wrongAudience: "token audience is not accepted"
        case .badOrganization: "token 'org' claim is not an organization id"
        }
    }
}
