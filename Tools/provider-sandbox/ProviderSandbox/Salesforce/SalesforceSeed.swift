import HubCore

/// The records an org starts with, each generated from its index alone, so an object of any
/// volume is built only when first touched and names the same records on every run: the i-th
/// contact, opportunity and order belong to the i-th account, the i-th line item and contact role
/// to the i-th opportunity (the role naming the i-th contact). Seeded records changed on 1 January 2026 at one-second steps.
enum SalesforceSeed {
    /// 2026-01-01T00:00:00Z.
    static let epochMilliseconds: Int64 = 1_767_225_600_000
    static let ownerID = SalesforceID.make("005", 1)

    static func stamp(_ index: Int) -> Int64 {
        epochMilliseconds + Int64(index) * 1000
    }

    /// The id of the index-th seeded record of a type.
    static func id(_ type: SalesforceObjectType, _ index: Int) -> String {
        SalesforceID.make(type.keyPrefix, index + 1)
    }

    static let stages = ["Prospecting", "Qualification", "Proposal/Price Quote", "Closed Won", "Closed Lost"]

    static func record(_ type: SalesforceObjectType, _ index: Int, volume: Int) -> JSONObject {
        let n = index + 1
        let other = index % max(volume, 1)
        var record: JSONObject
        switch type.name {
        case "Account":
            record = [
                "Name": .string("Account \(n)"), "AccountNumber": .string("ACC-\(n)"), "Type": "Customer - Direct",
                "Industry": .string(["Technology", "Retail", "Manufacturing", "Finance", "Healthcare"][index % 5]),
                "Phone": .string("(555) 010-\(1000 + index % 9000)"), "Website": .string("https://account\(n).example.com"),
                "Description": .string("Seeded account \(n)"), "AnnualRevenue": .number(Double((index % 100 + 1) * 10_000)),
                "BillingStreet": .string("\(n) Market Street"), "BillingCity": "San Francisco", "BillingState": "CA",
                "BillingPostalCode": "94105", "BillingCountry": "US",
            ]
        case "Contact":
            record = [
                "AccountId": .string(id(.account, other)), "FirstName": .string("First\(n)"), "LastName": .string("Last\(n)"),
                "Email": .string("contact\(n)@example.com"), "Phone": .string("(555) 020-\(1000 + index % 9000)"), "Title": "Buyer",
                "MailingStreet": .string("\(n) Mission Street"), "MailingCity": "San Francisco", "MailingState": "CA",
                "MailingPostalCode": "94105", "MailingCountry": "US",
            ]
        case "Opportunity":
            let stage = stages[index % stages.count]
            let line = lineAmounts(index)
            record = [
                "Name": .string("Opportunity \(n)"), "StageName": .string(stage), "CloseDate": .string(SalesforceTime.day(stamp(index))),
                "Amount": .number(line.total), "Probability": .number([10, 20, 75, 100, 0][index % 5]), "AccountId": .string(id(.account, other)),
                "Description": .string("Seeded opportunity \(n)"), "IsClosed": .bool(stage.hasPrefix("Closed")),
                "IsWon": .bool(stage == "Closed Won"),
            ]
        case "OpportunityLineItem":
            let line = lineAmounts(index)
            record = [
                "OpportunityId": .string(id(.opportunity, index)), "Product2Id": .string(id(.product, other)),
                "Name": .string("Opportunity \(n) Product \(other + 1)"), "Description": .string("Seeded line \(n)"),
                "Quantity": .number(line.quantity), "UnitPrice": .number(line.unitPrice), "TotalPrice": .number(line.total),
            ]
        case "OpportunityContactRole":
            record = [
                "OpportunityId": .string(id(.opportunity, index)), "ContactId": .string(id(.contact, other)),
                "Role": .string(index % 2 == 0 ? "Decision Maker" : "Evaluator"), "IsPrimary": true,
            ]
        case "Product2":
            record = [
                "Name": .string("Product \(n)"), "ProductCode": .string("SKU-\(n)"), "Description": .string("Seeded product \(n)"),
                "Family": .string(["Hardware", "Software", "Services"][index % 3]), "IsActive": .bool(index % 10 != 9),
            ]
        default:
            record = [
                "AccountId": .string(id(.account, other)), "EffectiveDate": .string(SalesforceTime.day(stamp(index))),
                "Status": .string(index % 2 == 0 ? "Draft" : "Activated"), "Description": .string("Seeded order \(n)"),
                "OrderNumber": .string(orderNumber(n)), "TotalAmount": .number(lineAmounts(index).total),
            ]
        }
        let time = JSONValue.string(SalesforceTime.string(stamp(index)))
        record["Id"] = .string(id(type, index))
        record["OwnerId"] = .string(ownerID)
        record["IsDeleted"] = false
        record["CreatedDate"] = time
        record["LastModifiedDate"] = time
        record["SystemModstamp"] = time
        return record
    }

    /// Quantity 1–3 at 10.00–59.00.
    static func lineAmounts(_ index: Int) -> (quantity: Double, unitPrice: Double, total: Double) {
        let quantity = Double(1 + index % 3)
        let price = Double(10 + index % 50)
        return (quantity, price, quantity * price)
    }

    static func orderNumber(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
