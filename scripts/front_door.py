"""The front door: one origin for everything a client of the hub uses, an nginx in front of the
services, routed by the one table in deploy/front-door/routes.

    front_door.py nginx --listen 127.0.0.1:8080 --upstream catalog-service=127.0.0.1:8081 ... \
        --state DIR [--max-body-bytes N]                  the nginx.conf scripts/up runs
    front_door.py compose                                 deploy/front-door/nginx.conf (docker-compose)
    front_door.py ingress                                 deploy/ingress.yaml (Kubernetes)
    front_door.py walk --front URL --service NAME=URL ... --token T
        every public route of every service's OpenAPI document, through the front door and
        directly, must get the same answer; the front door's own errors carry the hub's envelope.

Standard library only, so scripts/up can run it before any venv exists.
"""

import argparse
import http.server
import json
import os
import sys
import threading
import urllib.error
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLE = os.path.join(ROOT, "deploy", "front-door", "routes")
# The largest request body the services accept by default (HUB_MAX_BODY_BYTES).
DEFAULT_MAX_BODY = 1 << 20
# Above the services' HUB_REQUEST_DEADLINE_SECONDS (45), so a slow request ends in the service's
# own 503, not in the proxy's 504.
READ_TIMEOUT_SECONDS = 60
COMPOSE_PORTS = {"catalog-service": 8081, "connection-service": 8082, "oauth-service": 8083,
                 "webhook-service": 8085, "web-console": 8086}


def routes():
    """(path, service) rows of the table, in file order."""
    rows = []
    with open(TABLE) as table:
        for line in table:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            path, service = line.split()
            rows.append((path, service))
    return rows


def owner(path):
    """The service the table routes `path` to (longest match), or None."""
    best = None
    for prefix, service in routes():
        matches = path.startswith(prefix) if prefix.endswith("/") else (path == prefix or path.startswith(prefix + "/"))
        if matches and (best is None or len(prefix) > len(best[0])):
            best = (prefix, service)
    return best[1] if best else None


def envelope(code, message):
    return json.dumps({"error": {"code": code, "message": message}}, separators=(",", ":"))


def nginx(listen, upstreams, temp_dir, error_log, access_log, pid, max_body, workers, resolver=None):
    """The nginx.conf text. nginx answers its own errors (no route, too large, upstream down or
    slow) with the hub's JSON envelope, the request id and Retry-After where retrying helps.

    With `resolver`, upstreams are looked up per request (Docker's DNS): nginx starts while a
    service is missing or restarting, answers 502 for it meanwhile, and follows its new address."""
    services = sorted({service for _, service in routes()})
    missing = [service for service in services if service not in upstreams]
    if missing:
        raise SystemExit(f"front_door.py: no --upstream for {', '.join(missing)}")
    out = [
        "# Rendered by scripts/front_door.py from deploy/front-door/routes; edit those, not this.",
        f"worker_processes {workers};",
        f"error_log {error_log} warn;",
        f"pid {pid};",
        "events { worker_connections 1024; }",
        "http {",
        "    server_tokens off;",
        f"    client_body_temp_path {temp_dir}/body;",
        f"    proxy_temp_path {temp_dir}/proxy;",
        f"    fastcgi_temp_path {temp_dir}/fastcgi;",
        f"    uwsgi_temp_path {temp_dir}/uwsgi;",
        f"    scgi_temp_path {temp_dir}/scgi;",
        "    # The caller's request id when it sent one, else nginx's own: every service logs it.",
        "    map $http_x_request_id $hub_request_id {",
        "        default $http_x_request_id;",
        "        \"\" $request_id;",
        "    }",
        "    # The path alone, as the services log it: a query string carries OAuth codes and states,",
        "    # and a sign-in link's path is its one-time secret.",
        "    map $uri $hub_logged_path {",
        "        ~^/sign-in/link/ /sign-in/link/:id;",
        "        default $uri;",
        "    }",
        "    log_format hub '$remote_addr \"$request_method $hub_logged_path $server_protocol\" $status $body_bytes_sent $request_time '",
        "                   'request_id=$hub_request_id upstream=$upstream_addr';",
        f"    access_log {access_log} hub;",
    ]
    if resolver:
        out.append(f"    resolver {resolver} valid=10s ipv6=off;")
    else:
        for service in services:
            out += [f"    upstream {service} {{", f"        server {upstreams[service]};", "        keepalive 16;", "    }"]
    out += [
        "    server {",
        f"        listen {listen};",
        f"        client_max_body_size {max_body};",
        "        # Bodies stay in memory: no temporary files for workers that may run as another user.",
        f"        client_body_buffer_size {max_body};",
        "        proxy_http_version 1.1;",
        "        proxy_set_header Connection \"\";",
        "        proxy_set_header Host $http_host;",
        "        proxy_set_header X-Request-Id $hub_request_id;",
        "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "        proxy_set_header X-Forwarded-Proto $scheme;",
        "        # traceparent and tracestate pass through untouched, like every other request header.",
        "        proxy_connect_timeout 5s;",
        f"        proxy_read_timeout {READ_TIMEOUT_SECONDS}s;",
        f"        proxy_send_timeout {READ_TIMEOUT_SECONDS}s;",
        "        proxy_buffering off;",
        "        # nginx's own refusals too (a malformed request, TRACE, a URI or header over its buffers;",
        "        # 494 is its code for the last) answer in the hub's error envelope, not an HTML page. URIs,",
        "        # not named locations: a request whose line could not be read has no URI to keep.",
        "        error_page 400 /.hub-error/bad_request;",
        "        error_page 404 /.hub-error/not_found;",
        "        error_page 405 /.hub-error/method_not_allowed;",
        "        error_page 413 /.hub-error/too_large;",
        "        error_page 414 /.hub-error/uri_too_long;",
        "        error_page 494 =431 /.hub-error/header_too_large;",
        "        error_page 502 503 /.hub-error/bad_gateway;",
        "        error_page 504 /.hub-error/gateway_timeout;",
        "        location = /healthz {",
        "            default_type application/json;",
        "            return 200 '{\"status\":\"ok\"}';",
        "        }",
        "        location ^~ /internal/ { return 404; }",
    ]
    # Each service's own operational paths, the console's included (it owns "/").
    for path in OPERATIONAL:
        if path != "/healthz":
            out.append(f"        location = {path} {{ return 404; }}")
        out.append(f"        location ^~ {path}/ {{ return 404; }}")
    for path, service in routes():
        if resolver:
            target = f"set $hub_upstream {upstreams[service]}; proxy_pass http://$hub_upstream;"
        else:
            target = f"proxy_pass http://{service};"
        if path.endswith("/"):
            out.append(f"        location ^~ {path} {{ {target} }}")
        else:
            out.append(f"        location = {path} {{ {target} }}")
            out.append(f"        location ^~ {path}/ {{ {target} }}")
    errors = [
        ("bad_request", 400, "bad_request", "the request is not valid HTTP", False),
        ("not_found", 404, "not_found", "no such route", False),
        ("method_not_allowed", 405, "method_not_allowed", "method not allowed on this route", False),
        ("too_large", 413, "payload_too_large", "the request body is larger than allowed", False),
        ("uri_too_long", 414, "uri_too_long", "the request URI is longer than allowed", False),
        ("header_too_large", 431, "header_too_large", "a request header, or all of them, is larger than allowed", False),
        ("bad_gateway", 502, "bad_gateway", "the service behind this path is unavailable; retry shortly", True),
        ("gateway_timeout", 504, "gateway_timeout", "the service behind this path did not answer in time; retry shortly", True),
    ]
    for name, status, code, message, retry in errors:
        out += [
            f"        location = /.hub-error/{name} {{",
            "            internal;",
            "            default_type \"application/json; charset=utf-8\";",
            "            add_header X-Request-Id $hub_request_id always;",
        ]
        if retry:
            out.append("            add_header Retry-After 1 always;")
        out += [f"            return {status} '{envelope(code, message)}';", "        }"]
    out += ["    }", "}"]
    return "\n".join(out) + "\n"


def compose_config():
    upstreams = {service: f"{service}:{port}" for service, port in COMPOSE_PORTS.items()}
    # Straight under /tmp: the container's /tmp is an empty tmpfs, and nginx makes its temporary
    # folders and pid file but not their parents (under /tmp/nginx it did not start).
    return nginx("8080", upstreams, "/tmp", "stderr", "/dev/stdout", "/tmp/nginx.pid",
                 DEFAULT_MAX_BODY, "auto", resolver="127.0.0.11")


def ingress():
    """The Ingress for the nginx ingress controller: the same table, the same body limit."""
    lines = [
        "# Rendered by scripts/front_door.py from deploy/front-door/routes; edit those, not this.",
        "apiVersion: networking.k8s.io/v1",
        "kind: Ingress",
        "metadata:",
        "  name: integration-hub",
        "  namespace: integration-hub",
        "  annotations:",
        f"    nginx.ingress.kubernetes.io/proxy-body-size: \"{DEFAULT_MAX_BODY}\"",
        f"    nginx.ingress.kubernetes.io/proxy-read-timeout: \"{READ_TIMEOUT_SECONDS}\"",
        "spec:",
        "  ingressClassName: nginx",
        "  # TLS ends here: the console's session cookie is __Host- and Secure, which browsers keep only",
        "  # over https. Create the certificate's Secret (or let cert-manager) and set your host.",
        "  tls:",
        "    - hosts:",
        "        - hub.example.com",
        "      secretName: integration-hub-tls",
        "  rules:",
        "    - host: hub.example.com",
        "      http:",
        "        paths:",
    ]
    for path, service in sorted(routes(), key=lambda row: -len(row[0])):
        # Kubernetes' Prefix matches whole path segments: /webhooks/ and /webhooks alike.
        lines += [
            f"          - path: {path.rstrip('/') or '/'}",
            "            pathType: Prefix",
            "            backend:",
            "              service:",
            f"                name: {service}",
            "                port:",
            "                  name: http",
        ]
    return "\n".join(lines) + "\n"


# --- the walk ----------------------------------------------------------------------------------

OPERATIONAL = ("/healthz", "/readyz", "/metrics", "/openapi.json")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# Redirects (the OAuth callback's) are answers to compare, not to follow.
_opener = urllib.request.build_opener(_NoRedirects)


def request(method, url, token=None, body=None, headers=None):
    """(status, headers, body) of one call; never raises on an HTTP error status."""
    all_headers = dict(headers or {})
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else body.encode()
        all_headers.setdefault("Content-Type", "application/json")
    call = urllib.request.Request(url, data=data, method=method, headers=all_headers)
    try:
        with _opener.open(call, timeout=30) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as answer:
        return answer.code, dict(answer.headers), answer.read()


def concrete(path):
    """The OpenAPI path with each parameter filled: a provider id where one is named, else a
    fresh UUID (a record nobody has: the service answers 404, and nothing changes)."""
    parts = []
    for part in path.split("/"):
        if part.startswith("{") and part.endswith("}"):
            name = part[1:-1]
            parts.append({"provider": "stripe", "entity": "customers"}.get(name, str(uuid.uuid4())))
        else:
            parts.append(part)
    return "/".join(parts)


def comparable(body):
    """The body without what differs from call to call (request ids, times)."""
    try:
        value = json.loads(body)
    except ValueError:
        return body

    def strip(node):
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k not in ("request_id", "generated_at", "since", "state")}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node
    return strip(value)


def check_pass_through(front, port, failures):
    """Stands in for the console on its port with a server that echoes the request headers it
    got: the caller's X-Request-Id and traceparent arrive unchanged, and nginx makes an id when
    the caller sent none."""
    class Echo(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({k.lower(): v for k, v in self.headers.items()}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        _, _, body = request("GET", f"{front}/console/page", headers={"X-Request-Id": "walk-echo-1", "traceparent": trace})
        seen = json.loads(body)
        if seen.get("x-request-id") != "walk-echo-1" or seen.get("traceparent") != trace:
            failures.append(f"the front door did not pass X-Request-Id and traceparent through: {seen}")
        _, _, body = request("GET", f"{front}/")
        if not json.loads(body).get("x-request-id"):
            failures.append("the front door made no request id for a caller that sent none")
        else:
            print("    X-Request-Id and traceparent reach the service unchanged; a missing id is made")
    finally:
        server.shutdown()
        server.server_close()


def walk(front, services, token, console_port=None):
    failures = []
    checked = 0
    for name, base in sorted(services.items()):
        status, _, body = request("GET", f"{base}/openapi.json")
        if status != 200:
            failures.append(f"{name}: /openapi.json answered {status}")
            continue
        document = json.loads(body)
        for path, operations in sorted(document["paths"].items()):
            if path in OPERATIONAL or path.startswith("/internal/"):
                continue
            if owner(path) != name:
                failures.append(f"{path}: the table routes it to {owner(path)}, {name} serves it")
                continue
            for method in sorted(m.upper() for m in operations if m in ("get", "post", "put", "patch", "delete")):
                target = concrete(path)
                body = "{}" if method in ("POST", "PUT", "PATCH") else None
                request_id = f"walk-{uuid.uuid4()}"
                headers = {"X-Request-Id": request_id}
                direct = request(method, base + target, token, body, headers)
                through = request(method, front + target, token, body, headers)
                checked += 1
                if direct[0] != through[0] or comparable(direct[2]) != comparable(through[2]):
                    failures.append(f"{method} {target}: direct {direct[0]} {direct[2][:120]!r}, "
                                    f"through the front door {through[0]} {through[2][:120]!r}")
                elif through[1].get("X-Request-Id") != request_id:
                    failures.append(f"{method} {target}: the front door answered request id "
                                    f"{through[1].get('X-Request-Id')!r}, not the caller's")
    print(f"    {checked} operations answered alike through the front door and directly")

    def expect_envelope(what, answer, status, code):
        got_status, headers, body = answer
        try:
            got_code = json.loads(body)["error"]["code"]
        except (ValueError, KeyError, TypeError):
            got_code = None
        if got_status != status or got_code != code or not headers.get("X-Request-Id"):
            failures.append(f"{what}: wanted {status} {code} with a request id, got {got_status} {body[:160]!r}")
        else:
            print(f"    {what}: {status} {code}")

    expect_envelope("an internal route", request("GET", f"{front}/internal/connections/{uuid.uuid4()}/access-token"),
                    404, "not_found")
    expect_envelope("a body over the limit", request("POST", f"{front}/api/v1/integrations/events", token,
                                                     b"x" * (DEFAULT_MAX_BODY + 1)), 413, "payload_too_large")
    for path in OPERATIONAL:
        if path != "/healthz":
            expect_envelope(f"a service's own {path}", request("GET", f"{front}{path}"), 404, "not_found")
        expect_envelope(f"below a service's own {path}", request("GET", f"{front}{path}/"), 404, "not_found")
    # nginx's own refusals, in the envelope too (they were HTML pages).
    expect_envelope("TRACE", request("TRACE", f"{front}/"), 405, "method_not_allowed")
    expect_envelope("a URI over nginx's buffers", request("GET", f"{front}/api/v1/integrations/providers?x={'a' * 10000}"),
                    414, "uri_too_long")
    expect_envelope("a header over nginx's buffers", request("POST", f"{front}/webhooks/plaid", body=b"{}",
                                                             headers={"Plaid-Verification": "A" * 9000}),
                    431, "header_too_large")
    answer = request("GET", f"{front}/healthz")
    if answer[0] != 200:
        failures.append(f"the front door's /healthz answered {answer[0]}")
    if console_port:
        check_pass_through(front, console_port, failures)
        answer = request("GET", f"{front}/")
        expect_envelope("a service that is down (the console, stopped)", answer, 502, "bad_gateway")
        if answer[1].get("Retry-After") != "1":
            failures.append("the 502 has no Retry-After")
    for failure in failures:
        print(f"    FAILED {failure}", file=sys.stderr)
    return not failures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    local = commands.add_parser("nginx")
    local.add_argument("--listen", required=True)
    local.add_argument("--upstream", action="append", default=[], help="SERVICE=HOST:PORT")
    local.add_argument("--state", required=True, help="a directory for nginx's temporary files and logs")
    local.add_argument("--max-body-bytes", type=int, default=DEFAULT_MAX_BODY)
    commands.add_parser("compose")
    commands.add_parser("ingress")
    walker = commands.add_parser("walk")
    walker.add_argument("--front", required=True)
    walker.add_argument("--service", action="append", default=[], help="NAME=BASE_URL")
    walker.add_argument("--token", required=True)
    walker.add_argument("--console-port", type=int, help="the console's upstream port, free: the walk stands in for it")
    args = parser.parse_args()

    if args.command == "nginx":
        upstreams = dict(item.split("=", 1) for item in args.upstream)
        state = os.path.abspath(args.state)
        sys.stdout.write(nginx(args.listen, upstreams, state, f"{state}/error.log", f"{state}/access.log",
                               f"{state}/nginx.pid", args.max_body_bytes, 1))
    elif args.command == "compose":
        sys.stdout.write(compose_config())
    elif args.command == "ingress":
        sys.stdout.write(ingress())
    else:
        services = dict(item.split("=", 1) for item in args.service)
        sys.exit(0 if walk(args.front.rstrip("/"), services, args.token, args.console_port) else 1)


if __name__ == "__main__":
    main()
