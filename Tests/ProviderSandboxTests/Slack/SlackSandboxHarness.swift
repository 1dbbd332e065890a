import Foundation

/// The whole sandbox on a loopback port (Slack needs nothing seeded beyond its workspace).
struct SlackSandboxHarness: SandboxHarness {
    let port: Int
    let inboxPort: Int
    let inbox: WebhookInbox
}
