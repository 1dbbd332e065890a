#!/usr/bin/env python3
"""The fault test: runs each fault against a locally started hub while work flows, then
reconciles exactly. Started by scripts/chaos, which brings up the stack (its own PostgreSQL,
Redis, provider sandbox and the five services) and passes its coordinates in the environment.

Work in flight during every fault:
  - publishers POST events (each with an idempotency key, retried with the same key until a 2xx);
  - a subscription receives them on a local endpoint that verifies every Standard Webhooks
    signature with the `standardwebhooks` library;
  - a full pull of the sandbox's Stripe customers runs.
Faults: SIGKILL of each service (restarted at once, as a supervisor would), PostgreSQL immediate
restart, Redis FLUSHALL, Redis restart without persistence, provider faults (5xx, 429 with and
without Retry-After, dropped connections). Afterwards: every accepted event delivered (none lost),
duplicated deliveries counted, every customer stored exactly once, no job left queued or running,
every service ready again; the table shows how long each took to recover.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook

ENV = os.environ
STATE = ENV["CHAOS_STATE_DIR"]
BIN = ENV["CHAOS_BIN_DIR"]
SANDBOX = ENV["HUB_PROVIDER_SANDBOX_URL"]
PORTS = {name: int(ENV["CHAOS_PORT_" + name.removesuffix("-service").upper().replace("-", "_")]) for name in
         ["catalog-service", "connection-service", "oauth-service", "sync-worker", "webhook-service"]}
TOKEN = open(os.path.join(STATE, "dev-token")).read().strip()


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def call(method, url, body=None, token=TOKEN, timeout=15, headers=None):
    """(status, parsed body or text); status 0 when no answer came."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read().decode()
            status = response.status
    except urllib.error.HTTPError as error:
        text = error.read().decode()
        status = error.code
    except Exception as error:  # no answer: refused, reset, timed out
        return 0, repr(error)
    try:
        return status, json.loads(text) if text else None
    except ValueError:
        return status, text


def api(service, path):
    return f"http://127.0.0.1:{PORTS[service]}{path}"


# --- the processes --------------------------------------------------------------------------------

def service_pid(name):
    try:
        return int(open(os.path.join(STATE, "pids", name + ".pid")).read().strip())
    except (OSError, ValueError):
        return None


def start_service(name):
    environment = dict(ENV, HUB_PORT=str(PORTS[name]))
    with open(os.path.join(STATE, "logs", name + ".log"), "ab") as out:
        process = subprocess.Popen([os.path.join(BIN, name)], env=environment, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    with open(os.path.join(STATE, "pids", name + ".pid"), "w") as pid_file:
        pid_file.write(str(process.pid))


def kill_service(name):
    pid = service_pid(name)
    if pid:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        for _ in range(100):
            try:
                os.kill(pid, 0)
                time.sleep(0.05)
            except ProcessLookupError:
                break
    start_service(name)


def run(command):
    subprocess.run(command, shell=True, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def restart_postgres():
    run(ENV["CHAOS_PG_STOP"])
    time.sleep(1)
    run(ENV["CHAOS_PG_START"])


def flush_redis():
    run(f"redis-cli -p {ENV['CHAOS_REDIS_PORT']} FLUSHALL")


def restart_redis():
    run(ENV["CHAOS_REDIS_STOP"])
    time.sleep(1)
    run(ENV["CHAOS_REDIS_START"])


# --- the work in flight ---------------------------------------------------------------------------

class Receiver:
    """The subscriber's endpoint: verifies each signature, records what arrived."""

    def __init__(self):
        self.lock = threading.Lock()
        self.secret = None
        self.subscription = None
        self.by_event = {}  # event id -> deliveries received
        self.created = {}  # customer external id -> customer.created deliveries (the hub's own events)
        self.bad_signatures = 0
        self.cut_off = 0  # requests whose body ended early
        self.bad_details = []  # what the first bad signatures were
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                if len(body) < length:
                    # The sender died mid-request (SIGKILL of webhook-service): not a signature to judge.
                    with receiver.lock:
                        receiver.cut_off += 1
                    return
                headers = {key.lower(): value for key, value in self.headers.items()}
                try:
                    payload = Webhook(receiver.secret).verify(body, headers)
                except Exception as error:
                    with receiver.lock:
                        receiver.bad_signatures += 1
                        if len(receiver.bad_details) < 5:
                            receiver.bad_details.append(f"{headers.get('webhook-id')} ({len(body)} bytes): {error!r}")
                    self.send_response(400)
                    self.end_headers()
                    return
                with receiver.lock:
                    if payload.get("type") == "customer.created":
                        external = payload.get("data", {}).get("external_id")
                        receiver.created[external] = receiver.created.get(external, 0) + 1
                    else:
                        key = payload.get("id") or headers.get("webhook-id")
                        receiver.by_event[key] = receiver.by_event.get(key, 0) + 1
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def delivered(self):
        with self.lock:
            return dict(self.by_event)

    def created_for(self):
        """The customers whose customer.created arrived."""
        with self.lock:
            return set(self.created)


class Publishers:
    """Publish events until stopped; an event counts as accepted once a 2xx answered it."""

    def __init__(self, count):
        self.lock = threading.Lock()
        self.accepted = {}  # event id -> the fault during which it was accepted
        self.phase = "warm-up"
        self.errors = {}
        self.running = True
        self.threads = [threading.Thread(target=self.loop, daemon=True) for _ in range(count)]
        for thread in self.threads:
            thread.start()

    def loop(self):
        while self.running:
            key = str(uuid.uuid4())
            deadline = time.time() + 120
            while self.running and time.time() < deadline:
                status, body = call("POST", api("webhook-service", "/api/v1/integrations/events"),
                                    {"type": "invoice.paid", "data": {"key": key}, "idempotency_key": key}, timeout=20)
                if status in (200, 202) and isinstance(body, dict):
                    with self.lock:
                        self.accepted.setdefault(body["id"], self.phase)
                    break
                with self.lock:
                    self.errors[status] = self.errors.get(status, 0) + 1
                time.sleep(0.2)
            time.sleep(0.05)

    def stop(self):
        self.running = False
        for thread in self.threads:
            thread.join(timeout=30)


# --- setup, faults, reconciliation -------------------------------------------------------------

def ready(name):
    status, _ = call("GET", api(name, "/readyz"), token=None, timeout=2)
    return status == 200


def wait_until(predicate, timeout, step=0.2):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def setup(receiver):
    status, body = call("POST", api("webhook-service", "/api/v1/integrations/webhooks/subscriptions"),
                        {"url": f"http://127.0.0.1:{receiver.port}/hook", "event_types": ["invoice.paid", "customer.created"]})
    assert status == 201, (status, body)
    receiver.secret = body["secret"]
    receiver.subscription = body["id"]
    status, body = call("POST", api("connection-service", "/api/v1/integrations/connections"),
                        {"provider": "stripe", "name": "chaos", "credentials": {"api_key": "sk_test_sandbox"}})
    assert status == 201, (status, body)
    return body["id"]


def trigger_pull(connection):
    for _ in range(100):
        status, body = call("POST", api("connection-service", f"/api/v1/integrations/connections/{connection}/sync"),
                            {"entity": "customers", "full_resync": True})
        if status == 202:
            return body["data"][0]["id"]
        time.sleep(0.5)
    raise SystemExit(f"could not trigger a sync: {status} {body}")


def job(job_id):
    status, body = call("GET", api("connection-service", f"/api/v1/integrations/sync/jobs/{job_id}"))
    return body if status == 200 else None


def probe_publish():
    key = str(uuid.uuid4())
    status, _ = call("POST", api("webhook-service", "/api/v1/integrations/events"),
                     {"type": "invoice.paid", "data": {"probe": True}, "idempotency_key": key}, timeout=5)
    return status in (200, 202)


def recovered():
    return all(ready(name) for name in PORTS) and probe_publish()


# Every Stripe call is slowed so that a pull is still running when each fault strikes.
BASELINE = {"latency_ms": 60}


def diagnose(missing):
    """What PostgreSQL and Redis hold for customers stored without their customer.created event delivered:
    the outbox row that carried the event, the webhook event, its deliveries, the stream. Printed on that failure only."""
    def sql(query):
        done = subprocess.run(["psql", ENV["DATABASE_URL"], "-X", "-A", "-F", " | ", "-c", query], capture_output=True, text=True)
        return (done.stdout + done.stderr).strip()

    for external in sorted(missing)[:3]:
        like = f"%{external}%"
        print(f"--- {external}")
        print(sql(f"SELECT id, local_updated_at, deleted_at FROM sync_records WHERE external_id = '{external}'"))
        print(sql("SELECT o.sequence, u.id, u.type, o.occurred_at, o.relayed_at FROM event_outbox o, "
                  f"unnest(o.event_ids, o.types, o.data) AS u(id, type, d) WHERE u.d LIKE '{like}'"))
        print(sql(f"SELECT id, type, source, created_at FROM webhook_events WHERE payload LIKE '{like}'"))
        print(sql("SELECT d.id, d.status, d.attempt_count, d.budget_start, d.next_attempt_at, d.claim_token, d.last_status_code, "
                  f"d.last_error, d.created_at FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id "
                  f"WHERE e.payload LIKE '{like}'"))
    print("--- outbox, stream progress, hub events")
    print(sql("SELECT count(*) AS rows, count(relayed_at) AS relayed, min(relayed_at), max(relayed_at) FROM event_outbox"))
    print(sql("SELECT * FROM event_stream_progress"))
    print(sql("SELECT type, count(*) FROM webhook_events WHERE source = 'hub' GROUP BY type"))
    print(sql("SELECT status, count(*) FROM webhook_deliveries WHERE event_type = 'customer.created' GROUP BY status"))
    for command in ("XINFO STREAM hub:events", "XINFO GROUPS hub:events", "XPENDING hub:events webhook-service"):
        done = subprocess.run(["redis-cli", "-p", ENV["CHAOS_REDIS_PORT"], *command.split()], capture_output=True, text=True)
        said = " ".join((done.stdout + done.stderr).split())
        print(f"redis {command}: " + said.split(" first-entry ")[0])  # not the entries themselves


def provider_faults():
    faults = dict(BASELINE, server_error_share=0.15, rate_limit_share=0.1, retry_after_seconds=1, drop_share=0.05)
    call("PUT", f"{SANDBOX}/_admin/faults/stripe", faults, token=None)
    time.sleep(float(ENV.get("CHAOS_PROVIDER_FAULT_SECONDS", "6")))
    call("PUT", f"{SANDBOX}/_admin/faults/stripe", BASELINE, token=None)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--short", action="store_true", help="fewer faults and less work (for the test command)")
    parser.add_argument("--publishers", type=int, default=8)
    parser.add_argument("--volume", type=int, default=int(ENV.get("CHAOS_VOLUME", "2000")))
    arguments = parser.parse_args()

    faults = [
        ("SIGKILL webhook-service", lambda: kill_service("webhook-service")),
        ("SIGKILL sync-worker", lambda: kill_service("sync-worker")),
        ("SIGKILL connection-service", lambda: kill_service("connection-service")),
        ("SIGKILL oauth-service", lambda: kill_service("oauth-service")),
        ("SIGKILL catalog-service", lambda: kill_service("catalog-service")),
        ("PostgreSQL immediate restart", restart_postgres),
        ("Redis FLUSHALL", flush_redis),
        ("Redis restart (no persistence)", restart_redis),
        ("provider 5xx/429/drops", provider_faults),
    ]
    if arguments.short:
        faults = [faults[0], faults[1], faults[5], faults[6], faults[8]]

    receiver = Receiver()
    connection = setup(receiver)
    call("PUT", f"{SANDBOX}/_admin/faults/stripe", BASELINE, token=None)
    publishers = Publishers(arguments.publishers)
    rows = []
    jobs = []
    time.sleep(2)
    for name, fault in faults:
        jobs.append(trigger_pull(connection))
        with publishers.lock:
            publishers.phase = name
            before = len(publishers.accepted)
        time.sleep(1.0)  # the pull and the publishers are under way
        in_flight = job(jobs[-1]) or {}
        work = f"pull at {in_flight.get('records_seen', '?')}/{arguments.volume}, {arguments.publishers} publishers"
        log(f"fault: {name} ({work})")
        started = time.time()
        fault()
        if fault is provider_faults:
            started = time.time()  # recovery counts from the end of the provider's bad spell
        ok = wait_until(recovered, 120)
        recovery = time.time() - started if ok else None
        log(f"  recovered in {recovery:.1f} s" if ok else "  NOT recovered within 120 s")
        time.sleep(2)
        with publishers.lock:
            accepted = len(publishers.accepted) - before
        rows.append([name, work, accepted, recovery, jobs[-1]])

    publishers.stop()
    # Settle: the deliveries drain and the last pull (and any resumed one) ends.
    accepted = dict(publishers.accepted)
    wait_until(lambda: set(accepted) <= set(receiver.delivered()) and len(receiver.created) >= arguments.volume, 180, step=1)
    final = trigger_pull(connection)
    wait_until(lambda: (job(final) or {}).get("status") not in (None, "queued", "running"), 300, step=1)
    delivered = receiver.delivered()
    pending_path = f"/api/v1/integrations/webhooks/subscriptions/{receiver.subscription}/deliveries?status=pending&limit=200"

    def pending():
        status, body = call("GET", api("webhook-service", pending_path))
        return len((body or {}).get("data", [])) if status == 200 else -1

    wait_until(lambda: pending() == 0, 60, step=1)
    left_pending = pending()

    unfinished = []
    page = f"/api/v1/integrations/connections/{connection}/sync/jobs?limit=200"
    status, listing = call("GET", api("connection-service", page))
    for entry in (listing or {}).get("data", []):
        if entry["status"] in ("queued", "running"):
            unfinished.append(entry["id"])
    stored, cursor = {}, None
    while True:
        path = f"/api/v1/integrations/connections/{connection}/records/customers?limit=200"
        status, body = call("GET", api("connection-service", path + (f"&cursor={cursor}" if cursor else "")))
        for record in body["data"]:
            stored[record["external_id"]] = stored.get(record["external_id"], 0) + 1
        cursor = body.get("next_cursor")
        if not cursor:
            break
    final_job = job(final) or {}
    # A customer the last pull stored would have its event on the way still; none should be left
    # to it (every earlier pull completed), which is checked below, but it must not pass as lost.
    wait_until(lambda: set(stored) <= receiver.created_for(), 30, step=0.5)

    print()
    print(f"{'fault':32} {'work in flight':36} {'accepted':>8} {'delivered':>9} {'lost':>5} {'dup':>5} {'recovery s':>10}  pull")
    total_lost = 0
    storm = 0
    pulls = {}
    for name, work, count, recovery, pull in rows:
        pulls[name] = job(pull) or {}
        ids = [event for event, phase in accepted.items() if phase == name]
        lost = sum(1 for event in ids if event not in delivered)
        dup = sum(delivered[event] - 1 for event in ids if delivered.get(event, 0) > 1)
        total_lost += lost
        if "SIGKILL webhook-service" not in name:
            # Only an attempt in flight when webhook-service died is legitimately sent twice.
            storm += dup
        shown = f"{recovery:.1f}" if recovery is not None else "NOT"
        outcome = pulls[name].get("status", "?")
        if outcome == "failed":
            outcome += f" ({pulls[name].get('status_reason')})"
        print(f"{name:32} {work:36} {len(ids):>8} {len(ids) - lost:>9} {lost:>5} {dup:>5} {shown:>10}  {outcome}")
    print()
    print(f"events accepted {len(accepted)}, delivered {sum(1 for e in accepted if e in delivered)}, lost {total_lost}, "
          f"bad signatures {receiver.bad_signatures}, cut off {receiver.cut_off}; publish answers that were not 2xx: {publishers.errors}; "
          f"deliveries still pending: {left_pending}")
    with receiver.lock:
        created = dict(receiver.created)
    missing_events = set(stored) - set(created)
    print(f"hub events: customer.created delivered for {len(set(stored) & set(created))} of {len(stored)} stored customers "
          f"(missing {len(missing_events)}; delivered more than once {sum(1 for c in created.values() if c > 1)})")
    print(f"customers: sandbox {arguments.volume}, stored {len(stored)}, stored twice {sum(1 for c in stored.values() if c > 1)}; "
          f"last pull {final_job.get('status')} ({final_job.get('counts')}); jobs left queued or running: {len(unfinished)}")
    failures = []
    if total_lost:
        failures.append(f"{total_lost} accepted events never delivered")
    if storm > len(accepted) // 100:
        failures.append(f"{storm} deliveries sent again where no delivery was in flight in a dying process")
    if left_pending:
        failures.append(f"{left_pending} deliveries still pending after the run (results not written?)")
    if missing_events:
        failures.append(f"{len(missing_events)} customers stored without their customer.created event delivered "
                        f"(e.g. {', '.join(sorted(missing_events)[:5])})")
    if receiver.bad_signatures:
        failures.append(f"{receiver.bad_signatures} deliveries with a bad signature ({'; '.join(receiver.bad_details)})")
    if len(stored) != arguments.volume or any(c > 1 for c in stored.values()):
        failures.append("the record store does not hold every customer exactly once")
    late = (final_job.get("counts") or {}).get("created", 0)
    if late:
        failures.append(f"the last pull stored {late} customers the earlier completed pulls had not")
    if final_job.get("status") != "completed":
        failures.append(f"the last pull ended {final_job.get('status')}")
    if unfinished:
        failures.append(f"{len(unfinished)} jobs left queued or running")
    bad_pulls = [name for name, pull in pulls.items() if pull.get("status") != "completed" and "provider" not in name]
    if bad_pulls:
        failures.append("pulls did not complete under: " + ", ".join(bad_pulls))
    if any(row[3] is None for row in rows):
        failures.append("a fault was not recovered from within 120 s")
    if missing_events:
        diagnose(missing_events)
    if failures:
        print("chaos: FAILED: " + "; ".join(failures))
        return 1
    print("chaos: every fault recovered, nothing lost, nothing stuck")
    return 0


if __name__ == "__main__":
    sys.exit(main())
