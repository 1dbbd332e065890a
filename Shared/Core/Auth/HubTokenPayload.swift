import Foundation
import JWTKit

/// The claims of a user token issued by the accounting product: `sub` (user), `org`
/// (organization) and `exp`, optionally `iss` and `aud` when configured.
public struct HubTokenPayload: JWTPayload, Equatable {
    public var sub: SubjectClaim
    public var org: String
    public var exp: ExpirationClaim
    public var iat: IssuedAtClaim?
    public var iss: IssuerClaim?
    public var aud: AudienceClaim?

    public init(subject: String, organizationID: UUID, expiresAt: Date, issuer: String? = nil, audience: String? = nil) {
        self.sub = SubjectClaim(value: subject)
        self.org = organizationID.uuidString.lowercased()
        self.exp = ExpirationClaim(value: expiresAt)
        self.iat = IssuedAtClaim(value: Date())
        self.iss = issuer.map { IssuerClaim(value: $0) }
        self.aud = audience.map { AudienceClaim(value: [$0]) }
    }

    /// Signature is checked by the key collection; this checks the claims.
    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}
