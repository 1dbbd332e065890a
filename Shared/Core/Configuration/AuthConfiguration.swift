import Foundation

/// How callers prove who they are. User requests carry a JWT signed by the accounting product;
/// services call each other's `/internal` routes with a shared service token.
public struct AuthConfiguration: Sendable {
    /// The HS256 secret shared with the accounting product, if it signs that way.
    public var hs256Secret: String?
    /// A PEM public key (Ed25519, RSA or P-256) when the product signs asymmetrically.
    public var publicKeyPEM: String?
    public var issuer: String?
    public var audience: String?
    /// The service credential for `/internal/...` routes. Never accepted on user routes.
    public var internalToken: String

    public init(hs256Secret: String?, publicKeyPEM: String?, issuer: String? = nil, audience: String? = nil, internalToken: String) {
        self.hs256Secret = hs256Secret
        self.publicKeyPEM = publicKeyPEM
        self.issuer = issuer
        self.audience = audience
        self.internalToken = internalToken
    }

    static func load(from env: inout EnvironmentReader) -> AuthConfiguration {
        let secret = env.optional("HUB_JWT_HS256_SECRET", secret: true)
        var pem = env.optional("HUB_JWT_PUBLIC_KEY_PEM")
        if pem == nil, let path = env.optional("HUB_JWT_PUBLIC_KEY_FILE") {
            do {
                pem = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                env.problem("HUB_JWT_PUBLIC_KEY_FILE could not be read: \(path)")
            }
        }
        if secret == nil && pem == nil {
            env.problem("HUB_JWT_HS256_SECRET or HUB_JWT_PUBLIC_KEY_PEM is required: the key that checks user tokens")
        }
        if let secret, secret.utf8.count < 32 {
            env.problem("HUB_JWT_HS256_SECRET must be at least 32 bytes")
        }
        let internalToken = env.required(
            "HUB_INTERNAL_TOKEN",
            secret: true,
            meaning: "the service credential for /internal routes (at least 32 characters)"
        )
        if !internalToken.isEmpty && internalToken.count < 32 {
            env.problem("HUB_INTERNAL_TOKEN must be at least 32 characters")
        }
        return AuthConfiguration(
            hs256Secret: secret,
            publicKeyPEM: pem,
            issuer: env.optional("HUB_JWT_ISSUER"),
            audience: env.optional("HUB_JWT_AUDIENCE"),
            internalToken: internalToken
        )
    }
}
