import Foundation
import HubCore
import HubTestSupport
import Testing

/// `hubctl config` shows each service's view: with every client secret in the environment, only
/// oauth-service's lists them (masked); sync-worker's, connection-service's and webhook-service's
/// list none, Plaid's and Shopify's included (they go through oauth-service for those).
struct HubctlConfigSecretsTests {
    @Test func onlyOAuthServiceListsTheOAuthClientSecrets() async throws {
        let environment = [
            "DATABASE_URL": "postgres://hub:pw@127.0.0.1:5432/hub",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "HUB_JWT_HS256_SECRET": TestHub.randomToken(),
            "HUB_INTERNAL_TOKEN": TestHub.randomToken(),
            "HUB_VAULT_KEYS": VaultKeyRing.generateEntry(id: "k1"),
            "HUB_PROVIDER_QUICKBOOKS_CLIENT_ID": "qb-id", "HUB_PROVIDER_QUICKBOOKS_CLIENT_SECRET": "qb-secret-value",
            "HUB_PROVIDER_XERO_CLIENT_ID": "xero-id", "HUB_PROVIDER_XERO_CLIENT_SECRET": "xero-secret-value",
            "HUB_PROVIDER_PLAID_CLIENT_ID": "plaid-id", "HUB_PROVIDER_PLAID_CLIENT_SECRET": "plaid-secret-value",
            "HUB_PROVIDER_SHOPIFY_CLIENT_ID": "shopify-id", "HUB_PROVIDER_SHOPIFY_CLIENT_SECRET": "shopify-secret-value",
        ]
        let (status, oauth) = try await ChildProcess.run("hubctl", arguments: ["config", "--service", "oauth-service"], environment: environment)
        #expect(status == 0, "\(oauth)")
        for provider in ["QUICKBOOKS", "XERO", "PLAID", "SHOPIFY"] {
            #expect(oauth.contains("HUB_PROVIDER_\(provider)_CLIENT_SECRET"), "\(oauth)")
        }
        #expect(!oauth.contains("secret-value"), "masked")
        for service in [HubServiceKind.syncWorker, .connection, .webhook] {
            let (status, printed) = try await ChildProcess.run(
                "hubctl",
                arguments: ["config", "--service", service.rawValue],
                environment: environment
            )
            #expect(status == 0, "\(printed)")
            #expect(!printed.contains("CLIENT_SECRET"), "\(service.rawValue): \(printed)")
            #expect(printed.contains("HUB_PROVIDER_QUICKBOOKS_CLIENT_ID"), "\(service.rawValue): \(printed)")
            #expect(printed.contains("HUB_PROVIDER_PLAID_CLIENT_ID"), "\(service.rawValue): \(printed)")
            #expect(!printed.contains("secret-value"))
        }
    }
}
