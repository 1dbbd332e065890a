import Foundation
import HTTPTypes
import HubCore
import Hummingbird

/// What every page handler needs: the templates, the session store, the APIs, and the rules for
/// cookies and forms. Built once in `WebConsole.buildApplication` and shared by the route groups.
struct Console: Sendable {
    let renderer: PageRenderer
    let sessions: SessionStore
    let links: SignInLinkStore
    let api: HubAPI
    let verifier: TokenVerifier
    let attempts: OAuthAttemptStore
    /// The console's own origin (`HUB_UI_ORIGIN`): unsafe requests must come from it.
    let origin: String
    /// Plaid Link's script (`PlaidLinkPages.scriptURL`).
    var plaidLinkScript = PlaidLinkPages.cdnScript

    /// `__Host-`: only this origin, path `/`, Secure. Browsers accept Secure cookies from https and
    /// from loopback http (127.0.0.1, localhost), which is where the local stack runs.
    static let cookieName = "__Host-hub_session"

    static func sessionCookie(_ id: String, maxAge: Int) -> String {
        "\(cookieName)=\(id); Path=/; Max-Age=\(maxAge); HttpOnly; Secure; SameSite=Lax"
    }

    static let clearedCookie = "\(cookieName)=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax"

    static func cookieValue(_ request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces)
                if pair.hasPrefix(cookieName + "=") { return String(pair.dropFirst(cookieName.count + 1)) }
            }
        }
        return nil
    }

    /// The signed-in session, or a redirect to the sign-in page.
    func session(_ request: Request) async throws -> ConsoleSession {
        guard let id = Self.cookieValue(request), let session = try await sessions.find(id) else {
            throw ConsolePageError.signInRequired
        }
        return session
    }

    /// A submitted form of a signed-in session, its CSRF token checked (in constant time).
    func form(_ request: Request, context: HubRequestContext) async throws -> (ConsoleSession, FormBody) {
        let session = try await session(request)
        let form = try await FormBody.read(request, context: context)
        let sent = form["_csrf"] ?? request.headers[HTTPField.Name("X-CSRF-Token")!] ?? ""
        guard !sent.isEmpty, ConstantTime.equals(sent, session.csrfToken) else { throw ConsolePageError.forbidden }
        return (session, form)
    }

    /// A page inside the layout: the organization, navigation, CSRF token for the sign-out form,
    /// and a notice chosen by code (never text from the URL).
    func page(
        _ template: String,
        title: String,
        section: String,
        session: ConsoleSession?,
        request: Request,
        values: [String: Any] = [:],
        status: HTTPResponse.Status = .ok
    ) -> Response {
        var all = values
        all["title"] = title
        all["section_" + section] = true
        if let session {
            all["signed_in"] = true
            all["csrf"] = session.csrfToken
            all["org_id"] = session.organizationID.uuidString.lowercased()
            all["user"] = session.subject
        }
        if let code = request.uri.queryParameters["notice"].map(String.init), let notice = Notice(rawValue: code) {
            all["notice"] = notice.message
            all["notice_error"] = notice.isError
        }
        return renderer.page(template, all, status: status)
    }
}

/// The messages a redirect can ask a page to show, by code.
enum Notice: String {
    case connected, disconnected, tested
    case testFailed = "test_failed"
    case syncStarted = "sync_started"
    case signedOut = "signed_out"
    case testSent = "test_sent"
    case redelivered, recovered, created, saved, revoked, enabled, disabled

    var message: String {
        switch self {
        case .connected: "Connected. The credentials were checked with the provider before they were kept."
        case .disconnected: "Disconnected. The hub revoked its access at the provider."
        case .tested: "Connection test passed."
        case .testFailed: "The connection test failed; the reason is below."
        case .syncStarted: "Sync started."
        case .signedOut: "You are signed out."
        case .testSent: "A test event is on its way; its delivery appears below."
        case .redelivered: "Delivery queued again."
        case .recovered: "The failed deliveries are queued again; they appear below as they are sent."
        case .enabled: "Enabled: new events are delivered to it again. Deliveries that failed meanwhile can be recovered below."
        case .disabled: "Disabled: it is sent nothing until you enable it again. Its events meanwhile are kept as failed deliveries, to recover then."
        case .created: "Created."
        case .saved: "Saved."
        case .revoked: "Key revoked: Zapier can no longer use it, and the Zaps that used it have stopped."
        }
    }

    var isError: Bool { self == .testFailed }
}
