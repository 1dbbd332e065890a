import HubCore

/// The objects a tenant starts with, each generated from its index alone, so a collection of any
/// volume is built only when first read and names the same objects on every run: the i-th invoice
/// belongs to the i-th contact and the i-th payment pays it. Seeded objects changed on 1 January
/// 2026 at one-second steps, so `If-Modified-Since` can split them exactly.
enum XeroSeed {
    /// 2026-01-01T00:00:00Z.
    static let epochMilliseconds: Int64 = 1_767_225_600_000

    static func updated(_ index: Int) -> Int64 {
        epochMilliseconds + Int64(index) * 1000
    }

    /// A stable UUID-shaped id for the index-th object of a collection.
    static func id(_ resource: String, _ index: Int) -> String {
        let high = SeededGenerator.stableHash(resource)
        let hex = String(high, radix: 16).leftPadded(16)
        let tail = String(UInt64(index) &+ 1, radix: 16).leftPadded(12)
        let head = Array(hex)
        return "\(String(head[0..<8]))-\(String(head[8..<12]))-4\(String(head[13..<16]))-8\(String(head[1..<4]))-\(tail)"
    }

    /// (code, name, type, class) of the seeded chart of accounts; 090 is the bank account.
    static let accountCodes: [(String, String, String, String)] = [
        ("090", "Business Bank Account", "BANK", "ASSET"), ("200", "Sales", "REVENUE", "REVENUE"),
        ("260", "Other Revenue", "OTHERINCOME", "REVENUE"), ("300", "Purchases", "DIRECTCOSTS", "EXPENSE"),
        ("400", "Advertising", "EXPENSE", "EXPENSE"), ("610", "Accounts Receivable", "CURRENT", "ASSET"),
        ("800", "Accounts Payable", "CURRLIAB", "LIABILITY"), ("820", "GST", "CURRLIAB", "LIABILITY"),
        ("960", "Retained Earnings", "EQUITY", "EQUITY"), ("970", "Owner A Funds Introduced", "EQUITY", "EQUITY"),
    ]

    /// (tax type, name, rate in percent) of the seeded tax rates.
    static let taxRates: [(String, String, Double)] = [
        ("OUTPUT2", "15% GST on Income", 15), ("INPUT2", "15% GST on Expenses", 15), ("NONE", "No GST", 0),
        ("EXEMPTOUTPUT", "Zero Rated", 0), ("ZERORATEDINPUT", "Zero Rated Expenses", 0),
    ]

    static func object(_ resource: XeroResource, _ index: Int, volume: Int) -> JSONObject {
        var object: JSONObject
        switch resource.name {
        case "Contacts": object = contact(index)
        case "Invoices": object = invoice(index, volume: volume)
        case "Items": object = item(index)
        case "Accounts": object = account(index)
        case "Payments": object = payment(index, volume: volume)
        case "CreditNotes": object = creditNote(index, volume: volume)
        case "BankTransactions": object = bankTransaction(index, volume: volume)
        default: return taxRate(index)
        }
        object["UpdatedDateUTC"] = .string(XeroTimestamp.json(milliseconds: updated(index)))
        return object
    }

    static func contact(_ index: Int) -> JSONObject {
        [
            "ContactID": .string(id("Contacts", index)), "Name": .string("Contact \(index + 1)"),
            "FirstName": .string("First\(index + 1)"), "LastName": .string("Last\(index + 1)"),
            "EmailAddress": .string("contact\(index + 1)@example.com"), "ContactStatus": "ACTIVE",
            // Two thirds buy, two thirds sell: every third contact is both.
            "IsCustomer": .bool(index % 3 != 2), "IsSupplier": .bool(index % 3 != 0),
            "DefaultCurrency": "NZD", "TaxNumber": .string("12-345-\(index + 100)"),
            "Addresses": [["AddressType": "POBOX", "AddressLine1": .string("\(index + 1) Queen Street"), "City": "Auckland", "Country": "NZ"]],
            "Phones": [["PhoneType": "DEFAULT", "PhoneNumber": .string("555-\(1000 + index % 9000)")]],
        ]
    }

    static func contactReference(_ index: Int) -> JSONValue {
        ["ContactID": .string(id("Contacts", index)), "Name": .string("Contact \(index + 1)")]
    }

    /// A one-line document: quantity 1–3 of 10.00–59.00, 15 % tax on top.
    static func lines(_ index: Int, account: String) -> (lines: JSONValue, subTotal: Int, tax: Int) {
        let quantity = 1 + index % 3
        let unitCents = (10 + index % 50) * 100
        let amount = quantity * unitCents
        let tax = amount * 15 / 100
        let line: JSONValue = [
            "LineItemID": .string(id("LineItems", index)), "Description": .string("Seeded line \(index + 1)"),
            "Quantity": .number(Double(quantity)), "UnitAmount": .number(Double(unitCents) / 100),
            "LineAmount": .number(Double(amount) / 100), "TaxAmount": .number(Double(tax) / 100),
            "TaxType": account == "200" ? "OUTPUT2" : "INPUT2", "AccountCode": .string(account),
            "ItemCode": .string("ITEM-\(index + 1)"),
        ]
        return ([line], amount, tax)
    }

    static func invoice(_ index: Int, volume: Int) -> JSONObject {
        let payable = index % 4 == 3
        let (lines, subTotal, tax) = lines(index, account: payable ? "300" : "200")
        let status = ["AUTHORISED", "PAID", "DRAFT", "SUBMITTED"][index % 4]
        let total = subTotal + tax
        let paid = status == "PAID" ? total : 0
        let date = epochMilliseconds - Int64(index % 90) * 86_400_000
        return [
            "InvoiceID": .string(id("Invoices", index)), "Type": .string(payable ? "ACCPAY" : "ACCREC"),
            "InvoiceNumber": .string(payable ? "BILL-\(index + 1)" : "INV-\(index + 1)"), "Reference": .string("Ref \(index + 1)"),
            "Contact": contactReference(index % max(volume, 1)), "Date": .string(XeroTimestamp.json(milliseconds: date)),
            "DateString": .string(XeroTimestamp.day(date)), "DueDate": .string(XeroTimestamp.json(milliseconds: date + 30 * 86_400_000)),
            "DueDateString": .string(XeroTimestamp.day(date + 30 * 86_400_000)), "Status": .string(status),
            "LineAmountTypes": "Exclusive", "LineItems": lines, "CurrencyCode": "NZD",
            "SubTotal": money(subTotal), "TotalTax": money(tax), "Total": money(total), "AmountPaid": money(paid),
            "AmountDue": money(total - paid), "AmountCredited": 0, "HasAttachments": false,
        ]
    }

    static func item(_ index: Int) -> JSONObject {
        let price = (10 + index % 50) * 100
        return [
            "ItemID": .string(id("Items", index)), "Code": .string("ITEM-\(index + 1)"), "Name": .string("Item \(index + 1)"),
            "Description": .string("Seeded item \(index + 1)"), "PurchaseDescription": .string("Bought item \(index + 1)"),
            "SalesDetails": ["UnitPrice": money(price), "AccountCode": "200", "TaxType": "OUTPUT2"],
            "PurchaseDetails": ["UnitPrice": money(price * 6 / 10), "AccountCode": "300", "TaxType": "INPUT2"],
            "IsSold": true, "IsPurchased": true, "IsTrackedAsInventory": false,
        ]
    }

    static func account(_ index: Int) -> JSONObject {
        let (code, name, type, kind) = accountCodes[index % accountCodes.count]
        var account: JSONObject = [
            "AccountID": .string(id("Accounts", index)), "Code": .string(code), "Name": .string(name), "Type": .string(type),
            "Class": .string(kind), "Status": "ACTIVE", "TaxType": .string(kind == "REVENUE" ? "OUTPUT2" : "INPUT2"),
            "Description": .string("\(name) (seeded)"), "EnablePaymentsToAccount": .bool(type == "BANK"),
        ]
        if type == "BANK" {
            account["BankAccountNumber"] = "12-3456-7890123-00"
            account["CurrencyCode"] = "NZD"
        }
        return account
    }

    static func taxRate(_ index: Int) -> JSONObject {
        let (type, name, rate) = taxRates[index % taxRates.count]
        return [
            "TaxType": .string(type), "Name": .string(name), "Status": "ACTIVE", "ReportTaxType": .string(rate > 0 ? "OUTPUT" : "EXEMPTOUTPUT"),
            "EffectiveRate": .number(rate), "DisplayTaxRate": .number(rate), "CanApplyToRevenue": true, "CanApplyToExpenses": true,
            "TaxComponents": [["Name": "GST", "Rate": .number(rate), "IsCompound": false, "IsNonRecoverable": false]],
        ]
    }

    /// The index-th payment pays the index-th invoice in full, from the bank account.
    static func payment(_ index: Int, volume: Int) -> JSONObject {
        let invoice = self.invoice(index, volume: volume)
        let payable = invoice["Type"]?.stringValue == "ACCPAY"
        return [
            "PaymentID": .string(id("Payments", index)),
            "Invoice": ["InvoiceID": invoice["InvoiceID"] ?? .null, "InvoiceNumber": invoice["InvoiceNumber"] ?? .null],
            "Account": ["AccountID": .string(id("Accounts", 0)), "Code": "090"], "Date": invoice["Date"] ?? .null,
            "Amount": invoice["Total"] ?? 0, "CurrencyRate": 1, "Reference": .string("Payment \(index + 1)"),
            "IsReconciled": false, "Status": "AUTHORISED", "PaymentType": .string(payable ? "ACCPAYPAYMENT" : "ACCRECPAYMENT"),
        ]
    }

    static func creditNote(_ index: Int, volume: Int) -> JSONObject {
        let payable = index % 4 == 3
        let (lines, subTotal, tax) = lines(index, account: payable ? "300" : "200")
        return [
            "CreditNoteID": .string(id("CreditNotes", index)), "CreditNoteNumber": .string("CN-\(index + 1)"),
            "Type": .string(payable ? "ACCPAYCREDIT" : "ACCRECCREDIT"), "Contact": contactReference(index % max(volume, 1)),
            "Date": .string(XeroTimestamp.json(milliseconds: epochMilliseconds)), "Status": "AUTHORISED", "LineAmountTypes": "Exclusive",
            "LineItems": lines, "SubTotal": money(subTotal), "TotalTax": money(tax), "Total": money(subTotal + tax),
            "RemainingCredit": money(subTotal + tax), "CurrencyCode": "NZD", "Reference": .string("Credit \(index + 1)"),
        ]
    }

    static func bankTransaction(_ index: Int, volume: Int) -> JSONObject {
        let spend = index % 2 == 1
        let (lines, subTotal, tax) = lines(index, account: spend ? "400" : "260")
        return [
            "BankTransactionID": .string(id("BankTransactions", index)), "Type": .string(spend ? "SPEND" : "RECEIVE"),
            "Contact": contactReference(index % max(volume, 1)),
            "BankAccount": ["AccountID": .string(id("Accounts", 0)), "Code": "090", "Name": "Business Bank Account"],
            "Date": .string(XeroTimestamp.json(milliseconds: epochMilliseconds)), "Reference": .string("Bank \(index + 1)"), "Status": "AUTHORISED",
            "LineAmountTypes": "Exclusive", "LineItems": lines, "SubTotal": money(subTotal), "TotalTax": money(tax),
            "Total": money(subTotal + tax), "CurrencyCode": "NZD", "IsReconciled": false,
        ]
    }

    static func money(_ cents: Int) -> JSONValue {
        .number(Double(cents) / 100)
    }
}

extension String {
    fileprivate func leftPadded(_ length: Int) -> String {
        count >= length ? String(suffix(length)) : String(repeating: "0", count: length - count) + self
    }
}
