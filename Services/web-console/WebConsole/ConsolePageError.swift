import Foundation
import HTTPTypes
import HubCore
import Hummingbird

/// Why a page cannot be shown; `ConsolePageErrorMiddleware` renders each as HTML.
enum ConsolePageError: Error {
    case signInRequired
    case forbidden
    case notFound
    case tooLarge
}

/// Console routes answer errors with pages, not the API's JSON envelope: a signed-out visitor is
/// sent to the sign-in page, a refused form gets a 403 page, an API's refusal its message.
struct ConsolePageErrorMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let console: Console

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch ConsolePageError.signInRequired {
            return seeOther("/sign-in", headers: [.setCookie: Console.clearedCookie])
        } catch ConsolePageError.forbidden {
            return errorPage(
                request,
                status: .forbidden,
                heading: "This request was refused",
                message: "The form was stale or came from another site. Go back, reload the page and try again."
            )
        } catch ConsolePageError.tooLarge {
            return errorPage(
                request,
                status: .contentTooLarge,
                heading: "Too much to send",
                message: "The form sent more than \(FormBody.maxBytes / 1024) KB, more than any of the console's forms needs. "
                    + "Go back and shorten what you typed."
            )
        } catch ConsolePageError.notFound {
            return errorPage(request, status: .notFound, heading: "Not found", message: "There is nothing here.")
        } catch let failure as HubAPIFailure {
            if failure.status == 401 {
                return seeOther("/sign-in", headers: [.setCookie: Console.clearedCookie])
            }
            if failure.status == 503 { return unavailablePage(request) }
            let status = HTTPResponse.Status(code: failure.status == 404 ? 404 : failure.status >= 500 ? 502 : failure.status)
            return errorPage(request, status: status, heading: failure.status == 404 ? "Not found" : "Something went wrong", message: failure.message)
        } catch let error where UnavailableDependency.matches(error) {
            return unavailablePage(request)
        } catch {
            context.logger.error("console page failed", metadata: ["error": "\(String(reflecting: error))"])
            return errorPage(
                request,
                status: .internalServerError,
                heading: "Something went wrong",
                message: "The page could not be shown. Request id: \(context.requestID)"
            )
        }
    }

    /// A store or service the page needs is down or restarting (an API answered 503): a passing
    /// moment, said so, with `Retry-After` as the API gives it.
    func unavailablePage(_ request: Request) -> Response {
        var response = errorPage(
            request,
            status: .serviceUnavailable,
            heading: "Temporarily unavailable",
            message: "A service the console needs is not answering just now. Try again in a moment."
        )
        response.headers[.retryAfter] = "5"
        return response
    }

    func errorPage(_ request: Request, status: HTTPResponse.Status, heading: String, message: String) -> Response {
        console.page(
            "error",
            title: heading,
            section: "none",
            session: nil,
            request: request,
            values: ["heading": heading, "message": message],
            status: status
        )
    }
}

/// A path no route knows gets the console's "not found" page, not the API's JSON envelope; on the
/// router itself, where unmatched requests pass. The APIs' own paths keep their JSON answer.
struct ConsoleNotFoundMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let console: Console

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && Self.isPage(request.uri.path) {
            var response = ConsolePageErrorMiddleware(console: console).errorPage(
                request,
                status: .notFound,
                heading: "Not found",
                message: "There is no page here."
            )
            response.headers[HTTPField.Name("Content-Security-Policy")!] = SecurityHeadersMiddleware.contentSecurityPolicy
            return response
        }
    }

    static func isPage(_ path: String) -> Bool {
        !["/api/", "/internal/", "/webhooks/", "/static/"].contains { path.hasPrefix($0) }
    }
}

/// Refuses unsafe requests a browser sent on another site's behalf: `Sec-Fetch-Site` must be
/// same-origin (or none: typed or bookmarked), and `Origin`, when sent, must be the console's.
/// Clients that send neither (curl) still need the session's CSRF token.
struct SameOriginMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let origin: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard [HTTPRequest.Method.get, .head, .options].contains(request.method) || Self.allows(request.headers, origin: origin) else {
            throw ConsolePageError.forbidden
        }
        return try await next(request, context)
    }

    static func allows(_ headers: HTTPFields, origin: String) -> Bool {
        if let site = headers[HTTPField.Name("Sec-Fetch-Site")!], site != "same-origin", site != "none" { return false }
        if let sent = headers[HTTPField.Name("Origin")!], sent != origin { return false }
        return true
    }
}

/// The UUID in a path parameter, lowercased as the APIs write ids; anything else names no page.
func pathID(_ context: HubRequestContext, _ name: String) throws -> String {
    guard let id = UUID(uuidString: try context.parameters.require(name)) else { throw ConsolePageError.notFound }
    return id.uuidString.lowercased()
}
