import Foundation
import HubCore
import Testing

@testable import WebConsole

/// Plaid Link's script comes from configuration, only its page's CSP allows it, and the page
/// passes the link token to the module in data attributes (no inline script).
@Suite struct PlaidLinkPageTests {
    @Test func theScriptIsTheSandboxsCopyInTheDemoAndPlaidsCDNOtherwise() {
        #expect(PlaidLinkPages.scriptURL(sandboxURL: nil) == "https://cdn.plaid.com/link/v2/stable/link-initialize.js")
        #expect(PlaidLinkPages.scriptURL(sandboxURL: "http://127.0.0.1:8090") == "http://127.0.0.1:8090/plaid/link/v2/stable/link-initialize.js")
    }

    @Test func onlyThePlaidPageAllowsLinksScriptAndFrame() {
        let policy = PlaidLinkPages.contentSecurityPolicy(scriptURL: "https://cdn.plaid.com/link/v2/stable/link-initialize.js")
        #expect(policy.contains("script-src 'self' https://cdn.plaid.com/link/v2/stable/link-initialize.js;"))
        #expect(policy.hasSuffix("; frame-src https://cdn.plaid.com"))
        #expect(policy.contains("default-src 'self'") && policy.contains("object-src 'none'") && policy.contains("form-action 'self'"))
        let local = PlaidLinkPages.contentSecurityPolicy(scriptURL: "http://127.0.0.1:8090/plaid/link/v2/stable/link-initialize.js")
        #expect(local.hasSuffix("; frame-src http://127.0.0.1:8090"))
        #expect(!SecurityHeadersMiddleware.contentSecurityPolicy.contains("plaid"), "other pages allow nothing more")
    }

    @Test func theConnectPageHandsTheTokenToTheModuleAndFinishesWithAForm() async throws {
        let renderer = try await PageRenderer.bundled()
        let html = renderer.html(
            "connect",
            [
                "title": "Connect Plaid", "signed_in": true, "csrf": "t", "id": "plaid", "name": "Plaid", "is_plaid": true,
                "link_token": "link-sandbox-\"1", "plaid_script": "https://cdn.plaid.com/link/v2/stable/link-initialize.js",
            ]
        )
        #expect(html.contains("id=\"plaid-link-open\" data-link-token=\"link-sandbox-&quot;1\""))
        #expect(html.contains("data-script=\"https://cdn.plaid.com/link/v2/stable/link-initialize.js\""))
        #expect(html.contains("<form method=\"post\" action=\"/integrations/plaid/link/exchange\" id=\"plaid-link-finish\">"))
        #expect(!html.contains("cdn.plaid.com/link/v2/stable/link-initialize.js\"></script>"), "the module loads it, not an inline tag")
        let refused = renderer.html(
            "connect",
            [
                "title": "Connect Plaid", "signed_in": true, "csrf": "t", "id": "plaid", "name": "Plaid", "is_plaid": true,
                "link_error": "not configured",
            ]
        )
        #expect(refused.contains("Plaid Link cannot start") && !refused.contains("plaid-link-open"))
    }
}
