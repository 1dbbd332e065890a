/// The entity types the design documents name: what an accounting product reads first.
extension CanonicalSchema {
    static let coreEntities = [customers, invoices, payments, products, projects, expenses, contacts]

    static let customers = CanonicalEntity(
        name: "customers",
        fields: [
            .id,
            CanonicalField("name", .string, description: "The full name or company name."),
            CanonicalField("first_name", .string),
            CanonicalField("last_name", .string),
            CanonicalField("email", .email),
            CanonicalField("phone", .string),
            CanonicalField("description", .string),
            CanonicalField("website", .url, description: "The customer's web address or domain."),
            .address,
            .currency,
            .money("balance", description: "Owed by the customer (positive) or credited to them (negative)."),
            CanonicalField("tax_exempt", .boolean),
            CanonicalField("active", .boolean, description: "False for a customer the provider keeps but has made inactive (QuickBooks)."),
            CanonicalField("tags", .string, description: "Comma-separated."),
            CanonicalField("note", .string),
            CanonicalField("orders_count", .integer),
            .money("total_spent"),
            .metadata,
            .createdAt,
            .updatedAt,
        ]
    )

    static let invoices = CanonicalEntity(
        name: "invoices",
        fields: [
            .id,
            CanonicalField("number", .string),
            .reference("customer_id"),
            CanonicalField("status", .string, description: "The provider's status (draft, open, paid, void, …)."),
            .currency,
            CanonicalField("collection_method", .string),
            CanonicalField("issue_date", .date),
            CanonicalField("due_date", .date),
            CanonicalField("description", .string),
            .money("subtotal"),
            .money("tax"),
            .money("total"),
            .money("amount_due"),
            .money("amount_paid"),
            .money("amount_remaining"),
            CanonicalField("lines", .array),
            CanonicalField("hosted_url", .url),
            CanonicalField("pdf_url", .url),
            .metadata,
            .createdAt,
            .updatedAt,
        ]
    )

    static let payments = CanonicalEntity(
        name: "payments",
        fields: [
            .id,
            .money("amount", required: true),
            CanonicalField("currency", .currency, required: true),
            .reference("customer_id"),
            .reference("invoice_id"),
            CanonicalField("description", .string),
            CanonicalField("status", .string),
            .reference("payment_method_id"),
            CanonicalField("capture_method", .string),
            .money("amount_received"),
            CanonicalField("receipt_email", .email),
            .reference("charge_id"),
            .metadata,
            .createdAt,
            .updatedAt,
        ]
    )

    static let products = CanonicalEntity(
        name: "products",
        fields: [
            .id,
            CanonicalField("name", .string, required: true),
            CanonicalField("description", .string),
            CanonicalField("active", .boolean),
            CanonicalField("type", .string),
            CanonicalField("vendor", .string),
            CanonicalField("sku", .string),
            CanonicalField("skus", .array, description: "Every variant's SKU."),
            .money("price", description: "The default (or first variant's) unit price."),
            .currency,
            .reference("default_price_id"),
            CanonicalField("images", .array),
            CanonicalField("url", .url),
            CanonicalField("tags", .string, description: "Comma-separated."),
            .metadata,
            .createdAt,
            .updatedAt,
        ]
    )

    static let projects = CanonicalEntity(
        name: "projects",
        fields: [
            .id,
            CanonicalField("name", .string, required: true),
            CanonicalField("description", .string),
            CanonicalField("status", .string),
            .reference("customer_id"),
            CanonicalField("start_date", .date),
            CanonicalField("end_date", .date),
            .money("budget"),
            .currency,
            CanonicalField("billable", .boolean),
            .metadata,
            .createdAt,
            .updatedAt,
        ]
    )

    static let expenses = CanonicalEntity(
        name: "expenses",
        fields: [
            .id,
            .money("amount", required: true),
            CanonicalField("currency", .currency, required: true),
            CanonicalField("date", .date),
            CanonicalField("vendor", .string),
            CanonicalField("description", .string),
            CanonicalField("category", .string),
            .reference("account_id"),
            .reference("project_id"),
            CanonicalField("status", .string),
            .money("tax"),
            .metadata,
            .createdAt,
            .updatedAt,
        ]
    )

    static let contacts = CanonicalEntity(
        name: "contacts",
        fields: [
            .id,
            CanonicalField("name", .string),
            CanonicalField("first_name", .string),
            CanonicalField("last_name", .string),
            CanonicalField("email", .email),
            CanonicalField("phone", .string),
            CanonicalField("company", .string),
            .reference("customer_id"),
            CanonicalField("job_title", .string),
            .address,
            .metadata,
            .createdAt,
            .updatedAt,
        ]
    )
}
