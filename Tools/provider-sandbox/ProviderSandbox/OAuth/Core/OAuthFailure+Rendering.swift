import Foundation
import Hummingbird

/// Each provider's wire form of an OAuth error, from their documentation and observed answers.
extension OAuthFailure: HTTPResponseError {
    /// The standard RFC 6749 error code for the reason.
    var standardCode: String {
        switch reason {
        case .missingParameter, .unsupportedChallengeMethod, .unregisteredRedirectURI, .invalidShopDomain, .unknownShop: "invalid_request"
        case .unsupportedResponseType: "unsupported_response_type"
        case .unknownClient, .badClientSecret: "invalid_client"
        case .unsupportedGrantType: "unsupported_grant_type"
        case .invalidScope: "invalid_scope"
        case .unknownToken: "invalid_token"
        case .unknownCode, .usedCode, .expiredCode, .codeIssuedToAnotherClient, .redirectURIMismatch, .missingCodeVerifier,
            .wrongCodeVerifier, .unknownRefreshToken, .revokedRefreshToken, .expiredRefreshToken, .reusedRefreshToken:
            "invalid_grant"
        }
    }

    /// A sentence for people; providers that send one use their own wording where it is known.
    var explanation: String {
        switch reason {
        case .missingParameter(let name): "\(name) is missing"
        case .unsupportedResponseType(let type): "response_type '\(type)' is not supported"
        case .unknownClient: "client identifier invalid"
        case .badClientSecret: "invalid client credentials"
        case .unsupportedGrantType(let type): type.isEmpty ? "Grant Type is NULL" : "grant type '\(type)' not supported"
        case .unknownCode, .codeIssuedToAnotherClient: "invalid authorization code"
        case .usedCode: "authorization code already used"
        case .expiredCode: "expired authorization code"
        case .redirectURIMismatch: "redirect_uri must match configuration"
        case .unregisteredRedirectURI: "The redirect_uri is not registered for this client"
        case .missingCodeVerifier, .wrongCodeVerifier: "invalid code verifier"
        case .unsupportedChallengeMethod(let method): "code_challenge_method '\(method)' is not supported"
        case .unknownRefreshToken, .revokedRefreshToken: "Token has been expired or revoked."
        case .expiredRefreshToken: "expired access/refresh token"
        case .reusedRefreshToken: "refresh token has already been used"
        case .invalidScope(let scope): "unknown scope '\(scope)'"
        case .unknownToken: "invalid token"
        case .invalidShopDomain(let shop): "'\(shop)' is not a myshopify.com domain"
        case .unknownShop(let shop): "There is no shop at \(shop)"
        }
    }

    public var status: HTTPResponse.Status {
        if case .unknownShop = reason { return .notFound }
        switch dialect {
        case .slack where !atAuthorize: return .ok
        case .quickbooks where standardCode == "invalid_client" && !atAuthorize: return .unauthorized
        case .paypal where standardCode == "invalid_client": return .unauthorized
        default: return .badRequest
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        if atAuthorize { return page() }
        switch dialect {
        case .quickbooks, .xero:
            return OAuthHTTP.json(["error": standardCode], status: status)
        case .salesforce:
            return OAuthHTTP.json(salesforceBody, status: status)
        case .hubspot:
            let message = hubSpotMessage
            return OAuthHTTP.json(
                [
                    "status": hubSpotStatus, "message": message, "error": standardCode, "error_description": message,
                    "correlationId": UUID().uuidString.lowercased(),
                ],
                status: status
            )
        case .slack:
            return OAuthHTTP.json(["ok": false, "error": slackError], status: status)
        case .shopify:
            return OAuthHTTP.json(["error": shopifyCode, "error_description": shopifyDescription], status: status)
        case .paypal:
            let description = standardCode == "invalid_client" ? "Client Authentication failed" : explanation
            return OAuthHTTP.json(["error": standardCode, "error_description": description], status: status)
        }
    }

    /// What the provider's consent page shows when it cannot redirect back.
    private func page() -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: "<!doctype html><title>Authorization error</title><p>\(pageText)</p>\n"))
        )
    }

    private var pageText: String {
        switch (dialect, reason) {
        case (.shopify, _): "Oauth error \(standardCode): \(explanation)"
        case (.slack, .unknownClient): "invalid_client_id"
        case (.slack, .unregisteredRedirectURI): "redirect_uri did not match any configured URIs"
        case (.salesforce, .unregisteredRedirectURI): "error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration"
        case (.salesforce, _): "error=\(salesforceBody["error"] ?? standardCode)"
        default: "\(standardCode): \(explanation)"
        }
    }

    private var salesforceBody: [String: String] {
        switch reason {
        case .unknownClient: ["error": "invalid_client_id", "error_description": "client identifier invalid"]
        case .redirectURIMismatch: ["error": "redirect_uri_mismatch", "error_description": explanation]
        case .unknownToken: ["error": "unsupported_token_type", "error_description": "this token type is not supported"]
        case .unknownCode, .usedCode, .codeIssuedToAnotherClient:
            ["error": "invalid_grant", "error_description": "invalid authorization code"]
        case .unknownRefreshToken, .revokedRefreshToken, .reusedRefreshToken:
            ["error": "invalid_grant", "error_description": "expired access/refresh token"]
        default: ["error": standardCode, "error_description": explanation]
        }
    }

    private var hubSpotStatus: String {
        switch reason {
        case .unknownClient: "BAD_CLIENT_ID"
        case .badClientSecret: "BAD_CLIENT_SECRET"
        case .unknownCode, .usedCode, .expiredCode, .codeIssuedToAnotherClient, .missingCodeVerifier, .wrongCodeVerifier: "BAD_AUTH_CODE"
        case .redirectURIMismatch: "BAD_REDIRECT_URI"
        case .unknownRefreshToken, .revokedRefreshToken, .expiredRefreshToken, .reusedRefreshToken, .unknownToken: "BAD_REFRESH_TOKEN"
        case .unsupportedGrantType: "BAD_GRANT_TYPE"
        default: "BAD_REQUEST"
        }
    }

    private var hubSpotMessage: String {
        switch hubSpotStatus {
        case "BAD_AUTH_CODE": "missing or unknown auth code"
        case "BAD_REFRESH_TOKEN": "missing or invalid refresh token"
        case "BAD_REDIRECT_URI": "redirect_uri does not match the one used to get the auth code"
        default: explanation
        }
    }

    private var slackError: String {
        switch reason {
        case .unknownClient: "invalid_client_id"
        case .badClientSecret: "bad_client_secret"
        case .unknownCode, .usedCode, .expiredCode, .codeIssuedToAnotherClient, .missingCodeVerifier, .wrongCodeVerifier: "invalid_code"
        case .redirectURIMismatch, .unregisteredRedirectURI: "bad_redirect_uri"
        case .unsupportedGrantType: "invalid_grant_type"
        case .unknownRefreshToken, .revokedRefreshToken, .expiredRefreshToken, .reusedRefreshToken: "invalid_refresh_token"
        case .unknownToken: "invalid_auth"
        default: "invalid_arguments"
        }
    }

    private var shopifyCode: String {
        switch reason {
        case .unknownCode, .usedCode, .expiredCode, .codeIssuedToAnotherClient: "invalid_request"
        default: standardCode
        }
    }

    private var shopifyDescription: String {
        switch reason {
        case .unknownCode, .usedCode, .expiredCode, .codeIssuedToAnotherClient: "The authorization code was not found or was already used"
        case .unknownClient, .badClientSecret: "Client credentials are invalid"
        default: explanation
        }
    }
}
