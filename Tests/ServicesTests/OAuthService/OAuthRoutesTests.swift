import AsyncHTTPClient
import Foundation
import HubConnections
import HubCore
import HubTestSupport
import Hummingbird
import OAuthService
import XCTest

/// The authorization-code flow through oauth-service against the sandbox's authorization
/// servers, and the attacks on `state` that must store nothing.
final class OAuthRoutesTests: XCTestCase {
    static let uiOrigin = "https://ui.example.test"

    func withService(_ body: @Sendable (ServiceHarness) async throws -> Void) async throws {
        try await ServiceHarness.run(
            service: .oauth,
            environment: [
                "HUB_UI_ORIGIN": Self.uiOrigin,
                "HUB_PROVIDER_QUICKBOOKS_CLIENT_ID": "quickbooks-sandbox-client",
                "HUB_PROVIDER_QUICKBOOKS_CLIENT_SECRET": "quickbooks-sandbox-secret",
            ],
            addRoutes: OAuthService.addRoutes(to:dependencies:),
            openAPI: try OAuthService.openAPI(),
            body
        )
    }

    /// Asks for an authorization URL and lets the sandbox approve it: the callback's query.
    static func authorize(_ harness: ServiceHarness, token: String, provider: String = "quickbooks") async throws -> String {
        let started = try await harness.request(.get, "/api/v1/integrations/oauth/\(provider)/authorize", token: token)
        XCTAssertEqual(started.status, .ok, started.text)
        let url = try XCTUnwrap(started.json["authorization_url"]?.stringValue)
        XCTAssertTrue(url.hasPrefix(harness.sandboxURL + "/\(provider)/"), url)
        let location = try await HTTPClientWithoutRedirects.shared.location(of: url)
        XCTAssertTrue(location.hasPrefix("http://127.0.0.1:8083/api/v1/integrations/oauth/\(provider)/callback?"), location)
        return String(location[location.firstIndex(of: "?")!...].dropFirst())
    }

    static func callback(_ harness: ServiceHarness, provider: String = "quickbooks", query: String) async throws -> URLComponents {
        let reply = try await harness.request(.get, "/api/v1/integrations/oauth/\(provider)/callback?\(query)", token: nil)
        XCTAssertEqual(reply.status, .found, reply.text)
        let location = try XCTUnwrap(reply.headers[.location])
        XCTAssertTrue(location.hasPrefix(Self.uiOrigin + "/integrations/oauth/result?"), location)
        return try XCTUnwrap(URLComponents(string: location))
    }

    /// The handle a callback redirected the UI with (status `authorized`).
    static func handle(_ result: URLComponents) throws -> String {
        XCTAssertEqual(result.queryItems?.first { $0.name == "status" }?.value, "authorized", "\(result)")
        return try XCTUnwrap(result.queryItems?.first { $0.name == "handle" }?.value, "\(result)")
    }

    /// What the UI does with the handle: `POST …/complete` under the user's token.
    static func complete(
        _ harness: ServiceHarness,
        provider: String = "quickbooks",
        token: String,
        handle: String
    ) async throws -> ServiceHarness.Reply {
        try await harness.request(
            .post,
            "/api/v1/integrations/oauth/\(provider)/complete",
            token: token,
            json: #"{"handle":"\#(handle)"}"#
        )
    }

    /// The whole return trip of an approved authorization: callback, then completion by `token`'s
    /// user. The new connection's id.
    static func connect(_ harness: ServiceHarness, provider: String = "quickbooks", token: String, query: String) async throws -> UUID {
        let handle = try handle(try await callback(harness, provider: provider, query: query))
        let completed = try await complete(harness, provider: provider, token: token, handle: handle)
        XCTAssertEqual(completed.status, .created, "\(provider): \(completed.text)")
        return try XCTUnwrap(completed.json["id"]?.stringValue.flatMap(UUID.init(uuidString:)), completed.text)
    }

    func testQuickBooksConnectsEndToEndAndTheStateWorksOnce() async throws {
        try await withService { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org, subject: "carol")
            let query = try await Self.authorize(harness, token: token)
            let handle = try Self.handle(try await Self.callback(harness, query: query))
            let completed = try await Self.complete(harness, token: token, handle: handle)
            XCTAssertEqual(completed.status, .created, completed.text)
            XCTAssertEqual(completed.json["status"]?.stringValue, "connected", completed.text)
            XCTAssertFalse(completed.text.contains("access_token\":\""), "no credential value in the response")
            let id = try XCTUnwrap(completed.json["id"]?.stringValue.flatMap(UUID.init(uuidString:)))
            let repository = ConnectionRepository(client: harness.hub.dependencies.postgres, logger: harness.hub.dependencies.logger)
            let connection = try await XCTUnwrapAsync(await repository.get(organization: org, id: id))
            XCTAssertEqual(connection.status, .connected, connection.statusReason ?? "")
            XCTAssertEqual(connection.provider, "quickbooks")
            XCTAssertTrue(connection.credentialFields.contains("access_token"))
            XCTAssertTrue(connection.credentialFields.contains("refresh_token"))
            XCTAssertNotNil(connection.tokenExpiresAt)
            XCTAssertNotNil(connection.accountID)
            XCTAssertEqual(connection.createdBy, "carol")

            // The same callback again: the state is spent.
            let replay = try await Self.callback(harness, query: query)
            XCTAssertEqual(replay.queryItems?.first { $0.name == "error" }?.value, "invalid_state")
            // …and so is the handle.
            let again = try await Self.complete(harness, token: token, handle: handle)
            XCTAssertEqual(again.status, .badRequest, again.text)
            XCTAssertEqual(again.json["error"]?["code"]?.stringValue, "invalid_state", again.text)
            let list = try await repository.list(organization: org, filter: .init(), page: PageRequest())
            XCTAssertEqual(list.count, 1)
        }
    }

    func testStateAttacksAreRefusedAndStoreNothing() async throws {
        try await withService { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let repository = ConnectionRepository(client: harness.hub.dependencies.postgres, logger: harness.hub.dependencies.logger)

            // Missing and unknown state.
            for query in ["code=abc&realmId=1", "code=abc&state=made-up&realmId=1", "state=&code=abc"] {
                let result = try await Self.callback(harness, query: query)
                XCTAssertEqual(result.queryItems?.first { $0.name == "error" }?.value, "invalid_state", query)
            }
            // A state issued for QuickBooks presented at another provider's callback.
            let query = try await Self.authorize(harness, token: token)
            let crossed = try await Self.callback(harness, provider: "xero", query: query)
            XCTAssertEqual(crossed.queryItems?.first { $0.name == "error" }?.value, "invalid_state")
            // …and it was consumed by that attempt: it does not work at its own callback either.
            let after = try await Self.callback(harness, query: query)
            XCTAssertEqual(after.queryItems?.first { $0.name == "error" }?.value, "invalid_state")

            // The user refused at the provider: a clean code, never the provider's text.
            let refusedState =
                try await Self.authorize(harness, token: token)
                .split(separator: "&").first { $0.hasPrefix("state=") }.map(String.init) ?? ""
            let refused = try await Self.callback(harness, query: "error=access_denied&error_description=%3Cscript%3E&\(refusedState)")
            XCTAssertEqual(refused.queryItems?.first { $0.name == "error" }?.value, "access_denied")
            XCTAssertFalse(refused.string?.contains("script") ?? true)

            // A tampered code fails the exchange at completion: an error code, nothing stored.
            let tampered = try await Self.authorize(harness, token: token).replacingOccurrences(of: "code=", with: "code=x")
            let failed = try await Self.complete(harness, token: token, handle: try Self.handle(try await Self.callback(harness, query: tampered)))
            XCTAssertEqual(failed.status, .badRequest, failed.text)
            XCTAssertEqual(failed.json["error"]?["code"]?.stringValue, "exchange_failed", failed.text)
            XCTAssertFalse(failed.text.contains("invalid_grant"), "the provider's words stay out of the answer")
            // A made-up handle, and none at all.
            let madeUp = try await Self.complete(harness, token: token, handle: "made-up")
            XCTAssertEqual(madeUp.json["error"]?["code"]?.stringValue, "invalid_state", madeUp.text)
            let empty = try await harness.request(.post, "/api/v1/integrations/oauth/quickbooks/complete", token: token, json: "{}")
            XCTAssertEqual(empty.status, .unprocessableContent, empty.text)

            let stored = try await repository.list(organization: org, filter: .init(), page: PageRequest())
            XCTAssertEqual(stored.count, 0, "a refused callback stored a connection")
        }
    }

    /// Someone in another organization starts an authorization and gets a victim to approve it:
    /// the victim's browser comes back with a valid state, but the victim's UI completes under the
    /// victim's token, which is not who started it. Refused; nothing stored anywhere; the handle is
    /// spent, so the one who started it cannot complete it either.
    func testAnAuthorizationStartedByAnotherOrganizationOrUserIsRefused() async throws {
        try await withService { harness in
            let (attackerOrg, victimOrg) = (UUID(), UUID())
            let attacker = try await harness.hub.token(organization: attackerOrg, subject: "mallory")
            let victim = try await harness.hub.token(organization: victimOrg, subject: "alice")
            let colleague = try await harness.hub.token(organization: attackerOrg, subject: "bob")
            let repository = ConnectionRepository(client: harness.hub.dependencies.postgres, logger: harness.hub.dependencies.logger)

            for (completer, label) in [(victim, "another organization"), (colleague, "another user of the same organization")] {
                let handle = try Self.handle(try await Self.callback(harness, query: try await Self.authorize(harness, token: attacker)))
                let refused = try await Self.complete(harness, token: completer, handle: handle)
                XCTAssertEqual(refused.status, .forbidden, "\(label): \(refused.text)")
                XCTAssertEqual(refused.json["error"]?["code"]?.stringValue, "authorization_mismatch", label)
                let spent = try await Self.complete(harness, token: attacker, handle: handle)
                XCTAssertEqual(spent.json["error"]?["code"]?.stringValue, "invalid_state", "\(label): \(spent.text)")
            }
            for org in [attackerOrg, victimOrg] {
                let stored = try await repository.list(organization: org, filter: .init(), page: PageRequest())
                XCTAssertEqual(stored.count, 0, "a refused completion stored a connection")
            }
            // The started user completes their own authorization.
            _ = try await Self.connect(harness, token: attacker, query: try await Self.authorize(harness, token: attacker))
            let own = try await repository.list(organization: attackerOrg, filter: .init(), page: PageRequest())
            XCTAssertEqual(own.count, 1)
        }
    }

    /// Redis losing its data (a flush, a restart without persistence) while an authorization is
    /// in flight: the callback is refused as an unknown state and the completion with a handle
    /// Redis no longer holds is a 400, never a 500; nothing is stored.
    func testAnAuthorizationWhoseStateRedisLostFailsClearly() async throws {
        try await withService { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let redis = harness.hub.dependencies.redis
            func forget(_ pattern: String) async throws {
                let keys = try await redis.send(["KEYS", .string(pattern)]).array?.compactMap(\.string) ?? []
                XCTAssertFalse(keys.isEmpty, "the flow keeps its state under \(pattern)")
                _ = try await redis.del(keys)
            }

            let query = try await Self.authorize(harness, token: token)
            try await forget("hub:oauth:state:*")
            let lost = try await Self.callback(harness, query: query)
            XCTAssertEqual(lost.queryItems?.first { $0.name == "error" }?.value, "invalid_state")

            let again = try await Self.authorize(harness, token: token)
            let handle = try Self.handle(try await Self.callback(harness, query: again))
            try await forget("hub:oauth:callback:*")
            let completed = try await Self.complete(harness, token: token, handle: handle)
            XCTAssertEqual(completed.status, .badRequest, completed.text)
            XCTAssertEqual(completed.json["error"]?["code"]?.stringValue, "invalid_state", completed.text)

            let repository = ConnectionRepository(client: harness.hub.dependencies.postgres, logger: harness.hub.dependencies.logger)
            let stored = try await repository.list(organization: org, filter: .init(), page: PageRequest())
            XCTAssertEqual(stored.count, 0)
        }
    }

    func testAnExpiredStateIsRefused() async throws {
        try await ServiceHarness.run(
            service: .oauth,
            environment: [
                "HUB_UI_ORIGIN": Self.uiOrigin, "HUB_OAUTH_STATE_TTL_SECONDS": "1",
                "HUB_PROVIDER_QUICKBOOKS_CLIENT_ID": "quickbooks-sandbox-client",
                "HUB_PROVIDER_QUICKBOOKS_CLIENT_SECRET": "quickbooks-sandbox-secret",
            ],
            addRoutes: OAuthService.addRoutes(to:dependencies:),
            openAPI: try OAuthService.openAPI()
        ) { harness in
            let org = UUID()
            let query = try await Self.authorize(harness, token: try await harness.hub.token(organization: org))
            try await Task.sleep(for: .milliseconds(2100))
            let late = try await Self.callback(harness, query: query)
            XCTAssertEqual(late.queryItems?.first { $0.name == "error" }?.value, "invalid_state")
            let repository = ConnectionRepository(client: harness.hub.dependencies.postgres, logger: harness.hub.dependencies.logger)
            let stored = try await repository.list(organization: org, filter: .init(), page: PageRequest())
            XCTAssertEqual(stored.count, 0)
        }
    }

    func testAuthorizeRefusesWhatItCannotStart() async throws {
        try await withService { harness in
            let token = try await harness.hub.token(organization: UUID())
            let stripe = try await harness.request(.get, "/api/v1/integrations/oauth/stripe/authorize", token: token)
            XCTAssertEqual(stripe.status, .unprocessableContent, stripe.text)
            let unknown = try await harness.request(.get, "/api/v1/integrations/oauth/nope/authorize", token: token)
            XCTAssertEqual(unknown.status, .unprocessableContent)
            let anonymous = try await harness.request(.get, "/api/v1/integrations/oauth/quickbooks/authorize", token: nil)
            XCTAssertEqual(anonymous.status, .unauthorized)
            // An unknown provider in the callback path is not echoed into the UI redirect.
            let echoed = try await harness.request(.get, "/api/v1/integrations/oauth/%3Cscript%3E/callback?state=x", token: nil)
            XCTAssertEqual(echoed.status, .found)
            let location = echoed.headers[.location] ?? ""
            XCTAssertFalse(location.lowercased().contains("script"), location)
            XCTAssertTrue(location.contains("error=invalid_callback"), location)
        }
    }
}
