import HubConnectors
import HubCore
import XCTest

@testable import ProviderSandbox

/// The sandbox's Stripe internals without HTTP: form decoding, seeding, and list paging at volume.
final class StripeStoreTests: XCTestCase {
    func testFormDecodingNestsBracketsAndArrays() {
        let fields = StripeForm.decode(
            Substring(
                "name=Ada+L&metadata%5Border%5D=6735&items[0][price]=p1&items[1][price]=p2&items[1][quantity]=3"
                    + "&expand[]=customer&expand[]=invoice&created[gte]=5&email="
            )
        )
        XCTAssertEqual(fields["name"], "Ada L")
        XCTAssertEqual(fields["metadata"], ["order": "6735"])
        XCTAssertEqual(fields["items"], [["price": "p1"], ["price": "p2", "quantity": "3"]])
        XCTAssertEqual(fields["expand"], ["customer", "invoice"])
        XCTAssertEqual(fields["created"], ["gte": "5"])
        XCTAssertEqual(fields["email"], "")
    }

    func testSeedingIsDeterministicAndIndependentOfVolume() {
        let small = StripeStore(seed: 42, volume: 5)
        let again = StripeStore(seed: 42, volume: 5)
        let larger = StripeStore(seed: 42, volume: 8)
        let other = StripeStore(seed: 43, volume: 5)
        XCTAssertEqual(small.ids(.customers), again.ids(.customers))
        XCTAssertEqual(small.ids(.customers).count, 5)
        // The first objects generated are the same whatever the volume (the larger list has three
        // more, newer... so its oldest five are the small list's).
        XCTAssertEqual(Array(larger.ids(.customers).suffix(5)).sorted(), small.ids(.customers).sorted())
        XCTAssertNotEqual(small.ids(.customers), other.ids(.customers))
        for resource in [StripeResource.products, .prices, .invoices, .paymentIntents, .charges, .balanceTransactions, .payouts, .subscriptions] {
            XCTAssertEqual(small.ids(resource).count, 5, resource.path)
        }
    }

    func testPagingAtVolumeVisitsEveryObjectOnceInOrder() throws {
        let store = StripeStore(seed: 7, volume: 2_000)
        var seen: [String] = []
        var after: String?
        repeat {
            var params: JSONObject = [:]
            params["limit"] = "100"
            if let after { params["starting_after"] = .string(after) }
            let page = try XCTUnwrap(JSONReader.parse(try store.list(.customers, params: params)))
            let ids = page["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            seen += ids
            after = page["has_more"]?.boolValue == true ? ids.last : nil
        } while after != nil
        XCTAssertEqual(seen, store.ids(.customers))
        XCTAssertEqual(Set(seen).count, 2_000)
    }

    /// A page deep in a large list costs the same as the first: the cursor is found by index and
    /// binary search, not by scanning.
    func testDeepPagesOfALargeListAreAsCheapAsTheFirst() throws {
        var state = StripeState(seed: 1)
        state.change = .admin(now: 1_700_000_000)
        state.recordsEvents = false
        for index in 0..<100_000 {
            state.insert(.customers, StripeTemplates.customer(id: "cus_\(index)", created: 1_600_000_000 + index))
        }
        let collection = try XCTUnwrap(state.collections["customers"])
        var query = StripeCollection.Query()
        query.limit = 100
        query.startingAfter = "cus_150"
        let clock = ContinuousClock()
        var page: (objects: [StripeCollection.Stored], hasMore: Bool) = ([], false)
        let elapsed = try clock.measure {
            for _ in 0..<200 { page = try collection.page(query) }
        }
        XCTAssertEqual(page.objects.count, 100)
        XCTAssertEqual(page.objects.first?.created, 1_600_000_149)
        XCTAssertLessThan(elapsed, .seconds(2), "200 deep pages of 100 took \(elapsed)")
    }

    func testEventTypeWildcards() {
        XCTAssertTrue(StripeParameters.wildcard("customer.*", matches: "customer.updated"))
        XCTAssertTrue(StripeParameters.wildcard("customer.*", matches: "customer.subscription.deleted"))
        XCTAssertTrue(StripeParameters.wildcard("*.created", matches: "invoice.created"))
        XCTAssertTrue(StripeParameters.wildcard("*", matches: "invoice.created"))
        XCTAssertFalse(StripeParameters.wildcard("customer.*", matches: "invoice.created"))
        XCTAssertFalse(StripeParameters.wildcard("customer.*", matches: "customer"))
    }

    func testSignatureMatchesStripesPublishedVector() {
        let body = Array(#"{"id": "evt_test_webhook", "object": "event"}"#.utf8)
        XCTAssertEqual(
            StripeWebhookSender.signature(secret: "whsec_test_secret", timestamp: 1_492_774_577, body: body),
            "c137b1b62277d523cf8fed4dfbd0170a9a5b8a380e00cc3711d4bf0652f2ce7a"
        )
    }
}
