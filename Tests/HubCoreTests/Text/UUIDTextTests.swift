import Foundation
import HubCore
import Logging
import Testing

/// Identifiers interpolate in lowercase (RFC 9562), in strings and in log metadata.
struct UUIDTextTests {
    let id = UUID(uuidString: "0193A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B")!

    @Test func stringsAndPathsUseTheLowercaseForm() {
        #expect("\(id)" == "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")
        #expect("/api/v1/integrations/connections/\(id)" == "/api/v1/integrations/connections/0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")
    }

    @Test func logMetadataUsesTheLowercaseForm() {
        let value: Logger.MetadataValue = "\(id)"
        #expect(value.description == "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")
    }
}
