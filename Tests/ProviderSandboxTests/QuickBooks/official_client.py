"""Drives the provider sandbox's QuickBooks Online emulation with Intuit's official Python OAuth
library (intuit-oauth) and the community client Intuit lists (python-quickbooks), unchanged:
authorizes and exchanges a code, pages customers, filters, counts, creates, updates with the
SyncToken, provokes a stale-token fault, deletes a transaction, and reads change data capture.
Prints one JSON object for QuickBooksOfficialClientTests to check.

intuit-oauth reads its endpoints from a discovery document; its `environment` may be that
document's URL, here the sandbox's. python-quickbooks builds its API URL from `api_url_v3` (for
a non-sandbox environment), which is pointed at the sandbox's mount on the client instance.
The sandbox speaks plain http on loopback, which requests-oauthlib refuses unless
OAUTHLIB_INSECURE_TRANSPORT is set (its documented switch for local testing).
"""
import json
import os
import sys
import urllib.parse
from datetime import datetime, timedelta, timezone

try:
    import requests
    from intuitlib.client import AuthClient
    from intuitlib.enums import Scopes
    from quickbooks import QuickBooks
    from quickbooks.cdc import change_data_capture
    from quickbooks.exceptions import QuickbooksException, ValidationException
    from quickbooks.objects.customer import Customer
    from quickbooks.objects.detailline import SalesItemLine, SalesItemLineDetail
    from quickbooks.objects.invoice import Invoice
    from quickbooks.objects.base import Ref
except ImportError as error:
    print(json.dumps({"error": f"python-quickbooks or intuit-oauth is not installed ({error}): pip install python-quickbooks intuit-oauth"}))
    sys.exit(3)

os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
port = sys.argv[1]
base = f"http://127.0.0.1:{port}/quickbooks"
result = {}

# OAuth: authorize (the sandbox consents at once), exchange the code, refresh.
auth = AuthClient(
    "quickbooks-sandbox-client",
    "quickbooks-sandbox-secret",
    "http://127.0.0.1/callback",
    f"{base}/.well-known/openid_sandbox_configuration",
)
url = auth.get_authorization_url([Scopes.ACCOUNTING])
callback = requests.get(url, allow_redirects=False)
query = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(callback.headers["Location"]).query))
realm = query["realmId"]
auth.get_bearer_token(query["code"], realm_id=realm)
first_refresh = auth.refresh_token
auth.refresh()
result["refresh_rotated"] = auth.refresh_token != first_refresh

client = QuickBooks(auth_client=auth, refresh_token=auth.refresh_token, company_id=realm, minorversion=75)
client.api_url_v3 = f"{base}/v3"

# Pages of customers, a filter, a query and a count.
ids = []
position = 1
pages = 0
while True:
    page = Customer.all(start_position=position, max_results=10, qb=client)
    pages += 1
    ids += [customer.Id for customer in page]
    if len(page) < 10:
        break
    position += len(page)
result.update({"customers": len(ids), "unique": len(set(ids)), "pages": pages})
result["count"] = Customer.count(qb=client)
first = Customer.get(ids[0], qb=client)
result["filtered"] = [c.Id for c in Customer.filter(Active=True, DisplayName=first.DisplayName, qb=client)]
result["queried"] = len(Invoice.query("SELECT * FROM Invoice WHERE Id > '5' ORDERBY Id DESC MAXRESULTS 3", qb=client))
result["queried_first"] = Invoice.query("SELECT * FROM Invoice WHERE Id > '5' ORDERBY Id DESC MAXRESULTS 3", qb=client)[0].Id

# Create, update with the SyncToken, and an update with a stale one.
since = datetime.now(timezone.utc) - timedelta(minutes=5)
customer = Customer()
customer.DisplayName = "Made by python-quickbooks"
customer = customer.save(qb=client)
result["created_token"] = customer.SyncToken
customer.GivenName = "Python"
customer = customer.save(qb=client)
result["updated_token"] = customer.SyncToken
stale = Customer.get(customer.Id, qb=client)
stale.SyncToken = "0"
stale.FamilyName = "Lost"
try:
    stale.save(qb=client)
    result["stale_error"] = None
except QuickbooksException as error:
    result["stale_error"] = error.error_code

# An invoice: a validation fault, then created with a line, then deleted.
invoice = Invoice()
invoice.CustomerRef = customer.to_ref()
try:
    invoice.save(qb=client)
    result["validation_error"] = None
except ValidationException as error:
    result["validation_error"] = error.error_code
    result["validation_detail"] = error.detail
line = SalesItemLine()
line.Amount = 99.5
line.SalesItemLineDetail = SalesItemLineDetail()
item = Ref()
item.value = "1"
line.SalesItemLineDetail.ItemRef = item
invoice.Line = [line]
invoice = invoice.save(qb=client)
result["invoice_total"] = invoice.TotalAmt
invoice.delete(qb=client)

# Change data capture: the new customer, and the invoice as deleted.
changes = change_data_capture([Customer, Invoice], since.strftime("%Y-%m-%dT%H:%M:%S") + "Z", qb=client)
result["cdc_customers"] = [c.Id for c in changes.Customer] if hasattr(changes, "Customer") else []
result["cdc_invoices"] = [getattr(i, "status", None) for i in changes.Invoice] if hasattr(changes, "Invoice") else []
result["created_id"] = customer.Id
print(json.dumps(result))
