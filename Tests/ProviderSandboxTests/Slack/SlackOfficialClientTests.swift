import Foundation
import ProviderSandbox
import Testing

/// The sandbox's Slack as Slack's own Python SDK (`slack_sdk`) sees it.
@Suite struct SlackOfficialClientTests {
    @Test func slackSDKInstallsPagesLooksUpPostsAndVerifiesThroughTheSandbox() async throws {
        try await SlackSandboxHarness.start(volume: 1) { harness in
            let result = try await OfficialClientScript.run(besides: #filePath, port: harness.port, package: "slack-sdk")
            #expect(result["token_type"] as? String == "bot")
            #expect(result["team_matches"] as? Bool == true)
            #expect(result["pages"] as? Int == 3)
            #expect(result["channels"] as? Int == 23)
            #expect(result["unique"] as? Int == 23)
            #expect(result["posted_channel"] as? String == "C0000000001")
            #expect(result["posted_blocks"] as? Bool == true)
            #expect(result["rate_limited"] as? Int == 429)
            #expect(result["retry_after"] as? String == "1")
            #expect(result["missing_channel"] as? String == "channel_not_found")
            #expect(result["info_name"] as? String == "hub-alerts")
            #expect(result["info_archived"] as? Bool == true)
            #expect(result["archived_listed"] as? Bool == false, "exclude_archived leaves it out")
            #expect(result["archived_listed_when_asked"] as? Bool == true)
            #expect(result["archived_post"] as? String == "is_archived")
            #expect(result["info_private"] as? String == "channel_not_found")
            #expect(result["stored"] as? Int == 1, "the refused posts stored nothing")
            #expect(result["signature_valid"] as? Bool == true)
            #expect(result["signature_tampered"] as? Bool == false)
            #expect(result["signature_stale"] as? Bool == false)
            #expect(result["revoked"] as? String == "token_revoked")
        }
    }
}
