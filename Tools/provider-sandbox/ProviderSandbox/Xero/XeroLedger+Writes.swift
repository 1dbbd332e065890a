import Foundation
import HubCore

/// Creating and updating objects as the Accounting API does: `PUT` creates, `POST` creates or
/// updates (the id in the path or the body), every element is validated and answered with its
/// `ValidationErrors`. With `summarizeErrors` (the default) one invalid element fails the whole
/// batch and nothing is saved; without it the valid ones are saved. Documents get their totals
/// computed from their lines; an ACCREC invoice makes its contact a customer, ACCPAY a supplier.
extension XeroLedger {
    struct Written: Sendable {
        var object: JSONObject
        var errors: [String]
        /// CREATE or UPDATE, for the webhook.
        var eventType: String
    }

    mutating func save(
        _ resource: XeroResource,
        elements: [JSONObject],
        pathID: String?,
        createOnly: Bool,
        summarizeErrors: Bool,
        now: Date = Date()
    ) -> [Written] {
        let prepared = elements.map { prepare(resource, $0, pathID: pathID, createOnly: createOnly) }
        let failed = prepared.contains { !$0.errors.isEmpty }
        guard !(failed && summarizeErrors) else { return prepared }
        return prepared.map { written in
            guard written.errors.isEmpty else { return written }
            var saved = written
            let stamp = stamp(now)
            saved.object["UpdatedDateUTC"] = .string(XeroTimestamp.json(milliseconds: stamp))
            let id = saved.object[resource.idField]?.stringValue ?? ""
            withCollection(resource) { $0.replace(saved.object, id: id, updated: stamp) }
            markContact(of: saved.object, resource: resource, now: now)
            return saved
        }
    }

    /// The object an element would become, with its errors; nothing is stored.
    mutating func prepare(_ resource: XeroResource, _ element: JSONObject, pathID: String?, createOnly: Bool) -> Written {
        let id = createOnly ? nil : (pathID ?? element[resource.idField]?.stringValue)
        var object: JSONObject
        var eventType = "CREATE"
        if let id, !id.isEmpty {
            guard let existing = self.object(resource, id: id) else {
                return Written(
                    object: element,
                    errors: ["\(resource.idField) '\(id)' does not match an existing \(resource.name.dropLast())"],
                    eventType: ""
                )
            }
            object = existing
            for (key, value) in element where key != resource.idField { object[key] = value }
            eventType = "UPDATE"
            if let error = transitionError(resource, from: existing, to: object) {
                return Written(object: object, errors: [error], eventType: eventType)
            }
        } else {
            object = element
            object[resource.idField] = .string(UUID().uuidString.lowercased())
            applyDefaults(resource, &object)
        }
        var errors = validate(resource, &object, updating: eventType == "UPDATE")
        if errors.isEmpty { errors = computeTotals(resource, &object) }
        return Written(object: object, errors: errors, eventType: eventType)
    }

    mutating func applyDefaults(_ resource: XeroResource, _ object: inout JSONObject) {
        let count = withCollection(resource) { $0.objects.count }
        switch resource.name {
        case "Contacts":
            object["ContactStatus"] = object["ContactStatus"] ?? "ACTIVE"
            object["IsCustomer"] = .bool(false)
            object["IsSupplier"] = .bool(false)
        case "Invoices":
            object["Status"] = object["Status"] ?? "DRAFT"
            object["LineAmountTypes"] = object["LineAmountTypes"] ?? "Exclusive"
            object["CurrencyCode"] = object["CurrencyCode"] ?? "NZD"
            if object["InvoiceNumber"] == nil, object["Type"]?.stringValue == "ACCREC" { object["InvoiceNumber"] = .string("INV-\(count + 1)") }
        case "CreditNotes", "BankTransactions", "Payments":
            object["Status"] = object["Status"] ?? "AUTHORISED"
            object["CurrencyCode"] = object["CurrencyCode"] ?? "NZD"
        case "Items":
            object["IsSold"] = object["IsSold"] ?? .bool(object["SalesDetails"] != nil)
            object["IsPurchased"] = object["IsPurchased"] ?? .bool(object["PurchaseDetails"] != nil)
            object["IsTrackedAsInventory"] = false
        default:
            object["Status"] = object["Status"] ?? "ACTIVE"
        }
    }

    /// Xero's own rules for the fields each resource must have, in its words.
    mutating func validate(_ resource: XeroResource, _ object: inout JSONObject, updating: Bool) -> [String] {
        var errors: [String] = []
        let fields = object
        let text = { (key: String) in fields[key]?.stringValue?.trimmingCharacters(in: .whitespaces) ?? "" }
        switch resource.name {
        case "Contacts":
            if text("Name").isEmpty {
                errors.append("The contact name must be specified.")
            } else {
                let id = text("ContactID")
                let name = text("Name").lowercased()
                let taken = withCollection(resource) { collection in
                    collection.objects.contains {
                        $0["Name"]?.stringValue?.lowercased() == name && $0["ContactID"]?.stringValue != id
                            && $0["ContactStatus"]?.stringValue != "ARCHIVED"
                    }
                }
                if taken {
                    errors.append(
                        "The contact name \(text("Name")) is already assigned to another contact. The contact name must be unique across all active contacts."
                    )
                }
            }
        case "Invoices", "CreditNotes":
            let types = resource.name == "Invoices" ? ["ACCREC", "ACCPAY"] : ["ACCRECCREDIT", "ACCPAYCREDIT"]
            if !types.contains(text("Type")) { errors.append("Invalid \(resource.name == "Invoices" ? "Invoice" : "Credit Note") Type") }
            errors += contactErrors(&object)
            let lines = object["LineItems"]?.arrayValue ?? []
            if lines.isEmpty, !["DRAFT", "DELETED", "VOIDED"].contains(text("Status")) {
                errors.append("Invoices must have at least one line item unless they are DRAFT.")
            }
            for line in lines where (line["Description"]?.stringValue ?? "").isEmpty && line["ItemCode"] == nil {
                errors.append("Description must be specified.")
            }
        case "BankTransactions":
            if !["RECEIVE", "SPEND"].contains(text("Type")) { errors.append("Invalid BankTransaction Type") }
            errors += contactErrors(&object)
            if object["BankAccount"]?["AccountID"]?.stringValue == nil, object["BankAccount"]?["Code"]?.stringValue == nil {
                errors.append("A valid BankAccount must be specified.")
            }
            if (object["LineItems"]?.arrayValue ?? []).isEmpty { errors.append("At least one line item must be specified.") }
        case "Payments":
            let invoice = object["Invoice"]?["InvoiceID"]?.stringValue ?? ""
            if self.object(.invoices, id: invoice) == nil { errors.append("Invoice could not be found") }
            if (object["Amount"]?.numberValue ?? 0) <= 0 { errors.append("Payment amount must be greater than zero.") }
            if object["Account"]?["AccountID"] == nil, object["Account"]?["Code"] == nil { errors.append("Account must be specified.") }
        case "Items":
            if text("Code").isEmpty {
                errors.append("Item code must be specified.")
            } else {
                let id = text("ItemID")
                let code = text("Code").lowercased()
                let taken = withCollection(resource) {
                    $0.objects.contains { $0["Code"]?.stringValue?.lowercased() == code && $0["ItemID"]?.stringValue != id }
                }
                if taken { errors.append("Item code '\(text("Code"))' already exists") }
            }
        case "Accounts":
            if text("Code").isEmpty || text("Name").isEmpty { errors.append("Please enter a code and name for the account.") }
        default:
            errors.append("\(resource.name) cannot be written through the API.")
        }
        return errors
    }

    /// A document's contact must exist: by `ContactID`, or by `Name` (filled in from it).
    mutating func contactErrors(_ object: inout JSONObject) -> [String] {
        if let id = object["Contact"]?["ContactID"]?.stringValue {
            guard let contact = self.object(.contacts, id: id) else { return ["Contact with ID \(id) could not be found"] }
            object["Contact"] = ["ContactID": contact["ContactID"] ?? .null, "Name": contact["Name"] ?? .null]
            return []
        }
        if let name = object["Contact"]?["Name"]?.stringValue?.lowercased() {
            let found = withCollection(.contacts) { $0.objects.first { $0["Name"]?.stringValue?.lowercased() == name } }
            if let found {
                object["Contact"] = ["ContactID": found["ContactID"] ?? .null, "Name": found["Name"] ?? .null]
                return []
            }
        }
        return ["A Contact must be specified for this type of transaction"]
    }

    /// Voiding needs an approved document, deleting a draft or submitted one: Xero refuses the rest.
    func transitionError(_ resource: XeroResource, from old: JSONObject, to new: JSONObject) -> String? {
        guard ["Invoices", "CreditNotes"].contains(resource.name) else { return nil }
        let before = old["Status"]?.stringValue ?? ""
        let after = new["Status"]?.stringValue ?? ""
        guard before != after else { return nil }
        if ["VOIDED", "DELETED"].contains(before) { return "This document cannot be edited as it has been \(before.lowercased())." }
        if after == "VOIDED", !["AUTHORISED", "PAID"].contains(before) { return "Only AUTHORISED documents can be voided." }
        if after == "DELETED", !["DRAFT", "SUBMITTED"].contains(before) { return "Only DRAFT or SUBMITTED documents can be deleted." }
        return nil
    }

    /// Line amounts, sub-total, tax and total of a document from its lines (amounts exclusive of
    /// tax; a line's `TaxAmount` when given, else 15 % for the GST tax types).
    func computeTotals(_ resource: XeroResource, _ object: inout JSONObject) -> [String] {
        guard ["Invoices", "CreditNotes", "BankTransactions"].contains(resource.name), case .array(let lines)? = object["LineItems"] else {
            return []
        }
        var subTotal = 0
        var tax = 0
        var computed: [JSONValue] = []
        for line in lines {
            guard case .object(var fields) = line else { continue }
            let quantity = fields["Quantity"]?.numberValue ?? 1
            let unit = fields["UnitAmount"]?.numberValue ?? 0
            let amount = Int((quantity * unit * 100).rounded())
            let lineTax =
                fields["TaxAmount"]?.numberValue.map { Int(($0 * 100).rounded()) }
                ?? (["OUTPUT2", "INPUT2"].contains(fields["TaxType"]?.stringValue ?? "") ? amount * 15 / 100 : 0)
            fields["Quantity"] = .number(quantity)
            fields["LineAmount"] = XeroSeed.money(amount)
            fields["TaxAmount"] = XeroSeed.money(lineTax)
            fields["LineItemID"] = fields["LineItemID"] ?? .string(UUID().uuidString.lowercased())
            subTotal += amount
            tax += lineTax
            computed.append(.object(fields))
        }
        let paid = Int(((object["AmountPaid"]?.numberValue ?? 0) * 100).rounded())
        object["LineItems"] = .array(computed)
        object["SubTotal"] = XeroSeed.money(subTotal)
        object["TotalTax"] = XeroSeed.money(tax)
        object["Total"] = XeroSeed.money(subTotal + tax)
        if resource.name == "Invoices" {
            object["AmountPaid"] = XeroSeed.money(paid)
            object["AmountDue"] = XeroSeed.money(subTotal + tax - paid)
        }
        return []
    }

    /// A sales invoice makes its contact a customer, a bill a supplier (Xero sets both flags itself).
    mutating func markContact(of object: JSONObject, resource: XeroResource, now: Date) {
        guard resource.name == "Invoices", let id = object["Contact"]?["ContactID"]?.stringValue,
            var contact = self.object(.contacts, id: id)
        else { return }
        let flag = object["Type"]?.stringValue == "ACCPAY" ? "IsSupplier" : "IsCustomer"
        guard contact[flag]?.boolValue != true else { return }
        contact[flag] = .bool(true)
        let stamp = stamp(now)
        contact["UpdatedDateUTC"] = .string(XeroTimestamp.json(milliseconds: stamp))
        withCollection(.contacts) { $0.replace(contact, id: id, updated: stamp) }
    }
}
