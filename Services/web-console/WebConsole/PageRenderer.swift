import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// The templates, parsed once at start (a template error stops the service before it listens),
/// and how a page becomes a response: HTML, never cached, with the console's security headers.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary

    public init(library: MustacheLibrary) {
        self.library = library
    }

    /// Where the templates are: the module's resources.
    static var templatesDirectory: URL? { Bundle.module.url(forResource: "Templates", withExtension: nil) }

    /// Loads `Templates/*.mustache` from the module's resources.
    public static func bundled() async throws -> PageRenderer {
        guard let directory = templatesDirectory else {
            throw ConsoleSetupError("the Templates folder is missing from the web console's bundle")
        }
        return PageRenderer(library: try await MustacheLibrary(directory: directory.path))
    }

    /// The HTML of `template` with `values`; values are escaped by Mustache (`{{…}}`), and the
    /// templates never use triple braces.
    public func html(_ template: String, _ values: [String: Any]) -> String {
        library.render(values, withTemplate: template) ?? ""
    }

    public func page(_ template: String, _ values: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html(template, values)))
        )
    }
}

/// The console could not start: a resource is missing.
public struct ConsoleSetupError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// A 303 to a path of the console (POST → redirect → GET).
func seeOther(_ location: String, headers extra: HTTPFields = [:]) -> Response {
    var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
    headers.append(contentsOf: extra)
    return Response(status: .seeOther, headers: headers)
}
