"""Drives the provider sandbox's PayPal emulation with PayPal's official Python SDK
(paypal-server-sdk), unchanged: the client-credentials token the SDK fetches itself, Transaction
Search paged through a 31-day window with fields=all, a range over 31 days refused with PayPal's
error body, and a wrong secret refused by the token endpoint. The SDK covers Orders, Payments, Vault,
Subscriptions and Transaction Search; of those the sandbox serves Transaction Search, which is
what the hub's connector reads (Invoicing and Disputes are not in this SDK).
Prints one JSON object for PayPalOfficialClientTests to check.

The SDK's base URI comes from its environment table; the client's configuration is pointed at the
sandbox's mount, as its SANDBOX entry points at api-m.sandbox.paypal.com.
"""
import json
import sys
from datetime import datetime, timedelta, timezone

try:
    from paypalserversdk.configuration import Environment, Server
    from paypalserversdk.exceptions.o_auth_provider_exception import OAuthProviderException
    from paypalserversdk.exceptions.search_error_exception import SearchErrorException
    from paypalserversdk.http.auth.o_auth_2 import ClientCredentialsAuthCredentials
    from paypalserversdk.paypal_serversdk_client import PaypalServersdkClient
except ImportError as error:
    print(json.dumps({"error": f"paypal-server-sdk is not installed ({error}): pip install paypal-server-sdk"}))
    sys.exit(3)

port = sys.argv[1]
base = f"http://127.0.0.1:{port}/paypal"
result = {"tokens": []}


def client(client_id, secret):
    made = PaypalServersdkClient(
        client_credentials_auth_credentials=ClientCredentialsAuthCredentials(
            o_auth_client_id=client_id,
            o_auth_client_secret=secret,
            o_auth_on_token_update=lambda token: result["tokens"].append(token.access_token),
        ),
        environment=Environment.SANDBOX,
    )
    made.config.environments = {Environment.SANDBOX: {Server.DEFAULT: base}}
    return made


def stamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


paypal = client("paypal-sandbox-client", "paypal-sandbox-secret")
now = datetime.now(timezone.utc)
window = {"start_date": stamp(now - timedelta(days=31)), "end_date": stamp(now), "fields": "all", "page_size": 10}

ids = []
page = 1
pages = None
while pages is None or page <= pages:
    response = paypal.transaction_search.search_transactions(dict(window, page=page))
    body = response.body
    pages = body.total_pages
    result.setdefault("total_items", body.total_items)
    for detail in body.transaction_details or []:
        ids.append(detail.transaction_info.transaction_id)
        result.setdefault("first_amount", detail.transaction_info.transaction_amount.value)
        result.setdefault("first_email", detail.payer_info.email_address if detail.payer_info else None)
    page += 1
result["pages"] = pages
result["transactions"] = len(ids)
result["unique"] = len(set(ids))
result["token_fetches"] = len(result["tokens"])
result["tokens"] = len(set(result.pop("tokens")))

try:
    paypal.transaction_search.search_transactions(
        {"start_date": stamp(now - timedelta(days=40)), "end_date": stamp(now), "fields": "all"}
    )
    result["wide_error"] = None
except SearchErrorException as error:
    result["wide_error"] = error.name
    result["wide_status"] = error.response_code
    result["wide_issue"] = error.details[0].issue if error.details else None

# The wrong secret: PayPal's token endpoint answers 401 invalid_client.
try:
    client("paypal-sandbox-client", "wrong-secret").oauth_2.fetch_token()
    result["refused_status"] = None
except OAuthProviderException as error:
    result["refused_status"] = error.response_code
    result["refused_error"] = error.error

print(json.dumps(result))
