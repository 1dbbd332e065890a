"""Drives the provider sandbox's Stripe API with Stripe's official Python library, through the
paths the hub's connector uses, and prints a JSON summary for StripeOfficialClientTests.

Argument: the sandbox's port (its Stripe API is at /stripe, the key is the sandbox's default).
Exit codes: 0 done (the summary says what was seen), 3 the `stripe` package is not installed.
"""

import json
import sys

try:
    import stripe
except ImportError:
    print(json.dumps({"error": "the stripe package is not installed: python3 -m pip install stripe"}))
    sys.exit(3)


def main():
    stripe.api_key = "sk_test_sandbox"
    stripe.api_base = f"http://127.0.0.1:{sys.argv[1]}/stripe"
    stripe.max_network_retries = 2
    summary = {"library_version": stripe.VERSION}

    created = stripe.Customer.create(
        name="Official Client", email="official@example.com", metadata={"source": "stripe-python"}
    )
    summary["created_id"] = created.id
    summary["created_metadata"] = created.metadata.to_dict()

    # Auto-pagination across several pages (limit 10 over the seeded customers).
    seen = [customer.id for customer in stripe.Customer.list(limit=10).auto_paging_iter()]
    summary["listed_count"] = len(seen)
    summary["listed_unique"] = len(set(seen))
    summary["listed_first"] = seen[0] if seen else None

    retrieved = stripe.Customer.retrieve(created.id)
    summary["retrieved_email"] = retrieved.email

    updated = stripe.Customer.modify(created.id, name="Official Client Renamed", metadata={"tier": "gold"})
    summary["updated_name"] = updated.name
    summary["updated_metadata"] = updated.metadata.to_dict()

    # The same idempotency key replays the first answer.
    first = stripe.Customer.create(name="Idempotent", idempotency_key="official-client-key")
    again = stripe.Customer.create(name="Idempotent", idempotency_key="official-client-key")
    summary["idempotent_same_id"] = first.id == again.id
    summary["idempotent_replayed_header"] = again.last_response.headers.get("Idempotent-Replayed")
    try:
        stripe.Customer.create(name="Different", idempotency_key="official-client-key")
        summary["idempotency_mismatch_error"] = None
    except stripe.IdempotencyError as error:
        summary["idempotency_mismatch_error"] = type(error).__name__

    deleted = stripe.Customer.delete(created.id)
    summary["deleted"] = bool(deleted.deleted)
    try:
        stripe.Customer.modify(created.id, name="Ghost")
        summary["missing_error"] = None
    except stripe.InvalidRequestError as error:
        summary["missing_error"] = error.code

    intent = stripe.PaymentIntent.create(amount=1999, currency="usd")
    confirmed = stripe.PaymentIntent.confirm(intent.id, payment_method="pm_card_visa")
    summary["payment_status"] = confirmed.status
    try:
        declined = stripe.PaymentIntent.create(amount=500, currency="usd")
        stripe.PaymentIntent.confirm(declined.id, payment_method="pm_card_chargeDeclined")
        summary["decline_error"] = None
    except stripe.CardError as error:
        summary["decline_error"] = error.code

    events = stripe.Event.list(limit=3, types=["customer.created", "customer.updated", "customer.deleted"])
    summary["latest_event_types"] = [event.type for event in events.data]

    try:
        stripe.Customer.list(api_key="sk_test_wrong_key_for_the_test")
        summary["auth_error"] = None
    except stripe.AuthenticationError as error:
        summary["auth_error"] = type(error).__name__

    print(json.dumps(summary))


if __name__ == "__main__":
    main()
