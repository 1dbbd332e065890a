import HubCore
import Testing

@testable import WebConsole

/// Only a Slack connection's pages offer the Slack notifications tab.
@Suite struct SlackTabTests {
    static func connection(provider: String) -> JSONValue {
        ["id": "6f1c0000-0000-4000-8000-000000000002", "provider": .string(provider), "status": "connected", "credential_fields": ["access_token"]]
    }

    @Test func aSlackConnectionHasTheTabAndOthersDoNot() async throws {
        let renderer = try await PageRenderer.bundled()
        let slack = renderer.html("connection", try await ConnectionPages.summary(Self.connection(provider: "slack")))
        #expect(slack.contains(#"href="/connections/6f1c0000-0000-4000-8000-000000000002/slack""#))
        let xero = renderer.html("connection", try await ConnectionPages.summary(Self.connection(provider: "xero")))
        #expect(!xero.contains("/slack\""))
    }
}
