import Foundation
import HubCore
import Testing

@testable import WebConsole

/// Provider data is escaped wherever a page shows it; templates never print raw HTML.
@Suite struct PageRenderingTests {
    @Test func theCatalogEscapesProviderData() async throws {
        let renderer = try await PageRenderer.bundled()
        let html = renderer.html(
            "catalog",
            [
                "title": "Integrations", "signed_in": true, "csrf": "c\"s<rf", "user": "<b>eve</b>",
                "cards": [
                    [
                        "id": "stripe", "name": "Str<i>pe", "initial": "S", "category": "Payments", "auth": "API key",
                        "description": "<script>alert(1)</script> & \"quotes\"",
                    ] as [String: Any]
                ],
                "tabs": [["label": "All", "href": "/integrations?q=\"><x", "current": true] as [String: Any]],
                "count_connected": 0, "count_active": 0, "count_available": 1, "q": "\"><img src=x>",
            ]
        )
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"))
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("Str&lt;i&gt;pe"))
        #expect(!html.contains("<img src=x>"))
        #expect(html.contains("value=\"c&quot;s&lt;rf\""))
        #expect(!html.contains("<b>eve</b>"))
    }

    @Test func timestampsAreShownAsPeopleReadThemBesideTheExactValue() throws {
        let row = try #require(
            JSONValue.object(["changed_at": "2026-12-04T18:45:46Z", "name": "x"]).mustache as? [String: Any]
        )
        #expect(row["changed_at_human"] as? String == "4 Dec 2026, 18:45:46 UTC")
        #expect(row["changed_at"] as? String == "2026-12-04T18:45:46Z")
        #expect(row["name_human"] == nil)
        #expect(JSONValue.humanTime("2026-12-04T18:45:46.123Z") == "4 Dec 2026, 18:45:46 UTC")
        #expect(JSONValue.humanTime("yesterday") == nil)
    }

    @Test func templatesHaveNoTripleBracesInlineScriptsOrStyles() throws {
        let directory = try #require(PageRenderer.templatesDirectory)
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        #expect(files.count >= 10)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(!text.contains("{{{"), "\(file.lastPathComponent) prints unescaped data")
            #expect(!text.contains("{{&"), "\(file.lastPathComponent) prints unescaped data")
            #expect(!text.contains("style=\""), "\(file.lastPathComponent) has an inline style")
            #expect(!text.contains("<style"), "\(file.lastPathComponent) has an inline style")
            #expect(text.range(of: #" on[a-z]+="#, options: .regularExpression) == nil, "\(file.lastPathComponent) has an event handler attribute")
            for line in text.split(separator: "\n") where line.contains("<script") {
                #expect(line.contains("src=\"/static/"), "\(file.lastPathComponent): inline script")
            }
        }
    }
}
