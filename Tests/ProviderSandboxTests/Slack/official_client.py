"""Drives the provider sandbox's Slack with Slack's official Python SDK (slack_sdk), unchanged but
for its documented `base_url`: exchanges an install code (oauth_v2_access), checks the token
(auth_test), pages conversations_list by cursor, looks channels up with conversations_info (an
archived one, a private one the bot is not in), posts a Block Kit message, runs into the
per-channel rate limit and an `ok: false` error (both raise SlackApiError), verifies a signed
Events API request the sandbox made with slack_sdk.signature.SignatureVerifier, and sees a revoked
token refused. Prints one JSON object for SlackOfficialClientTests to check.
"""
import http.client
import json
import sys
import urllib.parse
import urllib.request

try:
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError
    from slack_sdk.signature import SignatureVerifier
except ImportError as error:
    print(json.dumps({"error": f"slack_sdk is not installed ({error}): pip install slack-sdk"}))
    sys.exit(3)

port = int(sys.argv[1])
root = f"http://127.0.0.1:{port}"
base_url = f"{root}/slack/api/"
redirect = "http://127.0.0.1:4567/callback"
client_id, client_secret = "slack-sandbox-client", "slack-sandbox-secret"
result = {}


def admin(method, path, body=None):
    request = urllib.request.Request(root + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"{}")


# The install: the sandbox consents at once and redirects with a code (read, not followed).
query = urllib.parse.urlencode({"client_id": client_id, "scope": "channels:read,chat:write,chat:write.public",
                                "redirect_uri": redirect, "state": "sdk"})
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
connection.request("GET", f"/slack/oauth/v2/authorize?{query}")
location = connection.getresponse().getheader("Location")
code = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)["code"][0]
install = WebClient(base_url=base_url).oauth_v2_access(client_id=client_id, client_secret=client_secret, code=code, redirect_uri=redirect)
token = install["access_token"]
result["token_type"] = install["token_type"]

client = WebClient(token=token, base_url=base_url)
result["team_matches"] = client.auth_test()["team_id"] == install["team"]["id"]

ids, pages, cursor = [], 0, None
while True:
    page = client.conversations_list(limit=10, cursor=cursor, types="public_channel,private_channel")
    pages += 1
    ids += [channel["id"] for channel in page["channels"]]
    cursor = page["response_metadata"]["next_cursor"]
    if not cursor or pages > 10:
        break
result["pages"], result["channels"], result["unique"] = pages, len(ids), len(set(ids))

blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*A sync of customers failed*"}}]
posted = client.chat_postMessage(channel="C0000000001", text="A sync of customers failed", blocks=blocks)
result["posted_channel"] = posted["channel"]
result["posted_blocks"] = posted["message"]["blocks"] == blocks
try:
    client.chat_postMessage(channel="C0000000001", text="too soon")
    result["rate_limited"] = None
except SlackApiError as error:
    result["rate_limited"] = error.response.status_code
    result["retry_after"] = error.response.headers.get("Retry-After") or error.response.headers.get("retry-after")
try:
    client.chat_postMessage(channel="C0999999999", text="nowhere")
    result["missing_channel"] = None
except SlackApiError as error:
    result["missing_channel"] = error.response["error"]

# conversations.info: a channel by id; an archived one is found (and refuses posts, and the
# listing leaves it out when asked to); a private one the bot is not in is not found.
result["info_name"] = client.conversations_info(channel="C0000000003")["channel"]["name"]
archived = admin("POST", "/_admin/slack/channels", {"name": "old-news", "is_archived": True})["channel"]["id"]
result["info_archived"] = client.conversations_info(channel=archived)["channel"]["is_archived"]
listed = client.conversations_list(limit=1000, exclude_archived=True)["channels"]
result["archived_listed"] = any(channel["id"] == archived for channel in listed)
result["archived_listed_when_asked"] = any(channel["id"] == archived for channel in client.conversations_list(limit=1000)["channels"])
try:
    client.chat_postMessage(channel=archived, text="into the archive")
    result["archived_post"] = None
except SlackApiError as error:
    result["archived_post"] = error.response["error"]
try:
    client.conversations_info(channel="G0000000004")
    result["info_private"] = None
except SlackApiError as error:
    result["info_private"] = error.response["error"]

stored = admin("GET", "/_admin/slack/messages?channel=C0000000001")["messages"]
result["stored"] = len(stored)

verifier = SignatureVerifier(signing_secret="slack-sandbox-signing-secret")
for kind in ["valid", "tampered", "stale"]:
    signed = admin("POST", "/_admin/slack/events", {"type": "app_uninstalled", "signature": kind, "send": False})["request"]
    headers = {name.lower(): value for name, value in signed["headers"].items()}
    result[f"signature_{kind}"] = verifier.is_valid(
        body=signed["body"], timestamp=headers["x-slack-request-timestamp"], signature=headers["x-slack-signature"])

admin("POST", "/_admin/slack/oauth/tokens/revoke", {"token": token})
try:
    client.auth_test()
    result["revoked"] = None
except SlackApiError as error:
    result["revoked"] = error.response["error"]

print(json.dumps(result))
