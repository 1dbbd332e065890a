import AsyncHTTPClient
import Foundation
import HubConnectors
import HubCore
import NIOCore
import NIOHTTP1
import Testing

/// Plaid Link's stand-in: the script Plaid's CDN serves, the institution picker for a link token
/// the sandbox issued, and a public token that the exchange accepts.
@Suite struct PlaidLinkTests {
    static let origin = "http://127.0.0.1:8080"

    func post(_ harness: PlaidSandboxHarness, _ path: String, form: String) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(harness.port)\(path)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: form))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    @Test func pickingAnInstitutionReturnsAPublicTokenTheExchangeAccepts() async throws {
        try await PlaidSandboxHarness.run(volume: 5) { harness in
            let script = try await harness.request(.GET, "/plaid/link/v2/stable/link-initialize.js")
            #expect(script.status == 200)
            #expect(script.body.contains("window.Plaid") && script.body.contains("create: function (config)"))

            let (linkToken, _) = try await harness.connector().createLinkToken(clientUserID: "u1", clientName: "Hub")
            let query = "token=\(linkToken)&origin=\(Self.origin.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            let picker = try await harness.request(.GET, "/plaid/link/v2/stable/link.html?" + query)
            #expect(picker.status == 200)
            #expect(picker.body.contains("First Platypus Bank"))

            let chosen = try await post(harness, "/plaid/link/v2/stable/link.html", form: "action=select&institution_id=ins_109511&" + query)
            #expect(chosen.status == 200)
            #expect(chosen.body.contains(#""institution_id":"ins_109511""#))
            #expect(chosen.body.contains("parent.postMessage(") && chosen.body.contains("127.0.0.1:8080\");"), "posted to the opener's origin only")
            let publicToken = try #require(chosen.body.firstMatch(of: /public-sandbox-[0-9a-f-]+/).map { String($0.0) })
            let (accessToken, _) = try await harness.connector().exchangePublicToken(publicToken)
            let check = try await harness.connector(accessToken: accessToken).testConnection()
            #expect(check.accountName == "Tartan Bank")

            let exit = try await post(harness, "/plaid/link/v2/stable/link.html", form: "action=exit&" + query)
            #expect(exit.body.contains(#""action":"exit""#) && !exit.body.contains("public-sandbox-"))
        }
    }

    @Test func aTokenTheSandboxDidNotIssueOrABadOriginIsRefused() async throws {
        try await PlaidSandboxHarness.run(volume: 5) { harness in
            let unknown = try await harness.request(
                .GET,
                "/plaid/link/v2/stable/link.html?token=link-sandbox-nope&origin=http%3A%2F%2F127.0.0.1%3A8080"
            )
            #expect(unknown.status == 400)
            #expect(unknown.body.contains("INVALID_LINK_TOKEN"))
            let forged = try await post(
                harness,
                "/plaid/link/v2/stable/link.html",
                form: "action=select&institution_id=ins_109508&token=link-sandbox-nope&origin=http%3A%2F%2F127.0.0.1%3A8080"
            )
            #expect(forged.status == 400 && !forged.body.contains("public-sandbox-"))
            let (linkToken, _) = try await harness.connector().createLinkToken(clientUserID: "u1", clientName: "Hub")
            for origin in ["javascript%3Aalert(1)", "http%3A%2F%2Fevil.example%2Fpath", ""] {
                let refused = try await harness.request(.GET, "/plaid/link/v2/stable/link.html?token=\(linkToken)&origin=\(origin)")
                #expect(refused.status == 400, "origin \(origin)")
            }
        }
    }
}
