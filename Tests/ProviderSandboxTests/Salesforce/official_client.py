"""Drives the provider sandbox's Salesforce emulation with simple-salesforce, unchanged: reads
the org's API usage, pages a SOQL query with query_all (following nextRecordsUrl), creates,
reads, updates and deletes an Account and a Contact, provokes a missing required field, lists
what changed and what was deleted, and creates and upserts records through sObject Collections
with its generic `restful` call. Prints one JSON object for SalesforceOfficialClientTests to check.

simple-salesforce keeps only the host and port of `instance_url` and writes `https://` before
it. The sandbox speaks plain http on loopback under its `/salesforce` mount, so the requests
session handed to the client carries a transport adapter, mounted for the sandbox's address
alone, that sends those URLs there; the library itself is untouched.

Argument: the sandbox's port. The token is the sandbox's seeded one.
"""
import json
import sys
from datetime import datetime, timedelta, timezone

try:
    import requests
    from requests.adapters import HTTPAdapter
    from simple_salesforce import Salesforce
    from simple_salesforce.exceptions import SalesforceMalformedRequest, SalesforceResourceNotFound
except ImportError as error:
    print(json.dumps({"error": f"simple-salesforce is not installed ({error}): pip install simple-salesforce"}))
    sys.exit(3)

port = sys.argv[1]
origin = f"127.0.0.1:{port}"


class SandboxMount(HTTPAdapter):
    """https://127.0.0.1:<port>/services/… → http://127.0.0.1:<port>/salesforce/services/…"""

    def send(self, request, **kwargs):
        request.url = request.url.replace(f"https://{origin}/", f"http://{origin}/salesforce/", 1)
        return super().send(request, **kwargs)


session = requests.Session()
session.mount(f"https://{origin}/", SandboxMount())
sf = Salesforce(
    instance_url=f"http://{origin}/salesforce",
    session_id="salesforce-sandbox-access-token",
    version="65.0",
    session=session,
)
result = {}

# A query longer than one batch: query_all follows nextRecordsUrl until done.
everything = sf.query_all("SELECT Id, Name FROM Account ORDER BY Id")
result["accounts"] = everything["totalSize"]
result["unique"] = len({record["Id"] for record in everything["records"]})
result["listed"] = len(everything["records"])
usage = sf.api_usage.get("api-usage")
result["api_usage_total"] = usage.total if usage else None
result["api_usage_used"] = usage.used if usage else None

# CRUD on Account and Contact.
start = datetime.now(timezone.utc) - timedelta(minutes=1)
account = sf.Account.create({"Name": "Simple Co", "Industry": "Technology"})
result["created"] = account["success"]
account_id = account["id"]
result["account_name"] = sf.Account.get(account_id)["Name"]
result["update_status"] = sf.Account.update(account_id, {"Phone": "(555) 123-4567"})
result["account_phone"] = sf.Account.get(account_id)["Phone"]
contact = sf.Contact.create({"LastName": "Simple", "AccountId": account_id})
contact_id = contact["id"]
result["contact_account"] = sf.Contact.get(contact_id)["AccountId"]
result["delete_status"] = sf.Contact.delete(contact_id)
try:
    sf.Contact.get(contact_id)
    result["deleted_read"] = "found"
except SalesforceResourceNotFound as error:
    result["deleted_read"] = error.content[0]["errorCode"]

# A missing required field: Salesforce's error array as the client's exception.
try:
    sf.Contact.create({"FirstName": "Nameless"})
    result["missing_field"] = "accepted"
except SalesforceMalformedRequest as error:
    result["missing_field"] = error.content[0]["errorCode"]
    result["missing_fields"] = error.content[0]["fields"]

# What changed and what vanished in the window.
end = datetime.now(timezone.utc) + timedelta(minutes=1)
result["updated_accounts"] = sf.Account.updated(start, end)["ids"]
result["deleted_contacts"] = [row["id"] for row in sf.Contact.deleted(start, end)["deletedRecords"]]

# sObject Collections through the generic REST call: a create batch with one refusal, then an
# upsert on an external-id field repeated without making a second record.
batch = sf.restful(
    "composite/sobjects",
    method="POST",
    data=json.dumps({"allOrNone": False, "records": [
        {"attributes": {"type": "Product2"}, "Name": "Widget"},
        {"attributes": {"type": "Product2"}, "ProductCode": "NO-NAME"},
    ]}),
)
result["collection_success"] = [row["success"] for row in batch]
result["collection_error"] = batch[1]["errors"][0]["statusCode"]
upsert = json.dumps({"allOrNone": False, "records": [{"attributes": {"type": "Account"}, "Legacy_Id__c": "L-1", "Name": "Upserted"}]})
first = sf.restful("composite/sobjects/Account/Legacy_Id__c", method="PATCH", data=upsert)
second = sf.restful("composite/sobjects/Account/Legacy_Id__c", method="PATCH", data=upsert)
result["upsert_created"] = [first[0]["created"], second[0]["created"]]
result["upsert_same_id"] = first[0]["id"] == second[0]["id"]
result["upserted_count"] = sf.query("SELECT COUNT() FROM Account WHERE Name = 'Upserted'")["totalSize"]

print(json.dumps(result))
