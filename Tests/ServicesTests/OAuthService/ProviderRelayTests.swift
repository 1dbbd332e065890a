import AsyncHTTPClient
import ConnectionService
import Crypto
import Foundation
import HTTPTypes
import HubConnectors
import HubCore
import HubTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import ProviderSandbox
import ServiceLifecycle
import Testing
import WebhookService

@testable import HubConnections

/// oauth-service is the only process holding the providers' client secrets: Plaid calls from
/// connection-service and sync-worker go through its forwarder (which adds `client_id` and
/// `secret`), webhook-service asks it to check Shopify's and HubSpot's signatures, and with it down those
/// fail clearly (a sync job's reason, 503 with the envelope) instead of blaming the credentials.
/// Through the sandbox, with real PostgreSQL and Redis and oauth-service on a socket.
@Suite(.serialized)
struct ProviderRelayTests {
    static func oauthURL(_ harness: SyncHarness) throws -> String {
        try #require(harness.environment["HUB_SERVICE_URL_OAUTH"])
    }

    @Test func plaidSyncsAndTestsThroughOAuthServiceWithoutTheSecretElsewhere() async throws {
        try await SyncHarness.run { harness in
            #expect(harness.hub.dependencies.configuration.providers.clients["plaid"]?.clientSecret == nil, "connection-service")
            #expect(harness.hub.dependencies.configuration.providers.clients["plaid"]?.clientID == "plaid-sandbox-client")
            let organization = UUID()
            let token = try await harness.hub.token(organization: organization)
            let plaid = try await harness.connectPlaid(organization: organization)

            let tested = try await harness.request(.post, "/api/v1/integrations/connections/\(plaid.connection)/test", token: token)
            #expect(tested.json["ok"] == true, "\(tested.text)")

            // The worker is given the secret too, and must not read it.
            try await harness.withSyncWorkerProcessConfiguration(
                oauthURL: try Self.oauthURL(harness),
                extra: ["HUB_PROVIDER_PLAID_CLIENT_SECRET": "plaid-sandbox-secret"]
            ) { worker in
                #expect(worker.dependencies.configuration.providers.clients["plaid"]?.clientSecret == nil)
                let job = try await harness.trigger(token, connection: plaid.connection, json: #"{"entity":"bank_transactions"}"#)
                let done = try await harness.waitForJob(token, try #require(job["id"]?.stringValue))
                #expect(done["status"]?.stringValue == "completed", "\(done)")
                #expect((done["records_seen"]?.intValue ?? 0) > 0, "\(done)")
            }
        }
    }

    @Test func theForwarderTakesOnlyPlaidsOwnPathsFromServices() async throws {
        try await SyncHarness.run { harness in
            let services = harness.hub.dependencies.services
            func forward(_ provider: String, _ json: String) async throws -> ServiceClient.Reply {
                try await services.send(
                    .POST,
                    to: .oauth,
                    path: "/internal/providers/\(provider)/forward",
                    json: Data(json.utf8),
                    propagation: .init(requestID: "relay-test", trace: nil)
                )
            }
            let unknownPath = try await forward("plaid", #"{"path":"../../_admin/plaid/items","body":{}}"#)
            #expect(unknownPath.status == 422, "\(String(decoding: unknownPath.body, as: UTF8.self))")
            let notRelayed = try await forward("quickbooks", #"{"path":"item/get","body":{}}"#)
            #expect(notRelayed.status == 404)
            // A read forwarded as is: Plaid's own refusal of a made-up token comes back verbatim.
            let answered = try await forward("plaid", #"{"path":"item/get","body":{"access_token":"access-sandbox-unknown"}}"#)
            #expect(answered.status == 200)
            let forwarded = JSONReader.parse(Array(answered.body))
            #expect(forwarded?["status"]?.intValue == 400, "\(String(decoding: answered.body, as: UTF8.self))")
            #expect(forwarded?["body"]?.stringValue?.contains("INVALID_ACCESS_TOKEN") == true)
            #expect(forwarded?["body"]?.stringValue?.contains("plaid-sandbox-secret") == false)

            // Without the service token: refused.
            var request = HTTPClientRequest(url: try Self.oauthURL(harness) + "/internal/providers/plaid/forward")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: #"{"path":"item/get","body":{}}"#))
            let anonymous = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            #expect(anonymous.status.code == 401)
        }
    }

    @Test func withOAuthServiceDownPlaidSyncsFailWithTheReasonAndTestsAnswer503() async throws {
        try await SyncHarness.run { harness in
            let organization = UUID()
            let token = try await harness.hub.token(organization: organization)
            let plaid = try await harness.connectPlaid(organization: organization)
            let nowhere = "http://127.0.0.1:\(try freePort())"
            try await harness.withSyncWorkerProcessConfiguration(oauthURL: nowhere, extra: ["HUB_SYNC_RETRY_BUDGET": "1"]) { _ in
                let job = try await harness.trigger(token, connection: plaid.connection, json: #"{"entity":"bank_transactions"}"#)
                // Each call waits out the service client's deadline (10 s) before it fails.
                let done = try await harness.waitForJob(token, try #require(job["id"]?.stringValue), timeout: .seconds(120))
                #expect(done["status"]?.stringValue == "failed", "\(done)")
                #expect(done["status_reason"]?.stringValue?.contains("oauth-service") == true, "\(done)")
            }

            // connection-service without oauth-service: 503 with the envelope; the connection stays connected.
            var environment = harness.environment
            environment["HUB_SERVICE_URL_OAUTH"] = nowhere
            let hub = try await TestHub.make(service: .connection, environment: environment)
            let router = HubApplication.buildRouter(dependencies: hub.dependencies, openAPI: try ConnectionService.openAPI()) {
                ConnectionService.addRoutes(to: $0, dependencies: hub.dependencies)
            }
            try await Application(router: router, services: [hub.dependencies.postgres, hub.dependencies.redis]).test(.router) { client in
                let reply = try await client.execute(
                    uri: "/api/v1/integrations/connections/\(plaid.connection)/test",
                    method: .post,
                    headers: [.authorization: "Bearer \(token)"]
                )
                let envelope = JSONReader.parse(Array(buffer: reply.body))
                #expect(reply.status == .serviceUnavailable, "\(String(buffer: reply.body))")
                #expect(envelope?["error"]?["code"]?.stringValue == "dependency_unavailable", "\(String(buffer: reply.body))")
            }
            let connection = try await harness.request(.get, "/api/v1/integrations/connections/\(plaid.connection)", token: token)
            #expect(connection.json["status"]?.stringValue == "connected", "\(connection.text)")
        }
    }

    /// A Shopify webhook as the sandbox signs it: with the app's client secret over the exact bytes.
    static func shopifyWebhook(secret: String, note: String = "") -> (body: [UInt8], headers: HTTPHeaders) {
        let body = Array(
            #"{"id":820982911946154508,"email":"jon@example.com","note":"\#(note)","updated_at":"2026-12-04T10:00:00-05:00"}"#.utf8
        )
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        let headers: HTTPHeaders = [
            "Content-Type": "application/json", "X-Shopify-Topic": "customers/update", "X-Shopify-Shop-Domain": SyncHarness.shop,
            "X-Shopify-Hmac-Sha256": Data(mac).base64EncodedString(), "X-Shopify-Webhook-Id": UUID().uuidString.lowercased(),
        ]
        return (body, headers)
    }

    @Test func webhookServiceChecksShopifySignaturesThroughOAuthService() async throws {
        try await InboundHarness.run { harness in
            let clients = harness.webhookHub.dependencies.configuration.providers.clients
            #expect(clients["shopify"]?.clientID == "shopify-sandbox-client")
            #expect(clients["shopify"]?.clientSecret == nil, "given in its environment, not read")
            let organization = UUID()
            let connection = try await harness.sync.connectShopify(organization: organization)

            let genuine = Self.shopifyWebhook(secret: "shopify-sandbox-secret")
            let accepted = try await harness.post("/webhooks/shopify", body: genuine.body, headers: genuine.headers)
            #expect(accepted.status == 200, "\(accepted.json)")
            #expect(accepted.json["new"] == true, "\(accepted.json)")
            #expect(try await harness.inbound(connection: connection).map(\.type) == ["customers/update"])

            let forged = Self.shopifyWebhook(secret: "not-the-app-secret")
            let refused = try await harness.post("/webhooks/shopify", body: forged.body, headers: forged.headers)
            #expect(refused.status == 401, "\(refused.json)")
            #expect(refused.json["error"]?["code"]?.stringValue == "unverified", "\(refused.json)")
            #expect(try await harness.inbound(connection: connection).count == 1)
        }
    }

    @Test func shopifyWebhooksArrivingTogetherAreEachJudgedOnTheirOwnSignature() async throws {
        try await InboundHarness.run { harness in
            let connection = try await harness.sync.connectShopify(organization: UUID())
            // Sent at once, they share calls to oauth-service; each must get its own verdict.
            let statuses = try await withThrowingTaskGroup(of: (Bool, Int).self) { group in
                for index in 0..<40 {
                    let genuine = index.isMultiple(of: 2)
                    let webhook = Self.shopifyWebhook(secret: genuine ? "shopify-sandbox-secret" : "not-the-app-secret")
                    group.addTask { (genuine, try await harness.post("/webhooks/shopify", body: webhook.body, headers: webhook.headers).status) }
                }
                return try await group.reduce(into: [(Bool, Int)]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0.0 }.map(\.1) == Array(repeating: 200, count: 20))
            #expect(statuses.filter { !$0.0 }.map(\.1) == Array(repeating: 401, count: 20))
            #expect(try await harness.inbound(connection: connection).count == 20)
        }
    }

    @Test func aWebhookNearTheBodyLimitIsCheckedThoughItsBase64IsLarger() async throws {
        try await InboundHarness.run { harness in
            let connection = try await harness.sync.connectShopify(organization: UUID())
            // 900 KB as received, 1.2 MB in base64: above oauth-service's 1 MiB body limit.
            let webhook = Self.shopifyWebhook(secret: "shopify-sandbox-secret", note: String(repeating: "n", count: 900_000))
            let accepted = try await harness.post("/webhooks/shopify", body: webhook.body, headers: webhook.headers)
            #expect(accepted.status == 200, "\(accepted.json)")
            #expect(try await harness.inbound(connection: connection).count == 1)
        }
    }

    @Test func anOAuthServiceWithoutTheBatchRouteIsAskedOneCheckACall() async throws {
        try await SyncHarness.run { harness in
            func signed(_ secret: String) -> SignedWebhookRequest {
                let webhook = Self.shopifyWebhook(secret: secret)
                let signature = webhook.headers.first(name: "X-Shopify-Hmac-Sha256") ?? ""
                return SignedWebhookRequest(method: "POST", url: "", headers: ["X-Shopify-Hmac-Sha256": signature], body: webhook.body)
            }
            let checks = [signed("shopify-sandbox-secret"), signed("not-the-app-secret")]
            let services = harness.hub.dependencies.services
            let batched = await OAuthServiceRelay.verify(checks, provider: "shopify", services: services)
            let batchedVerdicts: [Bool] = try batched.get()
            #expect(batchedVerdicts == [true, false])
            // A route this oauth-service lacks answers 404 `not_found`, as verify-batch does on one
            // from before it: the checks go one a call to `verify`.
            let older = await OAuthServiceRelay.verify(checks, provider: "shopify", services: services, batchRoute: "verify-batch-of-later")
            let olderVerdicts: [Bool] = try older.get()
            #expect(olderVerdicts == [true, false])
            // A provider whose webhooks are not signed with the client secret is not asked again.
            let notSigned = await OAuthServiceRelay.verify(checks, provider: "quickbooks", services: services)
            #expect(throws: WebhookVerificationError.verifierUnavailable) { try notSigned.get() }
        }
    }

    @Test func theBatchCheckAnswersAVerdictPerCheckAndRefusesWhatItCannotRead() async throws {
        try await SyncHarness.run { harness in
            func verify(_ provider: String, _ checks: [JSONValue]) async throws -> (status: Int, json: JSONValue?) {
                let reply = try await harness.hub.dependencies.services.send(
                    .POST,
                    to: .oauth,
                    path: "/internal/providers/\(provider)/webhook-signatures/verify-batch",
                    json: Data(JSONValue.object(["requests": .array(checks)]).encoded()),
                    propagation: .init(requestID: "relay-test", trace: nil)
                )
                return (reply.status, JSONReader.parse(Array(reply.body)))
            }
            func check(_ secret: String, body: String? = nil, extra: [String: JSONValue] = [:]) -> JSONValue {
                let webhook = Self.shopifyWebhook(secret: secret)
                let fields: [String: JSONValue] = [
                    "method": "POST", "url": "",
                    "headers": ["X-Shopify-Hmac-Sha256": .string(webhook.headers.first(name: "X-Shopify-Hmac-Sha256") ?? "")],
                    "body": .string(body ?? Data(webhook.body).base64EncodedString()),
                ]
                return .object(fields.merging(extra) { _, new in new })
            }
            let mixed = try await verify("shopify", [check("shopify-sandbox-secret"), check("not-the-app-secret"), check("shopify-sandbox-secret")])
            #expect(mixed.status == 200)
            #expect(mixed.json?["valid"] == [true, false, true])

            let none = try await verify("shopify", [])
            #expect(none.status == 422)
            #expect(none.json?["error"]?["details"]?["field"]?.stringValue == "requests", "\(String(describing: none.json))")
            let tooMany = try await verify("shopify", Array(repeating: check("shopify-sandbox-secret"), count: 101))
            #expect(tooMany.status == 422)
            let unreadable = try await verify("shopify", [check("shopify-sandbox-secret"), check("shopify-sandbox-secret", body: "%%%")])
            #expect(unreadable.status == 422)
            #expect(unreadable.json?["error"]?["details"]?["field"]?.stringValue == "requests[1].body", "\(String(describing: unreadable.json))")
            let unknownField = try await verify(
                "shopify",
                [check("shopify-sandbox-secret"), check("shopify-sandbox-secret", extra: ["signature": "x"])]
            )
            #expect(unknownField.status == 422)
            let refusedField = unknownField.json?["error"]?["details"]?["field"]?.stringValue
            #expect(refusedField == "requests[1].signature", "\(String(describing: unknownField.json))")
            let notSigned = try await verify("quickbooks", [check("shopify-sandbox-secret")])
            #expect(notSigned.status == 404)
            #expect(notSigned.json?["error"]?["code"]?.stringValue == "not_relayed")
        }
    }

    @Test func withOAuthServiceDownShopifyWebhooksAnswer503SoShopifySendsThemAgain() async throws {
        try await InboundHarness.run { harness in
            _ = try await harness.sync.connectShopify(organization: UUID())
            let webhook = Self.shopifyWebhook(secret: "shopify-sandbox-secret")
            try await Self.expect503WithOAuthServiceDown(harness, provider: "shopify", body: webhook.body, headers: webhook.headers)
        }
    }

    /// A HubSpot v3-signed batch for the sandbox portal: the app's client secret over method, the
    /// URL called (`url`), body and timestamp.
    static func hubSpotWebhook(secret: String, url: String) -> (body: [UInt8], headers: HTTPHeaders) {
        let body = Array(
            #"[{"eventId":\#(Int.random(in: 1...1_000_000)),"portalId":\#(HubSpotProvider.seededPortalID),"subscriptionType":"contact.creation","objectId":1,"occurredAt":1}]"#
                .utf8
        )
        let timestamp = String(Int64(Date().timeIntervalSince1970 * 1000))
        let message = Array("POST\(url)".utf8) + body + Array(timestamp.utf8)
        let signature = Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(secret.utf8)))).base64EncodedString()
        return (body, ["Content-Type": "application/json", "X-HubSpot-Signature-v3": signature, "X-HubSpot-Request-Timestamp": timestamp])
    }

    @Test func webhookServiceChecksHubSpotSignaturesThroughOAuthService() async throws {
        try await InboundHarness.run { harness in
            let clients = harness.webhookHub.dependencies.configuration.providers.clients
            #expect(clients["hubspot"]?.clientID == "hubspot-sandbox-client")
            #expect(clients["hubspot"]?.clientSecret == nil, "webhook-service holds no HubSpot secret")
            #expect(harness.webhookHub.dependencies.configuration.providers.webhookSecrets["hubspot"] == nil)
            let connection = try await harness.sync.connectDirectly(
                organization: UUID(),
                provider: "hubspot",
                fields: ["access_token": HubSpotProvider.seededToken]
            )
            let url = harness.baseURL + "/webhooks/hubspot"

            let genuine = Self.hubSpotWebhook(secret: "hubspot-sandbox-secret", url: url)
            let accepted = try await harness.post("/webhooks/hubspot", body: genuine.body, headers: genuine.headers)
            #expect(accepted.status == 200, "\(accepted.json)")
            #expect(accepted.json["new"] == true, "\(accepted.json)")
            #expect(try await harness.inbound(connection: connection).map(\.type) == ["contact.creation"])

            let forged = Self.hubSpotWebhook(secret: "not-the-app-secret", url: url)
            let refused = try await harness.post("/webhooks/hubspot", body: forged.body, headers: forged.headers)
            #expect(refused.status == 401, "\(refused.json)")
            #expect(refused.json["error"]?["code"]?.stringValue == "unverified", "\(refused.json)")
            let elsewhere = Self.hubSpotWebhook(secret: "hubspot-sandbox-secret", url: harness.baseURL + "/webhooks/other")
            let misaddressed = try await harness.post("/webhooks/hubspot", body: elsewhere.body, headers: elsewhere.headers)
            #expect(misaddressed.status == 401, "the URL is signed too: \(misaddressed.json)")
            #expect(try await harness.inbound(connection: connection).count == 1)
        }
    }

    @Test func withOAuthServiceDownHubSpotWebhooksAnswer503SoHubSpotSendsThemAgain() async throws {
        try await InboundHarness.run { harness in
            let webhook = Self.hubSpotWebhook(secret: "hubspot-sandbox-secret", url: "http://hub.example/webhooks/hubspot")
            var headers = webhook.headers
            headers.add(name: "Host", value: "hub.example")
            try await Self.expect503WithOAuthServiceDown(harness, provider: "hubspot", body: webhook.body, headers: headers)
        }
    }

    /// A webhook-service whose oauth-service does not answer (the provider's client id only)
    /// answers the signed webhook 503 with `Retry-After` and the envelope.
    static func expect503WithOAuthServiceDown(_ harness: InboundHarness, provider: String, body: [UInt8], headers: HTTPHeaders) async throws {
        var environment = harness.sync.environment.merging(WebhookHarness.testEnvironment) { _, new in new }
        environment["HUB_PROVIDER_\(provider.uppercased())_CLIENT_ID"] = "\(provider)-sandbox-client"
        environment["HUB_SERVICE_URL_OAUTH"] = "http://127.0.0.1:\(try freePort())"
        let (hub, _, router) = try await InboundHarness.webhookService(environment: environment)
        try await Application(router: router, services: [hub.dependencies.postgres, hub.dependencies.redis]).test(.router) { client in
            var fields = HTTPFields()
            for header in headers { fields[HTTPField.Name(header.name)!] = header.value }
            let reply = try await client.execute(uri: "/webhooks/\(provider)", method: .post, headers: fields, body: ByteBuffer(bytes: body))
            #expect(reply.status == .serviceUnavailable, "\(String(buffer: reply.body))")
            #expect(reply.headers[.retryAfter] != nil)
            let envelope = JSONReader.parse(Array(buffer: reply.body))
            #expect(envelope?["error"]?["code"]?.stringValue == "dependency_unavailable", "\(String(buffer: reply.body))")
        }
    }
}
