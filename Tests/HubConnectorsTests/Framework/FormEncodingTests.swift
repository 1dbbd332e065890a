import HubConnectors
import HubCore
import XCTest

final class FormEncodingTests: XCTestCase {
    func testNestsObjectsAndArraysWithBracketsAndSortsKeys() {
        let body: JSONValue = [
            "email": "a+b@example.com",
            "metadata": ["order": "6735", "note": "x y&z"],
            "items": [["price": "price_1", "quantity": 2], ["price": "price_2"]],
            "expand": ["data.customer"],
            "livemode": false,
        ]
        XCTAssertEqual(
            FormEncoding.encode(body),
            "email=a%2Bb%40example.com&expand%5B0%5D=data.customer&items%5B0%5D%5Bprice%5D=price_1"
                + "&items%5B0%5D%5Bquantity%5D=2&items%5B1%5D%5Bprice%5D=price_2&livemode=false"
                + "&metadata%5Bnote%5D=x%20y%26z&metadata%5Border%5D=6735"
        )
    }

    func testNullClearsAFieldAndFractionsSurvive() {
        XCTAssertEqual(FormEncoding.encode(["description": .null, "rate": .number(2.5)]), "description=&rate=2.5")
    }
}
