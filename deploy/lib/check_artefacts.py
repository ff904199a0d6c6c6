"""Static checks of what an operator deploys (deploy/check-artefacts.sh runs it
with the project venv's Python, which has PyYAML). Prints one line per
artefact group and every failed check; exits 1 if any failed."""

import json
import os
import re
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import yaml

repo = Path(__file__).resolve().parents[2]
deploy = repo / "deploy"
failures: list[str] = []
counts: dict[str, int] = {}


def check(group: str, ok: object, what: str) -> bool:
    counts[group] = counts.get(group, 0) + 1
    if not ok:
        failures.append(f"{group}: {what}")
    return bool(ok)


def dig(obj, *path, default=None):
    for key in path:
        if isinstance(obj, dict) and key in obj:
            obj = obj[key]
        elif isinstance(obj, list) and isinstance(key, int) and key < len(obj):
            obj = obj[key]
        else:
            return default
    return obj


def subset(labels: dict, of: dict) -> bool:
    return bool(labels) and all(of.get(k) == v for k, v in labels.items())


SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|PRIVATE_KEY|API_KEY", re.I)


# ── Kubernetes ──────────────────────────────────────────────────────────────
def kubernetes() -> None:
    g = "kubernetes"
    folder = deploy / "kubernetes"
    docs: dict[str, list[dict]] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            docs[path.name] = [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
            check(g, True, f"{path.name} parses")
        except yaml.YAMLError as error:
            check(g, False, f"{path.name} does not parse: {error}")
            return
    kustomization = docs.pop("kustomization.yaml", [{}])[0]
    listed = kustomization.get("resources", [])
    check(g, sorted(listed) == sorted(docs), f"kustomization lists exactly the manifests: {sorted(listed)} vs {sorted(docs)}")
    objects = [d for ds in docs.values() for d in ds]
    for o in objects:
        check(g, o.get("apiVersion") and o.get("kind") and dig(o, "metadata", "name"), f"apiVersion, kind and name in {o}")
    by_kind: dict[str, list[dict]] = {}
    for o in objects:
        by_kind.setdefault(o["kind"], []).append(o)

    # No secret values in git: no Secret objects, no literal secret env values.
    check(g, "Secret" not in by_kind, "no Secret manifests (kubectl create secret, see kustomization.yaml)")
    text = "\n".join(p.read_text() for p in folder.glob("*.yaml"))
    check(g, "-----BEGIN" not in text, "no keys or certificates in the manifests")

    config = (by_kind.get("ConfigMap") or [{}])[0]
    data = config.get("data", {})
    check(g, not [k for k in data if SECRET_NAME.search(k)], "the ConfigMap holds no secret-named keys")
    check(g, str(data.get("VARDE_OIDC_ISSUER", "")).startswith("https://"), "VARDE_OIDC_ISSUER is https")
    check(g, data.get("LOG_FORMAT") == "json", "LOG_FORMAT=json")
    check(g, data.get("VARDE_HOST") == "0.0.0.0" and data.get("VARDE_METRICS_HOST") == "0.0.0.0", "listens on 0.0.0.0 in the pod")
    check(g, data.get("VARDE_METRICS_PORT") == "9090", "metrics on 9090")
    drain = int(data.get("VARDE_DRAIN_TIMEOUT", 10))

    def pod_checks(what: str, pod: dict, role: str, secret_required: bool = True) -> dict:
        spec = pod.get("spec", {})
        check(g, dig(spec, "securityContext", "runAsNonRoot") is True, f"{what}: pod runAsNonRoot")
        check(g, dig(spec, "securityContext", "seccompProfile", "type") == "RuntimeDefault", f"{what}: seccomp RuntimeDefault")
        check(g, dig(spec, "securityContext", "runAsUser") not in (0, "0"), f"{what}: not UID 0")
        check(g, spec.get("automountServiceAccountToken") is False, f"{what}: no service account token")
        containers = spec.get("containers", [])
        check(g, len(containers) == 1, f"{what}: one container")
        c = containers[0] if containers else {}
        sc = c.get("securityContext", {})
        check(g, sc.get("readOnlyRootFilesystem") is True, f"{what}: readOnlyRootFilesystem")
        check(g, sc.get("allowPrivilegeEscalation") is False, f"{what}: allowPrivilegeEscalation false")
        check(g, dig(sc, "capabilities", "drop") == ["ALL"], f"{what}: drops ALL capabilities")
        check(g, sc.get("privileged") in (None, False), f"{what}: not privileged")
        for kind in ("requests", "limits"):
            res = dig(c, "resources", kind, default={})
            check(g, "cpu" in res and "memory" in res, f"{what}: resources.{kind} cpu and memory")
        env = {e["name"]: e for e in c.get("env", [])}
        check(g, dig(env, "PGUSER", "value") == role, f"{what}: connects as {role}")
        for name, e in env.items():
            if SECRET_NAME.search(name):
                check(g, "value" not in e and dig(e, "valueFrom", "secretKeyRef", "name"), f"{what}: {name} from a Secret, no literal")
        if secret_required:
            check(g, dig(env, "PGPASSWORD", "valueFrom", "secretKeyRef", "name"), f"{what}: PGPASSWORD from a Secret")
        refs = [dig(e, "configMapRef", "name") for e in c.get("envFrom", [])]
        check(g, dig(config, "metadata", "name") in refs, f"{what}: environment from the ConfigMap")
        mounts = {m["mountPath"] for m in c.get("volumeMounts", [])}
        check(g, "/tmp" in mounts, f"{what}: a writable /tmp beside the read-only root")
        return c

    deployment = (by_kind.get("Deployment") or [{}])[0]
    pod = dig(deployment, "spec", "template", default={})
    check(g, dig(deployment, "spec", "replicas", default=0) >= 2, "Deployment: 2 replicas or more")
    pod_labels = dig(pod, "metadata", "labels", default={})
    check(g, subset(dig(deployment, "spec", "selector", "matchLabels", default={}), pod_labels), "Deployment: selector matches its pods")
    c = pod_checks("Deployment", pod, "varde_runtime")
    check(g, c.get("args", ["serve"])[0] == "serve", "Deployment: runs `varde serve`")
    ports = {p.get("name"): p.get("containerPort") for p in c.get("ports", [])}
    check(g, ports.get("http") == 8080 and ports.get("metrics") == 9090, "Deployment: ports http 8080, metrics 9090")
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz"), ("startupProbe", "/healthz")):
        check(g, dig(c, probe, "httpGet", "path") == path, f"Deployment: {probe} GET {path}")
        check(g, dig(c, probe, "httpGet", "port") in ("http", 8080), f"Deployment: {probe} on the http port")
    grace = dig(pod, "spec", "terminationGracePeriodSeconds", default=30)
    pre_stop = dig(c, "lifecycle", "preStop", "exec", "command", default=[])
    sleep = int(pre_stop[1]) if pre_stop[:1] == ["sleep"] else 0
    check(g, grace > sleep + drain, f"Deployment: grace {grace} s > preStop {sleep} s + drain {drain} s")
    annotations = dig(pod, "metadata", "annotations", default={})

    job = (by_kind.get("Job") or [{}])[0]
    jc = pod_checks("migrate Job", dig(job, "spec", "template", default={}), "varde_owner")
    check(g, jc.get("args") == ["migrate"], "migrate Job: runs `varde migrate`")
    check(g, dig(job, "spec", "template", "spec", "restartPolicy") in ("Never", "OnFailure"), "migrate Job: restartPolicy")
    check(g, dig(jc, "image") == c.get("image"), "migrate Job: the server's image")

    services = by_kind.get("Service", [])
    http = [s for s in services if any(p.get("targetPort") in ("http", 8080) for p in dig(s, "spec", "ports", default=[]))]
    metrics = [s for s in services if any(p.get("targetPort") in ("metrics", 9090) for p in dig(s, "spec", "ports", default=[]))]
    check(g, http, "a Service for the http port")
    check(g, metrics or annotations.get("prometheus.io/port") == "9090", "a metrics Service or scrape annotations")
    for s in services:
        check(g, subset(dig(s, "spec", "selector", default={}), pod_labels), f"Service {s['metadata']['name']} selects the server pods")
    check(g, not [s for s in http if s in metrics], "metrics and API are not in one Service")

    pdb = (by_kind.get("PodDisruptionBudget") or [{}])[0]
    check(g, dig(pdb, "spec", "minAvailable") == 1, "PodDisruptionBudget minAvailable 1")
    check(g, subset(dig(pdb, "spec", "selector", "matchLabels", default={}), pod_labels), "PodDisruptionBudget selects the server pods")

    policies = by_kind.get("NetworkPolicy", [])
    server = [p for p in policies if subset(dig(p, "spec", "podSelector", "matchLabels", default={}), pod_labels)]
    job_labels = dig(job, "spec", "template", "metadata", "labels", default={})
    migrate = [p for p in policies if subset(dig(p, "spec", "podSelector", "matchLabels", default={}), job_labels)]
    check(g, len(server) == 1 and len(migrate) == 1, "a NetworkPolicy for the server and one for the migrate Job")
    for name, ps, allowed_out in (("server", server, {5432, 53, 443}), ("migrate", migrate, {5432, 53})):
        p = ps[0] if ps else {}
        check(g, sorted(dig(p, "spec", "policyTypes", default=[])) == ["Egress", "Ingress"], f"NetworkPolicy {name}: ingress and egress")
        out = {port.get("port") for rule in dig(p, "spec", "egress", default=[]) for port in rule.get("ports", [])}
        check(g, out == allowed_out, f"NetworkPolicy {name}: egress only to ports {sorted(allowed_out)} (has {sorted(out)})")
        for rule in dig(p, "spec", "egress", default=[]):
            check(g, rule.get("ports") and rule.get("to"), f"NetworkPolicy {name}: every egress rule names ports and peers")
    p = server[0] if server else {}
    inbound = {}
    for rule in dig(p, "spec", "ingress", default=[]):
        namespaces = [dig(f, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name") for f in rule.get("from", [])]
        for port in rule.get("ports", []):
            inbound[port.get("port")] = namespaces
    check(g, set(inbound) == {8080, 9090}, f"NetworkPolicy server: ingress only on 8080 and 9090 (has {sorted(inbound)})")
    check(g, len(inbound.get(8080, [])) == 1 and None not in inbound.get(8080, [None]), "NetworkPolicy server: 8080 from one namespace")
    check(g, len(inbound.get(9090, [])) == 1 and None not in inbound.get(9090, [None]), "NetworkPolicy server: 9090 from one namespace")
    check(g, inbound.get(8080) != inbound.get(9090), "NetworkPolicy server: API and metrics from different namespaces")
    check(g, dig(migrate[0] if migrate else {}, "spec", "ingress") in (None, []), "NetworkPolicy migrate: no ingress")

    ingress = (by_kind.get("Ingress") or [{}])[0]
    check(g, dig(ingress, "spec", "tls", 0, "secretName"), "Ingress: TLS with a certificate Secret")
    backends = [dig(path, "backend", "service", "name") for r in dig(ingress, "spec", "rules", default=[])
                for path in dig(r, "http", "paths", default=[])]
    check(g, backends and set(backends) <= {s["metadata"]["name"] for s in http}, "Ingress: routes to the API Service only")
    ns = (by_kind.get("Namespace") or [{}])[0]
    check(g, dig(ns, "metadata", "labels", "pod-security.kubernetes.io/enforce") == "restricted", "Namespace: restricted Pod Security")


# ── compose ─────────────────────────────────────────────────────────────────
PASSWORD_REF = re.compile(r"^\$\{([A-Z_]+PASSWORD):\?[^}]*\}$")


def compose() -> None:
    g = "compose"
    path = deploy / "compose.yaml"
    try:
        doc = yaml.safe_load(path.read_text())
    except yaml.YAMLError as error:
        check(g, False, f"compose.yaml does not parse: {error}")
        return
    services = doc.get("services", {})
    check(g, {"postgres", "db-init", "migrate", "varde"} <= set(services), f"services postgres, db-init, migrate, varde ({sorted(services)})")
    for name in ("postgres", "varde"):
        check(g, dig(services, name, "healthcheck", "test"), f"{name} has a healthcheck")
    check(g, dig(services, "postgres", "image", default="").split(":")[-1].startswith("15"), "PostgreSQL 15")
    chain = {"db-init": ("postgres", "service_healthy"), "migrate": ("db-init", "service_completed_successfully"),
             "varde": ("migrate", "service_completed_successfully")}
    for name, (before, condition) in chain.items():
        check(g, dig(services, name, "depends_on", before, "condition") == condition, f"{name} waits for {before} ({condition})")
    env = {name: dig(s, "environment", default={}) for name, s in services.items()}
    check(g, dig(env, "migrate", "PGUSER") == "varde_owner", "migrate connects as varde_owner")
    check(g, dig(env, "varde", "PGUSER") == "varde_runtime", "varde connects as varde_runtime")
    # Every password is a variable the operator must set (no default), one per role.
    by_user = {}
    for name, e in env.items():
        for key, value in e.items():
            if "PASSWORD" in key:
                m = PASSWORD_REF.match(str(value))
                check(g, m, f"{name}.{key} is a required variable without default (is {value!r})")
                if m and key == "PGPASSWORD":
                    by_user.setdefault(m.group(1), set()).add(e.get("PGUSER"))
    check(g, all(len(users) == 1 for users in by_user.values()), f"no password shared between roles: {by_user}")
    ports = dig(services, "varde", "ports", default=[])
    check(g, ports and all(str(p).startswith("127.0.0.1:") for p in ports), "varde's ports only on 127.0.0.1")
    command = dig(services, "varde", "command", default=[])
    if "--dev-auth" in command:
        check(g, "EVALUATION ONLY" in path.read_text().split("services:")[0], "--dev-auth is marked EVALUATION ONLY at the top")
    check(g, dig(services, "varde", "read_only") is True, "varde's root file system is read-only")
    check(g, "ALL" in dig(services, "varde", "cap_drop", default=[]), "varde drops all capabilities")


# ── Containerfile ───────────────────────────────────────────────────────────
def instructions(text: str) -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n", " ", "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")))
    out = []
    for line in joined.splitlines():
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def containerfile() -> None:
    g = "container"
    text = (deploy / "container" / "Containerfile").read_text()
    ins = instructions(text)
    stages: list[list[tuple[str, str]]] = []
    for word, rest in ins:
        if word == "FROM":
            stages.append([])
        if stages:
            stages[-1].append((word, rest))
    check(g, len(stages) >= 2, f"multi-stage ({len(stages)} stages)")
    args = {m.group(1): m.group(2) for w, r in ins if w == "ARG" for m in [re.match(r"(\w+)=(\S+)", r)] if m}

    def image(stage):
        return re.sub(r"\$\{(\w+)\}", lambda m: args.get(m.group(1), ""), stage[0][1].split()[0])

    build, runtime = stages[0], stages[-1]
    check(g, re.search(r"swift:6\.\d", image(build)), f"build stage on a Swift 6 image ({image(build)})")
    build_text = " ".join(r for _, r in build)
    check(g, re.search(r"swift build -c release --static-swift-stdlib --product varde", build_text), "release build, static Swift stdlib")
    check(g, "libpq-dev" in build_text and "pkg-config" in build_text, "build stage installs libpq-dev and pkg-config")
    check(g, re.search(r"\*\.resources", build_text), "build stage takes every *.resources bundle")
    check(g, "bookworm-slim" in image(runtime), f"runtime on debian:bookworm-slim ({image(runtime)})")
    installs = [seg.split("install", 1)[1] for w, r in runtime if w == "RUN" for seg in r.split("&&") if "apt-get install" in seg]
    packages = {word for seg in installs for word in seg.split() if not word.startswith("-")}
    check(g, "libpq5" in packages, "runtime installs libpq5")
    check(g, not [p for p in packages if p.endswith("-dev")], f"no -dev package in the runtime ({sorted(packages)})")
    check(g, "curl" not in packages, "no curl in the runtime (the health check uses bash)")
    copies = [r for w, r in runtime if w == "COPY"]
    check(g, any(re.match(r"(--\S+ )*sql/? ", c) for c in copies), "COPY sql/ into the image")
    check(g, any("--from=" in c and "/out/bin" in c for c in copies), "COPY the binary and its bundles from the build stage")
    users = [r for w, r in runtime if w == "USER"]
    user = users[-1].split(":")[0] if users else "root"
    check(g, user.isdigit() and int(user) != 0, f"runs as a numeric non-root UID (USER {users})")
    check(g, users and users[-1].endswith(":0"), "group 0, for OpenShift's arbitrary UIDs")
    words = {w: r for w, r in runtime}
    check(g, set(words.get("EXPOSE", "").split()) == {"8080", "9090"}, "EXPOSE 8080 9090")
    check(g, json.loads(words.get("ENTRYPOINT", "null") or "null") == ["varde"], 'ENTRYPOINT ["varde"]')
    check(g, json.loads(words.get("CMD", "null") or "null") == ["serve"], 'CMD ["serve"]')
    check(g, words.get("STOPSIGNAL") == "SIGTERM", "STOPSIGNAL SIGTERM")
    check(g, "HEALTHCHECK" in words, "HEALTHCHECK")
    env = words.get("ENV", "")
    check(g, "VARDE_HOST=0.0.0.0" in env and "VARDE_SQL_DIR=" in env, "listens on 0.0.0.0; VARDE_SQL_DIR set")
    ignore = (repo / ".dockerignore").read_text().split()
    check(g, {".git", ".build", ".varde"} <= set(ignore), ".dockerignore at the context root keeps .git, .build, .varde out")
    check(g, not {"Sources", "sql", "Package.swift", "Tests"} & set(ignore), ".dockerignore keeps what the build copies")
    health = re.search(r"CMD (\[.*\])", words.get("HEALTHCHECK", ""))
    if check(g, health, "HEALTHCHECK in exec form"):
        health_command("container", json.loads(health.group(1)), "/healthz")
    compose_test = dig(yaml.safe_load((deploy / "compose.yaml").read_text()), "services", "varde", "healthcheck", "test")
    if compose_test and compose_test[0] == "CMD":
        health_command("compose", [a.replace("$$", "$") for a in compose_test[1:]], "/readyz")


def health_command(g: str, argv: list[str], path: str) -> None:
    """Runs a health check against a stand-in server: passes on 200, fails on 503."""
    status = {"code": 200}
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            seen.append(self.path)
            self.send_response(status["code"])
            self.end_headers()

        def log_message(self, *_):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    argv = [a.replace("127.0.0.1/8080", f"127.0.0.1/{port}") for a in argv]
    environment = dict(os.environ, VARDE_PORT=str(port))
    try:
        healthy = subprocess.run(argv, env=environment, timeout=5, capture_output=True).returncode
        status["code"] = 503
        unhealthy = subprocess.run(argv, env=environment, timeout=5, capture_output=True).returncode
    finally:
        server.shutdown()
    check(g, healthy == 0 and seen[:1] == [path], f"health check passes on 200 from {path} (exit {healthy}, asked {seen})")
    check(g, unhealthy != 0, "health check fails on 503")


# ── systemd (the settings; systemd-analyze runs in the shell script) ─────────
def unit(path: Path) -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in re.sub(r"\\\n", " ", path.read_text()).splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";", "[")) and "=" in line:
            key, _, value = line.partition("=")
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def systemd() -> None:
    g = "systemd"
    folder = deploy / "systemd"
    env = unit(folder / "varde.env")
    check(g, not [k for k in env if SECRET_NAME.search(k)], "varde.env holds no password (runtime.env and owner.env do)")
    drain = int(env.get("VARDE_DRAIN_TIMEOUT", ["10"])[-1])
    required = {
        "ProtectSystem": "strict", "ProtectHome": "yes", "NoNewPrivileges": "yes", "PrivateTmp": "yes",
        "PrivateDevices": "yes", "RestrictAddressFamilies": "AF_UNIX AF_INET AF_INET6", "CapabilityBoundingSet": "",
        "MemoryDenyWriteExecute": "yes", "LockPersonality": "yes", "RestrictNamespaces": "yes",
        "ProtectKernelTunables": "yes", "ProtectKernelModules": "yes", "ProtectKernelLogs": "yes",
        "ProtectControlGroups": "yes", "DynamicUser": "yes",
    }
    for name, role in (("varde.service", "varde_runtime"), ("varde-migrate.service", "varde_owner")):
        s = unit(folder / name)
        for key, value in required.items():
            check(g, s.get(key, [None])[-1] == value, f"{name}: {key}={value}")
        check(g, "@system-service" in s.get("SystemCallFilter", []), f"{name}: SystemCallFilter=@system-service")
        check(g, f"PGUSER={role}" in s.get("Environment", []), f"{name}: connects as {role}")
        check(g, "/etc/varde/varde.env" in s.get("EnvironmentFile", []), f"{name}: reads /etc/varde/varde.env")
        check(g, not [e for e in s.get("Environment", []) if SECRET_NAME.search(e.split("=")[0])], f"{name}: no secret in Environment=")
    server = unit(folder / "varde.service")
    stop = int(re.sub(r"s$", "", server.get("TimeoutStopSec", ["90"])[-1]))
    check(g, stop > drain, f"varde.service: TimeoutStopSec {stop} s > drain {drain} s")
    check(g, server.get("Restart", [""])[-1] == "on-failure", "varde.service: Restart=on-failure")
    check(g, server.get("ExecStart", [""])[0].endswith("varde serve"), "varde.service: varde serve")
    migrate = unit(folder / "varde-migrate.service")
    check(g, migrate.get("Type", [""])[-1] == "oneshot", "varde-migrate.service: Type=oneshot")
    check(g, migrate.get("ExecStart", [""])[0].endswith("varde migrate"), "varde-migrate.service: varde migrate")


def no_literal_passwords() -> None:
    """No password, key or default credential in any production file."""
    g = "secrets"
    pattern = re.compile(r"(PGPASSWORD|PASSWORD|password)\s*[=:]\s*['\"]?(?!\$\{|['\"]?…|$)[^\s'\"#]{3,}", re.M)
    files = [*(deploy / "kubernetes").glob("*.yaml"), *(deploy / "systemd").glob("*"), deploy / "container" / "Containerfile"]
    for path in files:
        text = "\n".join(l for l in path.read_text().splitlines() if not l.lstrip().startswith("#"))
        hits = [m.group(0) for m in pattern.finditer(text)]
        check(g, not hits, f"{path.relative_to(repo)}: literal credentials {hits}")
        check(g, "-----BEGIN" not in text, f"{path.relative_to(repo)}: no key material")


kubernetes()
compose()
containerfile()
systemd()
no_literal_passwords()
for group, n in counts.items():
    bad = [f for f in failures if f.startswith(group + ":")]
    print(f"{group}: {n - len(bad)} of {n} checks passed")
for f in failures:
    print(f"FAILED {f}")
sys.exit(1 if failures else 0)
