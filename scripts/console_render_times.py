#!/usr/bin/env python3
"""Server-side render times of the console's busiest pages for a large organization.

Seeds one new organization directly in PostgreSQL (100 connections: one live per provider, the
rest disconnected; for one Stripe connection 5,000 sync runs with counts, error samples and
rate-limit waits, 2,000 status changes and 5,000 audit entries), signs in with a token from
hubctl, then times GET requests to web-console itself (not through the front door), which is
what rendering a page costs: the console's calls to the services plus the template. Prints p50
and p95 per page. A measurement, not a test: it asserts nothing about the figures.

Usage (scripts/check-console runs it with HUB_CONSOLE_RENDER_TIMES=1):
  console_render_times.py --console 127.0.0.1:PORT --origin http://127.0.0.1:FRONT \
      --database postgres://… --hubctl BIN_DIR/hubctl [--runs 60]
"""
import argparse
import hashlib
import json
import statistics
import subprocess
import time
import urllib.parse
import urllib.request
import uuid

SEED = """
BEGIN;
INSERT INTO connections (id, org_id, provider, name, status, account_id, account_name, created_by, created_at, disconnected_at)
SELECT (md5(:'org' || n))::uuid, :'org', p.provider, initcap(p.provider) || ' ' || n,
       CASE WHEN n <= p.count THEN 'connected' ELSE 'disconnected' END,
       'acct_' || n, 'Bench account ' || n, 'bench', now() - make_interval(mins => n),
       CASE WHEN n <= p.count THEN NULL ELSE now() - make_interval(mins => n) END
FROM generate_series(1, 100) AS n
CROSS JOIN LATERAL (
    SELECT (string_to_array(:'providers', ','))[1 + (n - 1) % :providers_count] AS provider, :providers_count AS count
) AS p;
INSERT INTO sync_jobs (id, org_id, connection_id, entity, direction, trigger, status, pages, created_count, updated_count,
    deleted_count, error_count, attempts, created_at, started_at, finished_at, records_seen, error_samples,
    rate_limit_waits, rate_limited_ms, started_by)
SELECT md5(:'org' || 'job' || n)::uuid, :'org', :'target', CASE WHEN n % 2 = 0 THEN 'customers' ELSE 'invoices' END,
       'pull', (ARRAY['manual', 'schedule', 'webhook'])[1 + n % 3], CASE WHEN n % 17 = 0 THEN 'failed' ELSE 'completed' END,
       n % 40, n % 500, n % 70, n % 5, n % 4, 1,
       now() - make_interval(mins => n * 5), now() - make_interval(mins => n * 5),
       now() - make_interval(mins => n * 5) + make_interval(secs => 3 + n % 200), n % 600,
       CASE WHEN n % 4 = 0 THEN '[]'::jsonb ELSE (
           SELECT jsonb_agg(jsonb_build_object('kind', 'error', 'external_id', 'cus_' || n || '_' || k,
               'message', 'the provider refused the record: email is not valid', 'at', now()))
           FROM generate_series(1, 1 + n % 5) AS k) END,
       n % 3, (n % 3) * 1200, CASE WHEN n % 3 = 1 THEN 'bench-user' END
FROM generate_series(1, 5000) AS n;
INSERT INTO connection_status_history (connection_id, org_id, status, reason, actor, changed_at)
SELECT :'target', :'org', (ARRAY['connected', 'error', 'reauth_required'])[1 + n % 3], 'bench change ' || n, 'bench',
       now() - make_interval(mins => n)
FROM generate_series(1, 2000) AS n;
INSERT INTO audit_log (org_id, actor, action, resource_type, resource_id, details, created_at)
SELECT :'org', 'bench', 'connection.tested', 'connection', CASE WHEN n % 2 = 0 THEN :'target' ELSE 'other' END,
       jsonb_build_object('ok', n % 5 <> 0, 'n', n), now() - make_interval(secs => n)
FROM generate_series(1, 5000) AS n;
COMMIT;
"""


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--console", required=True, help="web-console's own host:port")
    parser.add_argument("--origin", required=True, help="HUB_UI_ORIGIN (the sign-in form's Origin)")
    parser.add_argument("--database", required=True)
    parser.add_argument("--hubctl", required=True)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    base = f"http://{args.console}"
    org = str(uuid.uuid4())

    token = subprocess.run([args.hubctl, "token", "--org", org, "--sub", "bench-user", "--ttl", "3600"],
                           check=True, capture_output=True, text=True).stdout.strip()
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None

    request = urllib.request.Request(base + "/sign-in", data=urllib.parse.urlencode({"token": token}).encode(),
                                     headers={"Origin": args.origin, "Content-Type": "application/x-www-form-urlencoded"})
    try:
        urllib.request.build_opener(NoRedirect()).open(request, timeout=30)
        raise SystemExit("sign-in did not redirect")
    except urllib.error.HTTPError as answer:
        if answer.code != 303:
            raise
        cookie = answer.headers["Set-Cookie"].split(";")[0]

    def get(path):
        started = time.perf_counter()
        with urllib.request.urlopen(urllib.request.Request(base + path, headers={"Cookie": cookie}), timeout=60) as response:
            body = response.read()
        return (time.perf_counter() - started) * 1000, body

    providers = provider_ids(args.origin, token)
    # The seed's connection n is md5(org || n); Stripe's live one is n = its place in the list.
    target = str(uuid.UUID(hashlib.md5(f"{org}{providers.index('stripe') + 1}".encode()).hexdigest()))
    subprocess.run(["psql", args.database, "-v", "ON_ERROR_STOP=1", "-q", "-v", f"org={org}", "-v", f"target={target}",
                    "-v", f"providers={','.join(providers)}", "-v", f"providers_count={len(providers)}"],
                   input=SEED, check=True, text=True, stdout=subprocess.DEVNULL)

    pages = {"catalog": "/integrations", "connection": f"/connections/{target}", "sync": f"/connections/{target}/sync"}
    print(f"organization {org}: 100 connections ({len(providers)} live), 5000 sync runs, 2000 status changes, 5000 audit entries")
    print(f"{'page':<12} {'p50 ms':>8} {'p95 ms':>8} {'runs':>5}  bytes")
    for name, path in pages.items():
        for _ in range(5):
            get(path)
        times = []
        size = 0
        for _ in range(args.runs):
            elapsed, body = get(path)
            times.append(elapsed)
            size = len(body)
        print(f"{name:<12} {statistics.median(times):8.1f} {percentile(times, 0.95):8.1f} {args.runs:5d}  {size}")


def provider_ids(origin, token):
    """The catalog's provider ids, through the front door's public API."""
    request = urllib.request.Request(origin + "/api/v1/integrations/providers", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        data = json.load(response)
    return sorted(p["id"] for p in data["data"])


if __name__ == "__main__":
    main()
