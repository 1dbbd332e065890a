"""Drives the provider sandbox's Xero Accounting API with Xero's official Python library
(xero-python), unchanged, through the paths the hub's connector uses, and prints a JSON summary
for XeroOfficialClientTests.

Argument: the sandbox's port (Xero is mounted at /xero); the token and tenant are the sandbox's
seeded ones (XeroProvider.seededToken, XeroProvider.seededTenantID).
Exit codes: 0 done (the summary says what was seen), 3 the `xero-python` package is not installed.
"""

import datetime
import json
import sys
import uuid

try:
    from xero_python.accounting import AccountingApi, Contact, Invoice, Invoices, LineItem
    from xero_python.api_client import ApiClient, Configuration
    from xero_python.api_client.oauth2 import OAuth2Token
    from xero_python.exceptions import AccountingBadRequestException, ApiException
except ImportError:
    print(json.dumps({"error": "the xero-python package is not installed: python3 -m pip install xero-python"}))
    sys.exit(3)


def main():
    port, token, tenant = sys.argv[1], "xero-sandbox-access-token", "3f8b5c2e-7a41-4d6b-9e0c-5a1d2b3c4d5e"
    stored = {"access_token": token, "token_type": "Bearer", "expires_in": 1800, "scope": ["accounting.transactions"]}
    client = ApiClient(
        Configuration(oauth2_token=OAuth2Token(client_id="xero-sandbox-client", client_secret="xero-sandbox-secret")),
        pool_threads=1,
    )

    @client.oauth2_token_getter
    def get_token():
        return stored

    @client.oauth2_token_saver
    def save_token(value):
        stored.update(value)

    api = AccountingApi(client, base_url=f"http://127.0.0.1:{port}/xero/api.xro/2.0")
    summary = {}

    # Paging: every sales invoice, 100 a page, until a short page.
    seen, page = [], 1
    while True:
        batch = api.get_invoices(tenant, where='Type=="ACCREC"', page=page, page_size=100)
        seen += [invoice.invoice_id for invoice in batch.invoices]
        if page == 1:
            summary["page_count"] = batch.pagination.page_count
            summary["item_count"] = batch.pagination.item_count
            summary["first_type"] = batch.invoices[0].type
            summary["first_total"] = str(batch.invoices[0].total)
            summary["first_date_is_date"] = isinstance(batch.invoices[0].date, datetime.date)
        if len(batch.invoices) < 100:
            break
        page += 1
    summary["accrec_count"] = len(seen)
    summary["accrec_unique"] = len(set(seen))
    summary["pages"] = page

    # Creating with an idempotency key: the retry answers the same invoice.
    contacts = api.get_contacts(tenant, where="IsCustomer==true", page=1)
    summary["customers_first_page"] = len(contacts.contacts)
    contact_id = contacts.contacts[0].contact_id
    key = str(uuid.uuid4())
    invoice = Invoice(
        type="ACCREC",
        contact=Contact(contact_id=contact_id),
        line_items=[LineItem(description="Consulting", quantity=2.0, unit_amount=50.0, account_code="200", tax_type="OUTPUT2")],
        date=datetime.date(2026, 3, 1),
        due_date=datetime.date(2026, 3, 31),
        status="AUTHORISED",
        reference="official client",
    )
    created = api.create_invoices(tenant, Invoices(invoices=[invoice]), idempotency_key=key).invoices[0]
    retried = api.create_invoices(tenant, Invoices(invoices=[invoice]), idempotency_key=key).invoices[0]
    summary["created_total"] = str(created.total)
    summary["retry_same_id"] = retried.invoice_id == created.invoice_id

    # Incremental: only what changed since just before the create.
    since = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
    changed = api.get_invoices(tenant, if_modified_since=since, page=1)
    summary["modified_since_ids"] = [i.invoice_id for i in changed.invoices]
    summary["created_id"] = created.invoice_id

    # Updating: the reference changes, the id does not.
    updated = api.update_invoice(
        tenant, created.invoice_id, Invoices(invoices=[Invoice(reference="renamed by xero-python")]), idempotency_key=str(uuid.uuid4())
    ).invoices[0]
    summary["updated_reference"] = updated.reference
    summary["updated_same_id"] = updated.invoice_id == created.invoice_id

    # A validation failure: no contact.
    try:
        api.create_invoices(tenant, Invoices(invoices=[Invoice(type="ACCREC", line_items=[LineItem(description="x", quantity=1.0, unit_amount=1.0)])]))
        summary["invalid_raised"] = None
    except AccountingBadRequestException as error:
        summary["invalid_raised"] = "AccountingBadRequestException"
        summary["invalid_reason"] = error.reason
    except ApiException as error:
        summary["invalid_raised"] = type(error).__name__
        summary["invalid_reason"] = getattr(error, "reason", None)

    rates = api.get_tax_rates(tenant)
    summary["tax_rates"] = sorted(rate.tax_type for rate in rates.tax_rates)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
