import Crypto
import Foundation

/// Proof Key for Code Exchange (RFC 7636): the exchange's `code_verifier` must hash to the
/// authorize request's `code_challenge`.
enum PKCE {
    /// Whether `verifier` answers `challenge` under `method` (`S256` or `plain`). The verifier must be
    /// 43–128 characters of `[A-Za-z0-9-._~]`, as the RFC requires.
    static func verify(verifier: String, challenge: String, method: String) -> Bool {
        guard (43...128).contains(verifier.count),
            verifier.unicodeScalars.allSatisfy({ FormParameters.unreserved.contains($0) })
        else { return false }
        switch method {
        case "S256": return s256(verifier) == challenge
        case "plain": return verifier == challenge
        default: return false
        }
    }

    /// `BASE64URL(SHA256(ASCII(verifier)))` without padding.
    static func s256(_ verifier: String) -> String {
        base64URL(Data(SHA256.hash(data: Data(verifier.utf8))))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
