import Foundation
import HubCore
import Hummingbird

/// A stand-in for Plaid Link, the browser widget, on Plaid's mount (`/plaid/…`):
///
/// - `GET /plaid/link/v2/stable/link-initialize.js` mirrors
///   `https://cdn.plaid.com/link/v2/stable/link-initialize.js`: `Plaid.create({token, onSuccess,
///   onExit})` returns a handler whose `open()` lays an iframe over the page, as Link does, and
///   whose `exit()` and `destroy()` close it.
/// - `GET /plaid/link/v2/stable/link.html?token=&origin=` inside that iframe: an institution picker
///   for a link token this sandbox issued.
/// - `POST` to the same page: picking an institution creates a public token that
///   `/item/public_token/exchange` accepts, then the page posts it to the opener's origin (the
///   script calls `onSuccess(public_token, metadata)`); "Exit" calls `onExit(null, metadata)`.
struct PlaidLinkRoutes {
    let provider: PlaidProvider
    static let messageSource = "plaid-link-sandbox"

    func add(to group: RouterGroup<SandboxContext>) {
        let store = provider.store
        group.get("link/v2/stable/link-initialize.js") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/javascript; charset=utf-8", .cacheControl: "no-cache"],
                body: .init(byteBuffer: ByteBuffer(string: Self.script))
            )
        }
        group.get("link/v2/stable/link.html") { request, _ in
            let query = request.uri.queryParameters
            let token = query["token"].map(String.init) ?? ""
            let origin = query["origin"].map(String.init) ?? ""
            guard Self.isOrigin(origin) else {
                return Self.html(status: .badRequest, Self.problem("The page that opened Link sent no valid origin."))
            }
            guard store.linkTokenWebhook(token) != nil else {
                return Self.html(status: .badRequest, Self.result(origin: origin, message: Self.exitMessage(error: "INVALID_LINK_TOKEN")))
            }
            return Self.html(Self.picker(token: token, origin: origin))
        }
        group.post("link/v2/stable/link.html") { request, context in
            let body = try await request.body.collect(upTo: 16 * 1024)
            let form = FormParameters(encoded: String(buffer: body))
            let token = form["token"] ?? ""
            let origin = form["origin"] ?? ""
            guard Self.isOrigin(origin) else {
                return Self.html(status: .badRequest, Self.problem("The page that opened Link sent no valid origin."))
            }
            guard let webhook = store.linkTokenWebhook(token) else {
                return Self.html(status: .badRequest, Self.result(origin: origin, message: Self.exitMessage(error: "INVALID_LINK_TOKEN")))
            }
            guard form["action"] == "select", let institution = form["institution_id"], let name = PlaidInstitutions.names[institution] else {
                return Self.html(Self.result(origin: origin, message: Self.exitMessage(error: nil)))
            }
            let publicToken = store.createPublicToken(institutionID: institution, webhook: webhook)
            let message: JSONValue = [
                "source": .string(Self.messageSource), "action": "success", "public_token": .string(publicToken),
                "metadata": [
                    "institution": ["institution_id": .string(institution), "name": .string(name)],
                    "link_session_id": .string(UUID().uuidString.lowercased()), "status": "connected",
                ],
            ]
            return Self.html(Self.result(origin: origin, message: message))
        }
    }

    /// `http(s)://host[:port]` and nothing more: where the result is posted.
    static func isOrigin(_ text: String) -> Bool {
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else { return false }
        return url.path.isEmpty && url.query == nil && url.fragment == nil && url.user == nil
    }

    static func exitMessage(error: String?) -> JSONValue {
        var message: [String: JSONValue] = ["source": .string(messageSource), "action": "exit", "metadata": ["status": "requires_credentials"]]
        if let error {
            message["error"] = [
                "error_type": "INVALID_INPUT", "error_code": .string(error), "error_message": "the link token is invalid or expired",
                "display_message": .null,
            ]
        }
        return .object(message)
    }

    static func html(status: HTTPResponse.Status = .ok, _ page: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: page))
        )
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// JSON safe inside a `<script>` element (no `</script>` can close it early).
    static func scriptJSON(_ value: JSONValue) -> String {
        String(decoding: value.encoded(), as: UTF8.self).replacingOccurrences(of: "<", with: "\\u003c")
    }

    static let style = """
        body{font:16px/1.5 system-ui,sans-serif;margin:0;background:rgba(15,23,42,.55);min-height:100vh;display:flex;\
        align-items:center;justify-content:center}main{background:#fff;border-radius:12px;padding:1.5rem;width:22rem;\
        max-width:90vw}h1{font-size:1.25rem;margin:0 0 .5rem}ul{list-style:none;padding:0;margin:1rem 0}li{margin:.4rem 0}\
        button{font:inherit;width:100%;padding:.6rem;border:1px solid #475569;border-radius:8px;background:#fff;cursor:pointer;\
        text-align:left}button.exit{text-align:center;background:#f1f5f9}button:focus{outline:3px solid #1c4fd8}
        """

    static func page(title: String, _ body: String) -> String {
        """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>\
        <meta name="viewport" content="width=device-width,initial-scale=1"><style>\(style)</style></head>\
        <body><main>\(body)</main></body></html>
        """
    }

    static func picker(token: String, origin: String) -> String {
        let hidden = """
            <input type="hidden" name="token" value="\(escape(token))"><input type="hidden" name="origin" value="\(escape(origin))">
            """
        let banks = PlaidInstitutions.names.sorted { $0.key < $1.key }.map { id, name in
            """
            <li><form method="post">\(hidden)<input type="hidden" name="action" value="select">\
            <input type="hidden" name="institution_id" value="\(escape(id))"><button type="submit">\(escape(name))</button></form></li>
            """
        }
        return page(
            title: "Plaid Link (sandbox)",
            """
            <h1>Select your bank</h1><p>Plaid sandbox: pick an institution to link its test accounts.</p>\
            <ul aria-label="Institutions">\(banks.joined())</ul>\
            <form method="post">\(hidden)<input type="hidden" name="action" value="exit"><button type="submit" class="exit">Exit</button></form>
            """
        )
    }

    /// Posts `message` to the page that opened Link, which then closes the iframe.
    static func result(origin: String, message: JSONValue) -> String {
        page(
            title: "Plaid Link (sandbox)",
            """
            <p>Returning to the application…</p>\
            <script>parent.postMessage(\(scriptJSON(message)), \(scriptJSON(.string(origin))));</script>
            """
        )
    }

    static func problem(_ text: String) -> String {
        page(title: "Plaid Link (sandbox)", "<h1>Link cannot open</h1><p>\(escape(text))</p>")
    }

    /// The page-side half: `Plaid.create` as Link's script defines it, talking to the iframe
    /// only through messages from the sandbox's origin and that iframe's window.
    static let script = """
        (function () {
          "use strict";
          var source = document.currentScript && document.currentScript.src ? document.currentScript.src : "";
          var base = new URL("./", source || window.location.href);
          window.Plaid = {
            version: "sandbox",
            create: function (config) {
              var frame = null;
              var listen = function (event) {
                if (!frame || event.origin !== base.origin || event.source !== frame.contentWindow) return;
                var data = event.data || {};
                if (data.source !== "\(messageSource)") return;
                close();
                if (data.action === "success") {
                  if (config.onSuccess) config.onSuccess(data.public_token, data.metadata || {});
                } else if (config.onExit) {
                  config.onExit(data.error || null, data.metadata || {});
                }
              };
              var close = function () {
                if (frame) frame.remove();
                frame = null;
                window.removeEventListener("message", listen);
              };
              return {
                open: function () {
                  if (frame) return;
                  frame = document.createElement("iframe");
                  frame.title = "Plaid Link";
                  frame.id = "plaid-link-iframe";
                  frame.src = base.href + "link.html?token=" + encodeURIComponent(config.token || "") +
                    "&origin=" + encodeURIComponent(window.location.origin);
                  var s = frame.style;
                  s.position = "fixed"; s.inset = "0"; s.width = "100%"; s.height = "100%"; s.border = "0"; s.zIndex = "2147483647";
                  window.addEventListener("message", listen);
                  document.body.appendChild(frame);
                  if (config.onEvent) config.onEvent("OPEN", { view_name: "SELECT_INSTITUTION" });
                },
                exit: function () {
                  if (!frame) return;
                  close();
                  if (config.onExit) config.onExit(null, { status: "requires_credentials" });
                },
                destroy: close,
              };
            },
          };
        })();

        """
}
