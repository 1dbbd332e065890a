import HubCore

/// Stripe objects as the sandbox's templates (and Stripe's API reference) shape them.
enum StripeFixtures {
    static let all: [String: JSONValue] = [
        "customers": customer, "invoices": invoice, "payments": paymentIntent, "products": product, "prices": price,
        "subscriptions": subscription, "charges": charge, "payouts": payout, "balance_transactions": balanceTransaction,
    ]

    static let customer = JSONValue.parse(
        #"""
        {"id": "cus_NffrFeUfNV2Hib", "object": "customer",
         "address": {"city": "Ottawa", "country": "CA", "line1": "1 Elm St", "line2": null, "postal_code": "K1A 0B1", "state": "ON"},
         "balance": -500, "created": 1705332030, "currency": "usd", "default_source": null, "delinquent": false, "description": null,
         "discount": null, "email": "ann@example.com", "invoice_prefix": "NFFRFEUF",
         "invoice_settings": {"custom_fields": null, "default_payment_method": null, "footer": null}, "livemode": false,
         "metadata": {"crm_id": "42"}, "name": "Ann Lee", "next_invoice_sequence": 1, "phone": null, "preferred_locales": [],
         "shipping": null, "tax_exempt": "reverse", "test_clock": null}
        """#
    )

    static let invoice = JSONValue.parse(
        #"""
        {"id": "in_1OZ2", "object": "invoice", "account_country": "US", "amount_due": 5000, "amount_paid": 0, "amount_remaining": 5000,
         "attempt_count": 0, "auto_advance": false, "billing_reason": "manual", "collection_method": "send_invoice", "created": 1705332030,
         "currency": "jpy", "customer": "cus_NffrFeUfNV2Hib", "customer_email": "ann@example.com", "description": null,
         "due_date": 1707955200, "hosted_invoice_url": "https://invoice.stripe.com/i/acct_1/test_1", "invoice_pdf": null,
         "lines": {"object": "list", "data": [{"id": "il_1", "object": "line_item", "amount": 5000, "currency": "jpy", "quantity": 1}],
                   "has_more": false, "total_count": 1, "url": "/v1/invoices/in_1OZ2/lines"},
         "livemode": false, "metadata": {}, "number": "NFFRFEUF-0001", "period_end": 1705332030, "period_start": 1705332030,
         "status": "open", "status_transitions": {"finalized_at": 1705335630, "marked_uncollectible_at": null, "paid_at": null, "voided_at": null},
         "subscription": null, "subtotal": 5000, "total": 5000, "webhooks_delivered_at": null}
        """#
    )

    static let paymentIntent = JSONValue.parse(
        #"""
        {"id": "pi_3MtwBw", "object": "payment_intent", "amount": 2000, "amount_capturable": 0, "amount_received": 2000,
         "capture_method": "automatic", "client_secret": "pi_3MtwBw_secret_x", "confirmation_method": "automatic", "created": 1680800504,
         "currency": "usd", "customer": "cus_NffrFeUfNV2Hib", "description": null, "invoice": null, "latest_charge": "ch_3MtwBw",
         "livemode": false, "metadata": {}, "payment_method": "pm_1", "payment_method_types": ["card"], "receipt_email": null,
         "status": "succeeded"}
        """#
    )

    static let product = JSONValue.parse(
        #"""
        {"id": "prod_NWjs8kKbJWmuuc", "object": "product", "active": true, "created": 1678833149, "default_price": "price_1", "description": null,
         "images": [], "livemode": false, "metadata": {}, "name": "Gold Plan", "package_dimensions": null, "shippable": null,
         "statement_descriptor": null, "tax_code": null, "unit_label": null, "updated": 1678833150, "url": null}
        """#
    )

    static let price = JSONValue.parse(
        #"""
        {"id": "price_1", "object": "price", "active": true, "billing_scheme": "per_unit", "created": 1679431181, "currency": "kwd",
         "custom_unit_amount": null, "livemode": false, "lookup_key": null, "metadata": {}, "nickname": null, "product": "prod_NWjs8kKbJWmuuc",
         "recurring": {"aggregate_usage": null, "interval": "month", "interval_count": 1, "usage_type": "licensed"},
         "tax_behavior": "unspecified", "type": "recurring", "unit_amount": 12500, "unit_amount_decimal": "12500"}
        """#
    )

    static let subscription = JSONValue.parse(
        #"""
        {"id": "sub_1MowQV", "object": "subscription", "billing_cycle_anchor": 1679609767, "cancel_at": null, "cancel_at_period_end": false,
         "canceled_at": null, "collection_method": "charge_automatically", "created": 1679609767, "currency": "usd",
         "current_period_end": 1682288167, "current_period_start": 1679609767, "customer": "cus_NffrFeUfNV2Hib",
         "default_payment_method": null, "description": null, "ended_at": null,
         "items": {"object": "list", "data": [
            {"id": "si_1", "object": "subscription_item", "created": 1679609768, "metadata": {}, "quantity": 1,
             "price": {"id": "price_1", "object": "price", "currency": "usd", "unit_amount": 1000}},
            {"id": "si_2", "object": "subscription_item", "created": 1679609768, "metadata": {}, "quantity": 2,
             "price": {"id": "price_2", "object": "price", "currency": "usd", "unit_amount": 500}}],
           "has_more": false, "total_count": 2, "url": "/v1/subscription_items?subscription=sub_1MowQV"},
         "latest_invoice": "in_1OZ2", "livemode": false, "metadata": {}, "start_date": 1679609767, "status": "active"}
        """#
    )

    static let charge = JSONValue.parse(
        #"""
        {"id": "ch_3MtwBw", "object": "charge", "amount": 2000, "amount_captured": 2000, "amount_refunded": 0,
         "balance_transaction": "txn_3MtwBw", "captured": true, "created": 1680800505, "currency": "usd", "customer": "cus_NffrFeUfNV2Hib",
         "description": null, "disputed": false, "failure_code": null, "failure_message": null, "livemode": false, "metadata": {},
         "outcome": {"network_status": "approved_by_network", "type": "authorized"}, "paid": true, "payment_intent": "pi_3MtwBw",
         "payment_method": "pm_1", "receipt_email": null, "refunded": false, "status": "succeeded"}
        """#
    )

    static let payout = JSONValue.parse(
        #"""
        {"id": "po_1OaFDb", "object": "payout", "amount": 1100, "arrival_date": 1680912000, "automatic": true,
         "balance_transaction": "txn_1OaFDc", "created": 1680739200, "currency": "usd", "description": "STRIPE PAYOUT",
         "destination": "ba_sandbox", "livemode": false, "metadata": {}, "method": "standard", "status": "paid", "type": "bank_account"}
        """#
    )

    static let balanceTransaction = JSONValue.parse(
        #"""
        {"id": "txn_3MtwBw", "object": "balance_transaction", "amount": 2000, "available_on": 1680973305, "created": 1680800505,
         "currency": "usd", "description": null, "exchange_rate": null, "fee": 88,
         "fee_details": [{"amount": 88, "currency": "usd", "description": "Stripe processing fees", "type": "stripe_fee"}],
         "net": 1912, "reporting_category": "charge", "source": "ch_3MtwBw", "status": "available", "type": "charge"}
        """#
    )
}
