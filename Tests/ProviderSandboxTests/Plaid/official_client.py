"""Drives the provider sandbox's Plaid emulation with Plaid's official Python library
(plaid-python on PyPI), its host set to the sandbox's /plaid base: links an Item through
/sandbox/public_token/create and /item/public_token/exchange, pages /transactions/sync to the
end, reads accounts, and triggers an error. Prints one JSON object for PlaidOfficialClientTests.
"""
import json
import sys

try:
    import plaid
    from plaid.api import plaid_api
    from plaid.model.accounts_get_request import AccountsGetRequest
    from plaid.model.item_public_token_exchange_request import ItemPublicTokenExchangeRequest
    from plaid.model.products import Products
    from plaid.model.sandbox_public_token_create_request import SandboxPublicTokenCreateRequest
    from plaid.model.transactions_sync_request import TransactionsSyncRequest
except ImportError as error:
    print(json.dumps({"error": f"plaid-python is not installed ({error}): pip install plaid-python"}))
    sys.exit(3)

port = sys.argv[1]
configuration = plaid.Configuration(
    host=f"http://127.0.0.1:{port}/plaid",
    api_key={"clientId": "plaid-sandbox-client", "secret": "plaid-sandbox-secret"},
)
client = plaid_api.PlaidApi(plaid.ApiClient(configuration))

public = client.sandbox_public_token_create(
    SandboxPublicTokenCreateRequest(institution_id="ins_109508", initial_products=[Products("transactions")])
)
exchange = client.item_public_token_exchange(ItemPublicTokenExchangeRequest(public_token=public.public_token))

cursor = None
added, pages, has_more = [], 0, True
while has_more:
    request = TransactionsSyncRequest(access_token=exchange.access_token, count=10)
    if cursor is not None:
        request = TransactionsSyncRequest(access_token=exchange.access_token, cursor=cursor, count=10)
    response = client.transactions_sync(request)
    added += [transaction.transaction_id for transaction in response.added]
    cursor, has_more, pages = response.next_cursor, response.has_more, pages + 1

accounts = client.accounts_get(AccountsGetRequest(access_token=exchange.access_token))
try:
    client.transactions_sync(TransactionsSyncRequest(access_token="access-sandbox-not-a-token"))
    error_code = None
except plaid.ApiException as failure:
    error_code = json.loads(failure.body)["error_code"]

print(json.dumps({
    "item_id": exchange.item_id,
    "access_token_prefix": exchange.access_token.split("-")[0] + "-" + exchange.access_token.split("-")[1],
    "added": len(added),
    "unique": len(set(added)),
    "pages": pages,
    "accounts": len(accounts.accounts),
    "error_code": error_code,
}))
