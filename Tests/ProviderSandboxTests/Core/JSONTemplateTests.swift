import HubCore
import Testing

@testable import ProviderSandbox

/// A template writes exactly what encoding its shape with the values filled in writes, and the
/// seeded Stripe customers it writes are the ones the seed always generated.
struct JSONTemplateTests {
    @Test func aTemplateWritesWhatTheFilledShapeEncodesTo() {
        let hole = JSONTemplate.hole
        let shape: JSONValue = [
            "id": hole(2), "object": "thing", "nested": ["z": hole(0), "a": [hole(1), "fixed"]], "quote": "\"", "hole 3": hole(3),
        ]
        let values: [[JSONValue]] = [
            ["tab\tand \"quotes\" and \u{1}", 12, "x_1", .null],
            [-3, ["k": "v", "b": [.number(1.5), true]], "x_2", "é/ü"],
        ]
        for order in [JSONKeyOrder.sorted, .identityFirst] {
            let template = JSONTemplate(shape, holes: 4, order: order)
            for values in values {
                #expect(template.render(values) == shape.filled(values).encoded(order), "\(order)")
            }
        }
    }

    @Test func aFilledShapeKeepsNoHole() {
        let shape: JSONValue = ["a": JSONTemplate.hole(0), "b": [JSONTemplate.hole(1)]]
        #expect(shape.filled(["x", 2]) == ["a": "x", "b": [2]])
    }

    @Test func seededCustomersAreWrittenAsTheSeedGeneratesThem() throws {
        let seed = StripeSeed(seed: 42, volume: 3_000)
        for index in stride(from: 0, to: 3_000, by: 7) {
            #expect(seed.customerBytes(index) == JSONValue.object(seed.customer(index)).encoded(.identityFirst))
        }
        // Written by the sandbox before the template (`provider-sandbox --volume 3000`, seed 42).
        let before = #"""
            {"id":"cus_qE5tz7FaeWJHVv","object":"customer","address":{"city":"Seattle","country":"US","line1":"100 Main Street",\#
            "line2":null,"postal_code":"98101","state":"WA"},"balance":0,"created":1699826000,"currency":"usd","default_source":null,\#
            "delinquent":false,"description":null,"discount":null,"email":"frances.hamilton.99@example.com","invoice_prefix":"QE5TZ7FA",\#
            "invoice_settings":{"custom_fields":null,"default_payment_method":null,"footer":null},"livemode":false,\#
            "metadata":{"seed_index":"99"},"name":"Frances Hamilton","next_invoice_sequence":1,"phone":"+15555785004",\#
            "preferred_locales":[],"shipping":null,"tax_exempt":"none","test_clock":null}
            """#
        #expect(String(decoding: seed.customerBytes(99), as: UTF8.self) == before)
    }
}
