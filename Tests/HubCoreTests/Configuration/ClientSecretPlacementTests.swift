import Foundation
import HubCore
import Testing

/// Only oauth-service reads the providers' client secrets, Plaid's and Shopify's included (the
/// others send Plaid calls and Shopify signature checks through it), and what a service did not
/// read `hubctl config` cannot print.
struct ClientSecretPlacementTests {
    static let environment: [String: String] = [
        "DATABASE_URL": "postgres://hub:pw@127.0.0.1:5432/hub",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "HUB_JWT_HS256_SECRET": String(repeating: "s", count: 32),
        "HUB_INTERNAL_TOKEN": String(repeating: "t", count: 32),
        "HUB_VAULT_KEYS": "k1:" + Data(repeating: 7, count: 32).base64EncodedString(),
        "HUB_PROVIDER_QUICKBOOKS_CLIENT_ID": "qb-id", "HUB_PROVIDER_QUICKBOOKS_CLIENT_SECRET": "qb-secret",
        "HUB_PROVIDER_HUBSPOT_CLIENT_ID": "hs-id", "HUB_PROVIDER_HUBSPOT_CLIENT_SECRET": "hs-secret",
        "HUB_PROVIDER_SHOPIFY_CLIENT_ID": "shop-id", "HUB_PROVIDER_SHOPIFY_CLIENT_SECRET": "shop-secret",
        "HUB_PROVIDER_PLAID_CLIENT_ID": "plaid-id", "HUB_PROVIDER_PLAID_CLIENT_SECRET": "plaid-secret",
    ]

    /// The secrets a service holds after loading, by provider.
    static func secrets(_ service: HubServiceKind) throws -> [String: String] {
        let configuration = try HubConfiguration.load(service: service, environment: environment)
        return configuration.providers.clients.compactMapValues(\.clientSecret)
    }

    static func printed(_ service: HubServiceKind) throws -> String {
        try HubConfiguration.load(service: service, environment: environment).redactedDescription
            .map { "\($0.name)=\($0.value)" }.joined(separator: "\n")
    }

    @Test func oauthServiceHoldsEverySecret() throws {
        #expect(try Self.secrets(.oauth) == ["quickbooks": "qb-secret", "hubspot": "hs-secret", "shopify": "shop-secret", "plaid": "plaid-secret"])
        #expect(try Self.printed(.oauth).contains("HUB_PROVIDER_QUICKBOOKS_CLIENT_SECRET=***"))
    }

    @Test func syncWorkerHoldsNoOAuthClientSecret() throws {
        let configuration = try HubConfiguration.load(service: .syncWorker, environment: Self.environment)
        #expect(try Self.secrets(.syncWorker).isEmpty, "Plaid's calls go through oauth-service, which adds the secret")
        // The ids stay: connectors may name the hub's app.
        #expect(configuration.providers.clients["quickbooks"]?.clientID == "qb-id")
        let printed = try Self.printed(.syncWorker)
        for provider in ["QUICKBOOKS", "HUBSPOT", "SHOPIFY", "PLAID"] {
            #expect(!printed.contains("HUB_PROVIDER_\(provider)_CLIENT_SECRET"), "\(printed)")
        }
        #expect(printed.contains("HUB_PROVIDER_QUICKBOOKS_CLIENT_ID=qb-id"))
    }

    @Test func connectionAndWebhookServicesHoldNoClientSecret() throws {
        #expect(try Self.secrets(.connection).isEmpty)
        #expect(try Self.secrets(.webhook).isEmpty, "oauth-service checks Shopify's signatures for webhook-service")
        #expect(try Self.secrets(.catalog).isEmpty)
        for service in [HubServiceKind.connection, .webhook] {
            let printed = try Self.printed(service)
            #expect(!printed.contains("CLIENT_SECRET") && !printed.contains("plaid-secret") && !printed.contains("shop-secret"), "\(printed)")
            #expect(printed.contains("HUB_PROVIDER_PLAID_CLIENT_ID=plaid-id"), "\(printed)")
        }
    }

    @Test func aSecretWithoutItsIdIsAProblemOnlyWhereItIsRead() throws {
        var environment = Self.environment
        environment["HUB_PROVIDER_XERO_CLIENT_ID"] = "only-the-id"
        #expect(throws: ConfigurationError.self) { try HubConfiguration.load(service: .oauth, environment: environment) }
        let worker = try HubConfiguration.load(service: .syncWorker, environment: environment)
        #expect(worker.providers.clients["xero"] == .init(clientID: "only-the-id", clientSecret: nil))
    }
}
