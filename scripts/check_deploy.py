"""Offline checks of the deployment files; run by scripts/check-deploy inside a venv that has
kubernetes-validate (bundled Kubernetes JSON schemas) and PyYAML.

1. Every manifest under deploy/ validates against the Kubernetes schemas, strictly (unknown
   fields rejected); an unknown kind or apiVersion is an error, not a warning.
2. The manifests and docker-compose.yml describe the topology this project runs: the five
   services and the web console, probes on /healthz and /readyz, non-root, read-only root filesystem, resources,
   the migration one-shot, the configuration every service needs.
3. --self-test: the schema check rejects a manifest with a misspelled field.
"""

import argparse
import copy
import os
import subprocess
import sys

import yaml
from kubernetes_validate import utils as kv

SERVICES = {
    "catalog-service": 8081,
    "connection-service": 8082,
    "oauth-service": 8083,
    "sync-worker": 8084,
    "webhook-service": 8085,
    "web-console": 8086,
}
HTTP_SERVICES = {"catalog-service", "connection-service", "oauth-service", "webhook-service", "web-console"}
# Environment every service process needs (HUB_PORT set per workload).
REQUIRED_ENV = {"DATABASE_URL", "REDIS_URL", "HUB_INTERNAL_TOKEN", "HUB_VAULT_KEYS", "HUB_VAULT_ACTIVE_KEY", "HUB_HOST"}
JWT_ENV = {"HUB_JWT_HS256_SECRET", "HUB_JWT_PUBLIC_KEY_PEM"}
CONFIG_ENV = {"HUB_LOG_LEVEL", "HUB_LOG_FORMAT", "HUB_MAX_BODY_BYTES", "HUB_RUN_MIGRATIONS", "HUB_DB_POOL_SIZE",
              "HUB_SERVICE_URL_CATALOG", "HUB_SERVICE_URL_CONNECTION", "HUB_SERVICE_URL_OAUTH",
              "HUB_SERVICE_URL_WEBHOOK", "HUB_UI_ORIGIN"}
# The providers' client secrets are oauth-service's alone: the others send Plaid calls through it
# and ask it to check Shopify's webhook signatures.
CLIENT_SECRETS_BEYOND_OAUTH = {
    "catalog-service": set(),
    "connection-service": set(),
    "sync-worker": set(),
    "webhook-service": set(),
}
PROVIDER_SECRET = "integration-hub-provider-secrets"
KUSTOMIZATION_FIELDS = {
    "apiVersion", "kind", "metadata", "resources", "namespace", "namePrefix", "nameSuffix", "labels",
    "commonLabels", "commonAnnotations", "images", "replicas", "patches", "patchesStrategicMerge",
    "patchesJson6902", "configMapGenerator", "secretGenerator", "generatorOptions", "components",
    "crds", "transformers", "generators", "validators", "buildMetadata", "openapi", "configurations",
    "vars", "replacements", "helmCharts", "helmGlobals", "sortOptions",
}

errors = []


def error(msg):
    errors.append(msg)


def load_yaml_docs(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def schema_errors(resource, versions):
    """Schema problems of one resource, as strings (empty when valid for every version)."""
    problems = []
    if not isinstance(resource, dict) or "kind" not in resource or "apiVersion" not in resource:
        return ["not a Kubernetes object (needs apiVersion and kind)"]
    for version in versions:
        try:
            kv.validate(resource, version, strict=True)
        except kv.ValidationError as e:
            path = ".".join(str(p) for p in e.path) or "(root)"
            problems.append(f"k8s {version}: {path}: {e.message}")
        except kv.SchemaNotFoundError:
            problems.append(f"k8s {version}: no schema for kind {resource['kind']} in {resource['apiVersion']}")
    return problems


def name_of(res):
    return f"{res.get('kind')}/{(res.get('metadata') or {}).get('name')}"


def check_pod_spec(where, pod, needs_probes, port=None):
    psc = pod.get("securityContext") or {}
    if pod.get("automountServiceAccountToken") is not False:
        error(f"{where}: set automountServiceAccountToken: false")
    for c in pod.get("containers") or []:
        cw = f"{where} container {c.get('name')}"
        sc = c.get("securityContext") or {}
        if not (sc.get("runAsNonRoot") or psc.get("runAsNonRoot")):
            error(f"{cw}: runAsNonRoot must be true")
        if sc.get("readOnlyRootFilesystem") is not True:
            error(f"{cw}: readOnlyRootFilesystem must be true")
        if sc.get("allowPrivilegeEscalation") is not False:
            error(f"{cw}: allowPrivilegeEscalation must be false")
        res = c.get("resources") or {}
        for kind in ("requests", "limits"):
            for r in ("cpu", "memory"):
                if r not in (res.get(kind) or {}):
                    error(f"{cw}: resources.{kind}.{r} missing")
        refs = {"configMapRef": set(), "secretRef": set()}
        for e in c.get("envFrom") or []:
            for k in ("configMapRef", "secretRef"):
                if k in e:
                    refs[k].add((e[k] or {}).get("name"))
        if "integration-hub-config" not in refs["configMapRef"] or "integration-hub-secrets" not in refs["secretRef"]:
            error(f"{cw}: envFrom must reference ConfigMap integration-hub-config and Secret integration-hub-secrets")
        # The providers' client secrets: all of them in oauth-service, a named few elsewhere.
        service = c.get("name")
        if PROVIDER_SECRET in refs["secretRef"] and service != "oauth-service":
            error(f"{cw}: only oauth-service may read every key of Secret {PROVIDER_SECRET}")
        if service == "oauth-service" and needs_probes and PROVIDER_SECRET not in refs["secretRef"]:
            error(f"{cw}: oauth-service must read Secret {PROVIDER_SECRET} (the providers' client secrets)")
        named = {e.get("name") for e in c.get("env") or [] if str(e.get("name", "")).endswith("_CLIENT_SECRET")}
        extra = named - CLIENT_SECRETS_BEYOND_OAUTH.get(service, named)
        if extra:
            error(f"{cw}: reads {sorted(extra)}: client secrets belong to oauth-service")
        if needs_probes:
            for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
                got = ((c.get(probe) or {}).get("httpGet") or {}).get("path")
                if got != path:
                    error(f"{cw}: {probe} must GET {path} (has {got})")
            ports = {p.get("name"): p.get("containerPort") for p in c.get("ports") or []}
            env = {e.get("name"): e.get("value") for e in c.get("env") or []}
            if ports.get("http") != port or env.get("HUB_PORT") != str(port):
                error(f"{cw}: needs containerPort 'http' {port} and HUB_PORT={port}")


def check_manifests(deploy_dir, versions):
    files = sorted(f for f in os.listdir(deploy_dir) if f.endswith((".yaml", ".yml")))
    resources = []  # (file, resource)
    for f in files:
        path = os.path.join(deploy_dir, f)
        try:
            docs = load_yaml_docs(path)
        except yaml.YAMLError as e:
            error(f"{f}: not valid YAML: {e}")
            continue
        if f.startswith("kustomization."):
            for d in docs:
                unknown = set(d) - KUSTOMIZATION_FIELDS
                if unknown:
                    error(f"{f}: unknown Kustomization fields {sorted(unknown)}")
                listed = set(d.get("resources") or [])
                for r in sorted(listed):
                    if not os.path.exists(os.path.join(deploy_dir, r)):
                        error(f"{f}: lists {r}, which does not exist")
                expected = {x for x in files if not x.startswith("kustomization.") and ".example." not in x}
                for r in sorted(expected - listed):
                    error(f"{f}: does not list {r}")
            continue
        for d in docs:
            for p in schema_errors(d, versions):
                error(f"{f}: {name_of(d) if isinstance(d, dict) else '?'}: {p}")
            if isinstance(d, dict):
                resources.append((f, d))
    print(f"    schemas: {len(resources)} objects in {len(files)} files, strict, Kubernetes {', '.join(versions)}")

    by_kind = {}
    for f, r in resources:
        by_kind.setdefault(r.get("kind"), {})[(r.get("metadata") or {}).get("name")] = r

    deployments = by_kind.get("Deployment", {})
    for svc, port in SERVICES.items():
        d = deployments.get(svc)
        if d is None:
            error(f"no Deployment {svc}")
            continue
        spec = d["spec"]
        want = 3 if svc == "sync-worker" else 2
        if spec.get("replicas") != want:
            error(f"Deployment/{svc}: replicas {spec.get('replicas')}, expected {want}")
        check_pod_spec(f"Deployment/{svc}", spec["template"]["spec"], True, port)
        labels = spec["template"]["metadata"].get("labels") or {}
        s = by_kind.get("Service", {}).get(svc)
        if s is None:
            error(f"no Service {svc}")
        else:
            sel = s["spec"].get("selector") or {}
            if not sel or any(labels.get(k) != v for k, v in sel.items()):
                error(f"Service/{svc}: selector {sel} does not match the Deployment's pod labels")
            if [p.get("port") for p in s["spec"].get("ports") or []] != [port]:
                error(f"Service/{svc}: must expose port {port}")
    if "sync-worker" not in by_kind.get("PodDisruptionBudget", {}):
        error("no PodDisruptionBudget for sync-worker")

    jobs = [j for j in by_kind.get("Job", {}).values()
            if "migrate" in " ".join(j["spec"]["template"]["spec"]["containers"][0].get("command") or [])]
    if not jobs:
        error("no Job running `hubctl migrate`")
    for j in jobs:
        check_pod_spec(name_of(j), j["spec"]["template"]["spec"], False)

    cm = by_kind.get("ConfigMap", {}).get("integration-hub-config")
    secret = by_kind.get("Secret", {}).get("integration-hub-secrets")
    if cm is None:
        error("no ConfigMap integration-hub-config")
    if secret is None:
        error("no Secret integration-hub-secrets (secret.example.yaml documents its keys)")
    if cm is not None and secret is not None:
        keys = set(cm.get("data") or {}) | set(secret.get("stringData") or {}) | set(secret.get("data") or {})
        missing = (REQUIRED_ENV | CONFIG_ENV) - keys
        if missing:
            error(f"ConfigMap + Secret lack {sorted(missing)}")
        if not keys & JWT_ENV:
            error(f"ConfigMap + Secret lack any of {sorted(JWT_ENV)}")
        for k, v in (cm.get("data") or {}).items():
            if k.startswith("HUB_SERVICE_URL_"):
                svc = k[len("HUB_SERVICE_URL_"):].lower() + "-service"
                if v != f"http://{svc}:{SERVICES.get(svc)}":
                    error(f"ConfigMap: {k}={v}, expected http://{svc}:{SERVICES.get(svc)}")
        for k in ("DATABASE_URL", "REDIS_URL", "HUB_INTERNAL_TOKEN", "HUB_VAULT_KEYS", "HUB_JWT_HS256_SECRET"):
            if k in (cm.get("data") or {}):
                error(f"ConfigMap holds {k}: secrets belong in the Secret")
        for k in sorted(keys):
            if k.endswith("_CLIENT_SECRET"):
                error(f"{k} is in the ConfigMap or the shared Secret: client secrets belong in {PROVIDER_SECRET}")


def check_compose(config_file):
    with open(config_file) as f:
        config = yaml.safe_load(f)
    services = config.get("services") or {}
    for name in ["postgres", "redis", "migrate", *SERVICES]:
        if name not in services:
            error(f"compose: no service {name}")
    for name in ("postgres", "redis"):
        if "healthcheck" not in (services.get(name) or {}):
            error(f"compose: {name} needs a healthcheck")
        if (services.get(name) or {}).get("ports"):
            error(f"compose: {name} must not publish ports")
    migrate = services.get("migrate") or {}
    if "migrate" not in " ".join(migrate.get("command") or []):
        error("compose: the migrate service must run `hubctl migrate`")
    for svc, port in SERVICES.items():
        s = services.get(svc)
        if s is None:
            continue
        test = " ".join((s.get("healthcheck") or {}).get("test") or [])
        if f":{port}/readyz" not in test:
            error(f"compose: {svc} healthcheck must GET /readyz on {port}")
        dep = s.get("depends_on") or {}
        conds = {k: (v or {}).get("condition") for k, v in dep.items()} if isinstance(dep, dict) else {}
        if conds.get("postgres") != "service_healthy" or conds.get("redis") != "service_healthy" \
                or conds.get("migrate") != "service_completed_successfully":
            error(f"compose: {svc} depends_on must wait for healthy postgres/redis and a completed migrate (has {conds})")
        env = s.get("environment") or {}
        missing = (REQUIRED_ENV | CONFIG_ENV | JWT_ENV | {"HUB_PORT"}) - set(env)
        if missing:
            error(f"compose: {svc} environment lacks {sorted(missing)}")
        if str(env.get("HUB_PORT")) != str(port):
            error(f"compose: {svc} HUB_PORT must be {port}")
        if s.get("ports"):
            error(f"compose: {svc} must not publish ports: the front door is the one address")
        if s.get("user") == "root":
            error(f"compose: {svc} must not run as root")
        # check-deploy renders with every client secret set: each must land where it is read.
        secrets = {k for k in env if k.endswith("_CLIENT_SECRET")}
        if svc == "oauth-service":
            if "HUB_PROVIDER_QUICKBOOKS_CLIENT_SECRET" not in secrets:
                error("compose: oauth-service must be given the providers' client secrets")
        elif secrets - CLIENT_SECRETS_BEYOND_OAUTH.get(svc, set()):
            error(f"compose: {svc} is given {sorted(secrets - CLIENT_SECRETS_BEYOND_OAUTH.get(svc, set()))}: client secrets belong to oauth-service")
    replicas = ((services.get("sync-worker") or {}).get("deploy") or {}).get("replicas") \
        or (services.get("sync-worker") or {}).get("scale")
    if not replicas or int(replicas) < 2:
        error("compose: sync-worker should run several replicas")
    front = services.get("front-door")
    if front is None:
        error("compose: no front-door service")
    else:
        if not front.get("ports"):
            error("compose: the front door must publish its port")
        # docker-compose config writes a mount as SOURCE:TARGET:MODE with the source made absolute.
        mounts = [v.get("source", "") if isinstance(v, dict) else str(v).split(":")[0] for v in front.get("volumes") or []]
        if not any(m.endswith("deploy/front-door/nginx.conf") for m in mounts):
            error(f"compose: the front door must mount deploy/front-door/nginx.conf (has {mounts})")
        waits = set((front.get("depends_on") or {}).keys())
        if not HTTP_SERVICES <= waits:
            error(f"compose: the front door must wait for {sorted(HTTP_SERVICES - waits)}")
    print(f"    compose: {len(services)} services checked against the topology")


def check_front_door(deploy_dir):
    """The committed nginx.conf and Ingress are what deploy/front-door/routes renders, and every
    service the table names exists."""
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "front_door.py")
    for mode, path in (("compose", os.path.join(deploy_dir, "front-door", "nginx.conf")),
                       ("ingress", os.path.join(deploy_dir, "ingress.yaml"))):
        rendered = subprocess.run([sys.executable, script, mode], check=True, capture_output=True, text=True).stdout
        with open(path) as f:
            if f.read() != rendered:
                error(f"{path} is not what deploy/front-door/routes renders: python3 scripts/front_door.py {mode} > {path}")
    ingress = next((d for d in load_yaml_docs(os.path.join(deploy_dir, "ingress.yaml")) if d.get("kind") == "Ingress"), None)
    backends = {p["backend"]["service"]["name"] for rule in (ingress or {}).get("spec", {}).get("rules", [])
                for p in rule["http"]["paths"]}
    unknown = backends - HTTP_SERVICES
    if unknown:
        error(f"Ingress: routes to services that do not exist: {sorted(unknown)}")
    if not HTTP_SERVICES <= backends:
        error(f"Ingress: no route to {sorted(HTTP_SERVICES - backends)}")
    print(f"    front door: nginx.conf and the Ingress match the route table ({len(backends)} services)")


def self_test(deploy_dir, versions):
    """The schema check must reject a misspelled field, an unknown kind and a wrong type."""
    path = os.path.join(deploy_dir, "sync-worker.yaml")
    deployment = next(d for d in load_yaml_docs(path) if d.get("kind") == "Deployment")
    if schema_errors(deployment, versions):
        error("self-test: the pristine Deployment should validate")
    typo = copy.deepcopy(deployment)
    c = typo["spec"]["template"]["spec"]["containers"][0]
    c["readinesProbe"] = c.pop("readinessProbe")
    kind = copy.deepcopy(deployment)
    kind["kind"] = "Deploymnet"
    wrong_type = copy.deepcopy(deployment)
    wrong_type["spec"]["replicas"] = "three"
    for label, broken in (("misspelled field", typo), ("unknown kind", kind), ("wrong type", wrong_type)):
        problems = schema_errors(broken, versions)
        if not problems:
            error(f"self-test: a manifest with a {label} passed the schema check")
        else:
            print(f"    self-test: {label} rejected ({problems[0][:90]})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--deploy-dir", required=True)
    ap.add_argument("--compose-config", help="output of `docker-compose config`")
    ap.add_argument("--k8s-versions", default="1.30.0," + kv.latest_version())
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args()
    versions = [v for v in args.k8s_versions.split(",") if v]
    check_manifests(args.deploy_dir, versions)
    check_front_door(args.deploy_dir)
    if args.compose_config:
        check_compose(args.compose_config)
    if args.self_test:
        self_test(args.deploy_dir, versions)
    for e in errors:
        print(f"ERROR {e}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
