#!/usr/bin/env python3
"""The driver of deploy/fault-test.sh (standard library only).

Given a migrated database in a throwaway cluster, it starts `varde serve`
(as varde_runtime, development sign-in) and sets up two kommune teams and a
sykehus team, a gateway serving the kommune teams, and patients with a bound
device each. Then gateway threads post batches of plausible readings, each
with its own id, while a nurse reads patient views and a probe polls
/readyz. A batch that gets no answer, a connection error, a timeout or any
5xx is sent again with the same ids and content until it is answered 200
(four gateways honour Retry-After, one retries every 0.2 s); the event id
acknowledged for each reading is kept.

The faults, mid-ingest: the server SIGKILLed and started again (same binary,
database and port), --kills times, the first the moment a gateway's backlog
(one batch of --backlog readings) is seen committed in the database, so that
its answer is lost for sure; then PostgreSQL stopped (immediate) the moment
another backlog is committed, held down --pg-down seconds and started again,
the server left alone (--no-pg-stop skips it); then the graceful drain
(--no-drain skips it): five nurses hold long polls (wait=30) on their teams'
feeds (two busy kommune feeds, the sykehus feed, a team without patients)
and poll again from `next` as soon as answered, a probe reads /readyz every
10 ms, a gateway on a bad link trickles a request body (--no-slow-client
skips it), and the server gets SIGTERM with ingest in flight and a backlog
just sent; another backlog goes 0.1 s before the HTTP server is due to stop
accepting. Once the process has ended the log is read, then the server is
started again and the gateways retry what went unanswered. Then the writers
stop and everything is checked; every violation is collected, and the exit
status is 1 when there is any:

- every 200: one result per reading, in order, `created` or `duplicate` with
  an event id (never `duplicate` for a batch never sent before, never
  `rejected` or `conflict`: every reading is valid);
- never a 5xx other than 503, never a request unanswered for --hang-timeout;
  a 503 to a gateway or a nurse carries Retry-After;
- while PostgreSQL is down: every request (ingest, nurse, /readyz) sent
  meanwhile, and every request in flight when it went, answered within
  --down-limit seconds, with 503 for those sent meanwhile; afterwards
  /readyz 200 and readings acknowledged again, by the same server process;
- the drain, with the delay and timeout the server reports (`varde serve
  --print-config`): /readyz 503 `draining` within --ready-limit of SIGTERM
  and never 200 again; every poll held at the signal answered 200 with a
  valid page within --poll-limit; every poll and every ingest request sent
  during the drain delay (less its last --drain-margin seconds) answered 200,
  polls within --ready-limit; ingest in flight at the signal answered 200;
  no request left hanging; the HTTP server not closed before the delay; the
  process ended by itself (waitpid) within the drain timeout with status 0;
  nothing at error or critical level (nor a crash) in its log after the
  signal; every reading acknowledged before the end in the log once, under
  its event id, before any restart; the trickled reading not stored;
- a sample of acknowledged batches sent again at the end: all `duplicate`
  with the same event ids;
- in the database: one ReadingRecorded event per acknowledged reading id,
  with the acknowledged event id and the content sent; no reading event
  nobody sent; once the projector caught up, one `readings` row per event;
  `varde verify` (as varde_owner) passing.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import select
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

T0 = time.monotonic()


def now() -> float:
    return time.monotonic() - T0


def say(message: str) -> None:
    print(f"fault-test: [{now():6.1f} s] {message}", file=sys.stderr, flush=True)


# ── Violations ────────────────────────────────────────────────────────────────

_violations: list[str] = []
_violations_lock = threading.Lock()


def violation(message: str) -> None:
    with _violations_lock:
        _violations.append(f"[{now():6.1f} s] {message}")
        if len(_violations) <= 40:
            say(f"VIOLATION: {message}")


# ── HTTP ──────────────────────────────────────────────────────────────────────


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


class Client:
    """One keep-alive connection, reopened after any failure."""

    def __init__(self, port: int, timeout: float):
        self.port, self.timeout = port, timeout
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: object | None = None, token: str | None = None) -> Answer:
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body, separators=(",", ":")).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            payload = response.read()
            answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, payload)
            if answer.headers.get("connection", "").lower() == "close":
                self.close()
            return answer
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except OSError:
                pass
            self.connection = None


def failure_kind(error: BaseException) -> str:
    if isinstance(error, ConnectionRefusedError):
        return "refused"
    if isinstance(error, (TimeoutError, socket.timeout)):
        return "timeout"
    return "reset"  # reset, broken pipe, remote disconnected, incomplete read


# ── What happened: every request, and the moments of the faults ───────────────


@dataclass
class Sample:
    what: str  # "ingest" or "readyz"
    writer: str
    start: float
    latency: float
    outcome: str  # an HTTP status ("200", "503", …) or refused/reset/timeout
    retry_after: str | None = None
    request_id: str | None = None

    @property
    def end(self) -> float:
        return self.start + self.latency


class Record:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: list[Sample] = []
        self.moments: dict[str, float] = {}
        self.in_flight = 0
        # (the fault, the backlog, seconds from sending to its commit, when the fault was started)
        self.backlogs: list[tuple[str, "Backlog", float | None, float]] = []
        # The drain phase's figures (see drain_phase), for the report.
        self.drain: dict[str, object] | None = None

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def mark(self, name: str) -> float:
        t = now()
        self.moments[name] = t
        return t

    def flight(self, delta: int) -> None:
        with self.lock:
            self.in_flight += delta


# ── Processes: the server and PostgreSQL ──────────────────────────────────────


class Server:
    def __init__(self, args: argparse.Namespace, port: int, env: dict[str, str]):
        self.args, self.port, self.env = args, port, env
        self.process: subprocess.Popen | None = None
        self.starts = 0
        self.log_path = os.path.join(args.work, "log", "server.log")

    def start(self) -> None:
        self.starts += 1
        log = open(self.log_path, "ab")
        stamp = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
        log.write(f"==== fault-test: server start #{self.starts} at {stamp}\n".encode())
        log.flush()
        self.process = subprocess.Popen(
            self.argv(),
            env=self.env | {"PGUSER": "varde_runtime"},
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        with open(os.path.join(self.args.work, "server.pid"), "w") as f:
            f.write(str(self.process.pid))

    def argv(self) -> list[str]:
        return [self.args.varde, "serve", "--dev-auth", "--port", str(self.port)]

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_ready(self, timeout: float) -> float | None:
        """Seconds until /readyz answered 200, or None."""
        start = time.monotonic()
        client = Client(self.port, 2)
        while time.monotonic() - start < timeout:
            try:
                if client.request("GET", "/readyz").status == 200:
                    return time.monotonic() - start
            except (OSError, http.client.HTTPException):
                pass
            finally:
                client.close()
            if not self.alive():
                return None
            time.sleep(0.05)
        return None

    def kill9(self) -> float:
        """SIGKILL; returns the seconds until the process was gone."""
        assert self.process is not None
        start = time.monotonic()
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        return time.monotonic() - start

    def stop(self) -> None:
        if not self.alive():
            return
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)


class Postgres:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.as_pg = ["runuser", "-u", args.pg_superuser, "--"] if os.geteuid() == 0 and args.pg_superuser != "root" else []

    def ctl(self, *words: str) -> None:
        subprocess.run(
            self.as_pg + [self.args.pg_ctl, "-D", self.args.pg_data, *words],
            check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def stop_immediate(self) -> None:
        self.ctl("-m", "immediate", "stop")

    def start(self) -> None:
        log = os.path.join(self.args.work, "log", "postgres.log")
        self.ctl("-l", log, "-o", f"-p {self.args.pg_port}", "-w", "-t", "60", "start")

    def psql(self, sql: str, user: str | None = None) -> list[str]:
        out = subprocess.run(
            ["psql", "-h", self.args.pg_host, "-p", str(self.args.pg_port), "-U", user or self.args.pg_superuser,
             "-d", "varde", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
            check=True, capture_output=True, text=True)
        return [line for line in out.stdout.splitlines() if line]

    def rows(self, sql: str) -> list[list]:
        """Rows of `SELECT json_build_array(…) FROM …`."""
        return [json.loads(line) for line in self.psql(sql)]

    def value(self, sql: str) -> str:
        lines = self.psql(sql)
        return lines[0] if lines else ""


# ── Setup: teams, the gateway, patients with devices ──────────────────────────


def synthetic_fnr(rng: random.Random) -> str:
    """A synthetic Test-Norge fødselsnummer (month + 80): valid, never a real person's."""
    w1 = [3, 7, 6, 1, 8, 9, 4, 5, 2]
    w2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]
    while True:
        digits = f"{rng.randint(1, 28):02d}{rng.randint(1, 12) + 80:02d}{rng.randint(30, 69):02d}{rng.randint(0, 499):03d}"
        d = [int(c) for c in digits]
        k1 = (11 - sum(a * b for a, b in zip(w1, d)) % 11) % 11
        if k1 == 10:
            continue
        k2 = (11 - sum(a * b for a, b in zip(w2, d + [k1])) % 11) % 11
        if k2 == 10:
            continue
        return digits + f"{k1}{k2}"


@dataclass
class Device:
    serial: str
    kind: str  # pulseOximeter, scale, bloodPressureMonitor, thermometer
    patient: str
    team: str
    baseline: dict[str, float]


PROGRAMS = [("kols", "pulseOximeter", "OX"), ("hjertesvikt", "scale", "SC"),
            ("hypertensjon", "bloodPressureMonitor", "BP"), ("kols", "pulseOximeter", "OX"),
            ("generell", "thermometer", "TH")]


def varde_cli(args: argparse.Namespace, env: dict[str, str], *words: str, user: str | None = None) -> str:
    run_env = env | ({"PGUSER": user} if user else {})
    out = subprocess.run([args.varde, *words], env=run_env, check=True, capture_output=True, text=True)
    return out.stdout


def setup(args: argparse.Namespace, port: int, env: dict[str, str],
          rng: random.Random) -> tuple[str, str, list[str], list[Device]]:
    """The gateway's id and key, the teams (the two kommune teams, then the
    sykehus team) and the devices."""
    client = Client(port, 10)

    def post(path: str, body: object, token: str, expect: int = 201) -> dict:
        answer = client.request("POST", path, body, token)
        if answer.status != expect:
            raise SystemExit(f"fault-test: setup: POST {path} answered {answer.status}: {answer.body[:300]!r}")
        return json.loads(answer.body)

    admin = varde_cli(args, env, "token", "issue", "--role", "admin", "--subject", "fault-admin").strip()
    kommuner = [("Oppfølgingstjenesten Trondheim", "5001"), ("Hjemmetjenesten Malvik", "5031")]
    teams = [post("/v1/teams", {"name": n, "kind": "kommune", "kommunenummer": k}, admin)["id"] for n, k in kommuner]
    sykehus = post("/v1/teams", {"name": "Lungepoliklinikken", "kind": "sykehus",
                                 "healthTrust": "St. Olavs hospital HF"}, admin)["id"]
    out = varde_cli(args, env, "gateway", "create", "--name", "Hub, fault test",
                    "--team", teams[0], "--team", teams[1], user="varde_operator").strip().splitlines()
    gateway_id = out[0].split()[1].lower()
    key = out[-1].strip()
    devices: list[Device] = []
    for t, (team, (_, kommunenummer)) in enumerate(zip(teams, kommuner)):
        clinician = varde_cli(args, env, "token", "issue", "--role", "clinician", "--team", team,
                              "--subject", f"fault-lege-{t + 1}").strip()
        for i in range(args.patients // 2):
            program, kind, prefix = PROGRAMS[(t * 7 + i) % len(PROGRAMS)]
            patient = post("/v1/patients", {"nationalId": synthetic_fnr(rng), "kommunenummer": kommunenummer,
                                            "program": program, "teams": {"kommune": team, "sykehus": sykehus}},
                           clinician)["id"]
            serial = f"{prefix}-{t + 1}{i + 1:03d}"
            post(f"/v1/patients/{patient}/devices", {"serial": serial, "kind": kind}, clinician)
            baseline = {"spo2": rng.randint(89, 97), "pulse": rng.randint(58, 92), "weight": round(rng.uniform(55, 115), 1),
                        "systolic": rng.randint(118, 165), "diastolic": rng.randint(68, 94),
                        "temperature": round(rng.uniform(36.3, 37.2), 1)}
            devices.append(Device(serial, kind, patient, team, baseline))
    client.close()
    return gateway_id, key, teams + [sykehus], devices


def measurement(device: Device, rng: random.Random, at: str) -> list[dict]:
    """What one measurement on the device sends: plausible values around the patient's baseline."""
    b = device.baseline
    base = {"deviceSerial": device.serial, "measuredAt": at}
    if device.kind == "pulseOximeter":
        spo2 = 84 if rng.random() < 0.02 else min(100, max(86, round(b["spo2"] + rng.gauss(0, 1.5))))
        return [base | {"kind": "spo2", "unit": "%", "value": spo2},
                base | {"kind": "pulse", "unit": "/min", "value": max(40, round(b["pulse"] + rng.gauss(0, 6)))}]
    if device.kind == "scale":
        return [base | {"kind": "weight", "unit": "kg", "value": round(b["weight"] + rng.gauss(0, 0.4), 1)}]
    if device.kind == "bloodPressureMonitor":
        systolic = round(b["systolic"] + rng.gauss(0, 8))
        diastolic = min(systolic - 20, round(b["diastolic"] + rng.gauss(0, 5)))
        return [base | {"kind": "bloodPressure", "unit": "mm[Hg]", "systolic": systolic, "diastolic": diastolic,
                        "pulse": max(40, round(b["pulse"] + rng.gauss(0, 6)))}]
    return [base | {"kind": "temperature", "unit": "Cel", "value": round(b["temperature"] + rng.gauss(0, 0.3), 1)}]


# ── Gateways ──────────────────────────────────────────────────────────────────


@dataclass
class Batch:
    writer: str
    readings: list[dict]
    attempts: int = 0
    unanswered: int = 0  # attempts that got no answer or a 5xx
    acked: dict[str, str] = field(default_factory=dict)  # reading id → event id
    statuses: dict[str, str] = field(default_factory=dict)
    acked_by: dict[str, str] = field(default_factory=dict)  # reading id → the request id of the 200
    acked_at: float | None = None
    first_sent: float | None = None


class Gateway(threading.Thread):
    """A gateway posting batches until told to stop; every batch is sent until
    it is answered 200. `impatient` retries every 0.2 s, ignoring Retry-After
    (it samples an outage densely); the others honour Retry-After."""

    def __init__(self, name: str, args: argparse.Namespace, port: int, key: str, devices: list[Device],
                 record: Record, stop: threading.Event, seed: int, impatient: bool = False):
        super().__init__(name=name, daemon=True)
        self.args, self.key, self.devices, self.record, self.stop = args, key, devices, record, stop
        self.client = Client(port, args.hang_timeout)
        self.rng = random.Random(seed)
        self.impatient = impatient
        self.batches: list[Batch] = []
        self.seq = 0
        self.gave_up: Batch | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                batch = self.new_batch()
                self.batches.append(batch)
                if not self.send(batch, deadline=None):
                    self.gave_up = batch
                    return
                time.sleep(self.rng.uniform(0.15, 0.25) if self.impatient else self.rng.uniform(0.02, 0.12))
        except Exception as error:  # a bug in the driver must not pass as a clean run
            violation(f"{self.name}: the driver failed: {error!r}")
            raise
        finally:
            self.client.close()

    def new_batch(self) -> Batch:
        at = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        count = 1 if self.impatient else self.rng.randint(1, 5)
        readings: list[dict] = []
        for device in self.rng.sample(self.devices, count):
            for item in measurement(device, self.rng, at):
                self.seq += 1
                readings.append({"id": f"{self.name}-{self.seq:06d}"} | item)
        return Batch(self.name, readings)

    def send(self, batch: Batch, deadline: float | None) -> bool:
        """Sends until answered 200 (True), or until the drain deadline passes (False)."""
        backoff = 0.1
        while True:
            if deadline is None and self.stop.is_set():
                deadline = self.record.moments.get("drain", now()) + self.args.drain_timeout
            if deadline is not None and now() > deadline:
                return False
            batch.attempts += 1
            start = now()
            if batch.first_sent is None:
                batch.first_sent = start
            self.record.flight(1)
            try:
                answer = self.client.request("POST", "/v1/readings", {"readings": batch.readings}, self.key)
            except (OSError, http.client.HTTPException) as error:
                kind = failure_kind(error)
                self.record.add(Sample("ingest", self.name, start, now() - start, kind))
                if kind == "timeout":
                    violation(f"{self.name}: POST /v1/readings got no answer within {self.args.hang_timeout:.0f} s "
                              f"(sent at {start:.1f} s)")
                batch.unanswered += 1
                time.sleep(0.2 if self.impatient else backoff * self.rng.uniform(1, 1.5))
                backoff = min(backoff * 2, 1.0)
                continue
            finally:
                self.record.flight(-1)
            latency = now() - start
            request_id = answer.headers.get("x-request-id")
            retry_after = answer.headers.get("retry-after")
            self.record.add(Sample("ingest", self.name, start, latency, str(answer.status), retry_after, request_id))
            if answer.status == 200:
                self.accept(batch, answer, request_id)
                return True
            batch.unanswered += 1
            if answer.status == 503:
                if retry_after is None or not retry_after.strip().isdigit():
                    violation(f"{self.name}: a 503 without a usable Retry-After ({retry_after!r}), request {request_id}")
                    wait = 1.0
                else:
                    wait = min(float(retry_after), 5.0)
                time.sleep(0.2 if self.impatient else wait + self.rng.uniform(0, 0.3))
            else:
                violation(f"{self.name}: POST /v1/readings answered {answer.status} (request {request_id}, "
                          f"{latency:.2f} s): {answer.body[:300]!r}")
                time.sleep(0.5)

    def accept(self, batch: Batch, answer: Answer, request_id: str | None) -> None:
        try:
            results = json.loads(answer.body)["results"]
        except (ValueError, KeyError, TypeError):
            violation(f"{self.name}: a 200 that is not a result list (request {request_id}): {answer.body[:200]!r}")
            return
        if len(results) != len(batch.readings):
            violation(f"{self.name}: {len(results)} results for {len(batch.readings)} readings (request {request_id})")
        for reading, result in zip(batch.readings, results):
            status, event_id = result.get("status"), result.get("eventId")
            if result.get("id") != reading["id"]:
                violation(f"{self.name}: result for {result.get('id')!r} where {reading['id']!r} was sent (request {request_id})")
                continue
            if status not in ("created", "duplicate") or not event_id:
                violation(f"{self.name}: reading {reading['id']} answered {status} (request {request_id}): {result}")
                continue
            if status == "duplicate" and batch.attempts == 1:
                violation(f"{self.name}: reading {reading['id']} answered duplicate on its first sending (request {request_id})")
            batch.acked[reading["id"]] = event_id
            batch.statuses[reading["id"]] = status
            batch.acked_by[reading["id"]] = request_id or "?"
        batch.acked_at = now()

    def resend(self, batch: Batch) -> None:
        """Sends an acknowledged batch again: every item must be a duplicate with the same event id."""
        again = Batch(batch.writer, batch.readings, attempts=2)
        self.send(again, deadline=now() + self.args.drain_timeout)
        for reading in batch.readings:
            rid = reading["id"]
            if rid not in batch.acked:
                continue
            if again.statuses.get(rid) != "duplicate" or again.acked.get(rid) != batch.acked[rid]:
                violation(f"resent reading {rid}: answered {again.statuses.get(rid)} {again.acked.get(rid)}, "
                          f"first acknowledged as {batch.acked[rid]}")


class Backlog(Gateway):
    """A gateway back online sending its backlog in one batch (measured over
    the last minute, after the devices were bound), then nothing more; like
    every gateway it sends the batch until it is answered 200."""

    def __init__(self, name: str, size: int, since: datetime, *rest, **named):
        super().__init__(name, *rest, **named)
        self.size, self.since = size, since
        self.batch = self.backlog()

    def backlog(self) -> Batch:
        end = datetime.now(timezone.utc)
        start = max(self.since, end - timedelta(minutes=1))
        readings: list[dict] = []
        while len(readings) < self.size:
            at = start + (end - start) * self.rng.random()
            stamp = at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
            for item in measurement(self.rng.choice(self.devices), self.rng, stamp):
                self.seq += 1
                readings.append({"id": f"{self.name}-{self.seq:06d}"} | item)
        return Batch(self.name, readings)

    def run(self) -> None:
        try:
            self.batches.append(self.batch)
            if not self.send(self.batch, deadline=None):
                self.gave_up = self.batch
        except Exception as error:
            violation(f"{self.name}: the driver failed: {error!r}")
            raise
        finally:
            self.client.close()


class Watch:
    """A psql session kept open, to see a commit within milliseconds."""

    def __init__(self, args: argparse.Namespace):
        self.process = subprocess.Popen(
            ["psql", "-h", args.pg_host, "-p", str(args.pg_port), "-U", args.pg_superuser, "-d", "varde", "-XAtq"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)

    def value(self, sql: str) -> str:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(sql.rstrip("; ") + ";\n\\echo __end__\n")
        self.process.stdin.flush()
        lines = []
        while (line := self.process.stdout.readline()) and line.strip() != "__end__":
            lines.append(line.strip())
        return lines[0] if lines else ""

    def close(self) -> None:
        try:
            if self.process.stdin:
                self.process.stdin.close()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()


def when_committed(args, backlog: Backlog, record: Record, timeout: float = 10.0) -> float | None:
    """Starts the backlog and returns as soon as its last reading is committed
    (seconds after sending), or None if it was not within the timeout."""
    watch = Watch(args)
    last = backlog.batch.readings[-1]["id"]
    try:
        # Only the events after the head are looked at: a few rows by the primary key.
        head = watch.value("SELECT coalesce(max(position), 0) FROM events")
        start = now()
        backlog.start()
        while now() - start < timeout:
            if watch.value(f"SELECT count(*) FROM events WHERE position > {head} AND type = 'ReadingRecorded' "
                           f"AND data->>'gatewayReadingId' = '{last}'") == "1":
                return now() - start
        return None
    finally:
        watch.close()


class Probe(threading.Thread):
    """A GET every 0.1 s on a fresh connection: /readyz (the server's readiness
    over time), or a nurse reading a patient's view (staff reads through the
    faults)."""

    def __init__(self, what: str, path, token: str | None, port: int, record: Record, stop: threading.Event,
                 timeout: float):
        super().__init__(name=what, daemon=True)
        self.what, self.path, self.token = what, path, token
        self.port, self.record, self.stop, self.timeout = port, record, stop, timeout

    def run(self) -> None:
        while not self.stop.is_set():
            client = Client(self.port, self.timeout)
            start = now()
            try:
                answer = client.request("GET", self.path(), token=self.token)
                self.record.add(Sample(self.what, self.what, start, now() - start, str(answer.status),
                                       answer.headers.get("retry-after"), answer.headers.get("x-request-id")))
            except (OSError, http.client.HTTPException) as error:
                self.record.add(Sample(self.what, self.what, start, now() - start, failure_kind(error)))
            finally:
                client.close()
            time.sleep(0.1)


# ── The drain: SIGTERM during ingest and long polls ───────────────────────────


@dataclass
class Poll:
    nurse: str
    start: float
    latency: float
    outcome: str  # an HTTP status, or refused/reset/timeout
    entries: int = 0
    problem: str | None = None  # why an answer is not a valid feed page
    request_id: str | None = None

    @property
    def end(self) -> float:
        return self.start + self.latency


class Poller(threading.Thread):
    """A nurse holding a long poll on her team's alert feed (`wait` seconds),
    polling again from the `next` cursor as soon as she is answered (after a
    connection error or a non-200, after 0.2 s), on one keep-alive connection.
    Every answer is checked as a page: a list of alerts each with a cursor,
    `next` the last one (or the cursor sent, when empty), no entry seen twice."""

    def __init__(self, name: str, team: str, token: str, port: int, wait: float, stop: threading.Event):
        super().__init__(name=name, daemon=True)
        self.team, self.token, self.wait, self.stop = team, token, wait, stop
        self.client = Client(port, wait + 15)
        self.cursor: str | None = None
        self.seen: set[str] = set()
        self.polls: list[Poll] = []
        self.waiting_since: float | None = None  # when the poll in flight was sent

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                query = f"wait={self.wait:g}"
                if self.cursor is not None:
                    query += "&after=" + urllib.parse.quote(self.cursor, safe="")
                start = now()
                self.waiting_since = start
                try:
                    answer = self.client.request("GET", f"/v1/teams/{self.team}/alerts?{query}", token=self.token)
                except (OSError, http.client.HTTPException) as error:
                    self.waiting_since = None
                    self.polls.append(Poll(self.name, start, now() - start, failure_kind(error)))
                    time.sleep(0.2)
                    continue
                self.waiting_since = None
                poll = Poll(self.name, start, now() - start, str(answer.status),
                            request_id=answer.headers.get("x-request-id"))
                if answer.status == 200:
                    self.page(poll, answer)
                else:
                    poll.problem = f"answered {answer.status}: {answer.body[:200]!r}"
                self.polls.append(poll)
                if answer.status != 200:
                    time.sleep(0.2)
        except Exception as error:  # a bug in the driver must not pass as a clean run
            violation(f"{self.name}: the driver failed: {error!r}")
            raise
        finally:
            self.client.close()

    def page(self, poll: Poll, answer: Answer) -> None:
        try:
            body = json.loads(answer.body)
            alerts, cursor = body["alerts"], body["next"]
            cursors = [a["cursor"] for a in alerts]
            if not isinstance(cursor, str) or not all(isinstance(c, str) for c in cursors):
                raise TypeError("a cursor that is not a string")
        except (ValueError, KeyError, TypeError) as error:
            poll.problem = f"not a feed page ({error}): {answer.body[:200]!r}"
            return
        poll.entries = len(alerts)
        if cursors and cursor != cursors[-1]:
            poll.problem = f"next {cursor!r} is not the last entry's cursor {cursors[-1]!r}"
        elif not cursors and self.cursor is not None and cursor != self.cursor:
            poll.problem = f"an empty page moved the cursor from {self.cursor!r} to {cursor!r}"
        again = [c for c in cursors if c in self.seen]
        if again:
            poll.problem = f"{len(again)} entries seen before, e.g. cursor {again[0]!r}"
        self.seen.update(cursors)
        self.cursor = cursor


@dataclass
class ReadySample:
    start: float
    latency: float
    outcome: str  # an HTTP status, or refused/reset/timeout
    status: str | None  # the body's "status"

    @property
    def end(self) -> float:
        return self.start + self.latency


class ReadyProbe(threading.Thread):
    """/readyz in a tight loop (every 10 ms), a fresh connection each time, as
    a load balancer's probe."""

    def __init__(self, port: int, stop: threading.Event):
        super().__init__(name="readyz-drain", daemon=True)
        self.port, self.stop = port, stop
        self.samples: list[ReadySample] = []

    def run(self) -> None:
        while not self.stop.is_set():
            client = Client(self.port, 2.0)
            start = now()
            try:
                answer = client.request("GET", "/readyz")
                try:
                    status = json.loads(answer.body).get("status")
                except (ValueError, AttributeError):
                    status = None
                self.samples.append(ReadySample(start, now() - start, str(answer.status), status))
            except (OSError, http.client.HTTPException) as error:
                self.samples.append(ReadySample(start, now() - start, failure_kind(error), None))
            finally:
                client.close()
            time.sleep(0.01)


class SlowClient(threading.Thread):
    """A gateway on a bad link: a batch of one reading whose body trickles in,
    a byte every 0.25 s (slower than any drain; well within the server's
    30 s to read a request). It holds a request open through the drain, so
    the drain must end it to end within its timeout. Never retried: the
    reading must not be stored, since its body never arrived whole."""

    def __init__(self, port: int, key: str, device: Device, stop: threading.Event):
        super().__init__(name="slow", daemon=True)
        self.port, self.key, self.stop = port, key, stop
        at = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        reading = {"id": "slow-000001"} | measurement(device, random.Random(7), at)[0]
        self.body = json.dumps({"readings": [reading]}, separators=(",", ":")).encode()
        self.started: float | None = None
        self.ended: float | None = None
        self.outcome = "still open"  # how it ended: "answered 408", "closed", "reset", …
        self.sent = 0

    def run(self) -> None:
        head = (f"POST /v1/readings HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {self.key}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(self.body)}\r\n\r\n").encode()
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
                sock.sendall(head)
                self.started = now()
                while not self.stop.is_set() and self.sent < len(self.body) - 1:  # never the last byte
                    readable, _, _ = select.select([sock], [], [], 0.25)
                    if readable:
                        data = sock.recv(4096)
                        self.ended = now()
                        self.outcome = "closed" if not data else "answered " + data.split(b" ", 2)[1].decode(errors="replace")
                        return
                    sock.sendall(self.body[self.sent:self.sent + 1])
                    self.sent += 1
        except OSError as error:
            self.ended = now()
            self.outcome = failure_kind(error)


def drain_settings(args: argparse.Namespace, server: Server) -> tuple[float, float]:
    """The server's --drain-delay and --drain-timeout as it reports them (so
    VARDE_DRAIN_DELAY and VARDE_DRAIN_TIMEOUT in the environment count)."""
    out = varde_cli(args, server.env, *server.argv()[1:], "--print-config", user="varde_runtime")
    found = {m.group(1): float(m.group(2)) for m in re.finditer(r"^--drain-(delay|timeout)\s+([\d.]+) s", out, re.M)}
    if set(found) != {"delay", "timeout"}:
        raise SystemExit(f"fault-test: no drain settings in `varde serve --print-config`:\n{out}")
    return found["delay"], found["timeout"]


def process_evidence(pid: int) -> str:
    """What a process that should have ended is doing: its state and threads."""
    try:
        with open(f"/proc/{pid}/status") as f:
            state = next((line.split(":", 1)[1].strip() for line in f if line.startswith("State:")), "?")
        threads: dict[str, int] = {}
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{task}/comm") as f:
                    name = f.read().strip()
                threads[name] = threads.get(name, 0) + 1
            except OSError:
                pass
        return f"state {state}; threads " + ", ".join(f"{k} ×{v}" for k, v in sorted(threads.items()))
    except (OSError, StopIteration) as error:
        return f"no /proc entry ({error})"


def drain_phase(args: argparse.Namespace, server: Server, pg: Postgres, record: Record, gateways: list[Gateway],
                devices: list[Device], teams: list[str], key: str, gateway_id: str, bound: datetime,
                stop_writers: threading.Event) -> bool:
    """SIGTERM mid-ingest while nurses hold long polls; the checks of the
    drain, then the server started again so that what went unanswered is
    retried. False when the server could not be started again."""
    delay, limit = drain_settings(args, server)
    port, env = server.port, server.env
    admin = varde_cli(args, env, "token", "issue", "--role", "admin", "--subject", "fault-admin").strip()
    client = Client(port, 10)
    answer = client.request("POST", "/v1/teams", {"name": "Hjemmesykepleien Stjørdal", "kind": "kommune",
                                                  "kommunenummer": "5035"}, admin)
    client.close()
    if answer.status != 201:
        raise SystemExit(f"fault-test: drain: POST /v1/teams answered {answer.status}: {answer.body[:300]!r}")
    quiet_team = json.loads(answer.body)["id"]
    # Busy feeds (the kommune teams' alerts change with the ingest), the
    # sykehus team's (red only) and a team without patients, whose poll
    # surely waits when the signal comes.
    feeds = [("pleier-1", teams[0]), ("pleier-2", teams[0]), ("pleier-3", teams[1]), ("pleier-4", teams[2]),
             ("pleier-5", quiet_team)]
    stop_polls, stop_ready = threading.Event(), threading.Event()
    pollers = []
    for name, team in feeds:
        token = varde_cli(args, env, "token", "issue", "--role", "nurse", "--team", team,
                          "--subject", f"fault-{name}").strip()
        pollers.append(Poller(name, team, token, port, args.poll_wait, stop_polls))
    probe = ReadyProbe(port, stop_ready)
    slow = SlowClient(port, key, devices[0], stop_polls) if args.slow_client else None
    for t in [*pollers, probe] + ([slow] if slow else []):
        t.start()
    quiet = pollers[-1]
    say(f"drain: {len(pollers)} nurses long-polling (wait={args.poll_wait:g}), /readyz probed every 10 ms; "
        f"the server drains for {delay:g} s and must end within {limit:g} s")

    # The signal comes when every nurse holds a poll, the quiet team's for a
    # second at least, and ingest is in flight; a backlog is sent just before.
    deadline = now() + 10
    while now() < deadline:
        if (all(p.waiting_since is not None for p in pollers) and quiet.waiting_since is not None
                and now() - quiet.waiting_since >= 1.0 and record.in_flight >= 1):
            break
        time.sleep(0.002)
    else:
        violation("drain: the nurses never held their polls all at once within 10 s (the driver could not set the scene)")
    bl3 = Backlog("bl3", args.backlog, bound, args, port, key, devices, record, stop_writers, args.seed * 100 + 53)
    gateways.append(bl3)
    bl3.start()
    time.sleep(0.03)
    in_flight = record.in_flight
    pid = server.pid
    held_before = {p.name: p.waiting_since for p in pollers}
    sigterm = record.mark("sigterm")
    assert server.process is not None
    server.process.send_signal(signal.SIGTERM)
    with open(server.log_path, "ab") as log:
        log.write(f"==== fault-test: SIGTERM to pid {pid} at {datetime.now(timezone.utc).isoformat(timespec='milliseconds')}\n"
                  .encode())
    say(f"drain: SIGTERM to the server (pid {pid}) with {in_flight} ingest request(s) in flight and "
        f"{sum(1 for t in held_before.values() if t is not None)} polls held")

    # Another backlog sent 0.1 s before the HTTP server is due to stop
    # accepting: in flight as it stops, unless it was quicker.
    bl4 = Backlog("bl4", args.backlog, bound, args, port, key, devices, record, stop_writers, args.seed * 100 + 54)
    gateways.append(bl4)
    time.sleep(max(0.0, sigterm + delay - 0.1 - now()))
    bl4.start()

    # The process must end by itself within the drain timeout: timed by a
    # thread blocked in waitpid (the process gone, not merely its port closed).
    ended = threading.Event()
    process = server.process
    threading.Thread(target=lambda: (process.wait(), record.mark("drain exit"), ended.set()), daemon=True).start()
    late_evidence = None
    killed = False
    if not ended.wait(max(0.0, sigterm + limit - now())):
        late_evidence = process_evidence(pid)
        say(f"drain: the server (pid {pid}) is still there {limit:g} s after SIGTERM: {late_evidence}")
        if not ended.wait(15):
            killed = True
            violation(f"drain: the server (pid {pid}) still ran {now() - sigterm:.1f} s after SIGTERM (its --drain-timeout "
                      f"is {limit:g} s); SIGKILLed. At {limit:g} s: {late_evidence}; now: {process_evidence(pid)}")
            process.kill()
            ended.wait(15)
    exited = record.moments.get("drain exit", now())
    exit_code = process.returncode
    if not killed and exited - sigterm > limit:
        violation(f"drain: the server ended {exited - sigterm:.2f} s after SIGTERM, over its --drain-timeout of {limit:g} s "
                  f"(exit status {exit_code}; at {limit:g} s: {late_evidence})")
    if exit_code != 0 and not killed:
        how = f"signal {signal.Signals(-exit_code).name}" if exit_code is not None and exit_code < 0 else f"status {exit_code}"
        violation(f"drain: the server ended with {how}, not status 0, {exited - sigterm:.2f} s after SIGTERM")
    say(f"drain: the server ended {exited - sigterm:.2f} s after SIGTERM, exit status {exit_code}")
    stop_polls.set()
    stop_ready.set()
    for t in [*pollers, probe] + ([slow] if slow else []):
        t.join(args.poll_wait + 20)

    # What was acknowledged is in the log now, before any restart.
    time.sleep(0.2)  # a gateway that has just read its answer records it
    acked: dict[str, str] = {}
    for g in gateways:
        for b in list(g.batches):
            acked.update(b.acked)
    stored: dict[str, list[str]] = {}
    for rid, event_id in pg.rows("SELECT json_build_array(data->>'gatewayReadingId', event_id) FROM events "
                                 f"WHERE type = 'ReadingRecorded' AND lower(data->>'gateway') = '{gateway_id}'"):
        stored.setdefault(rid, []).append(event_id)
    missing = [rid for rid in acked if rid not in stored]
    twice = [rid for rid in acked if len(stored.get(rid, [])) > 1]
    other = [rid for rid in acked if len(stored.get(rid, [])) == 1 and stored[rid][0] != acked[rid]]
    if missing:
        violation(f"drain: {len(missing)} acknowledged reading(s) not in the log once the server had ended, e.g. {missing[:3]}")
    if twice:
        violation(f"drain: {len(twice)} acknowledged reading(s) stored more than once, e.g. {twice[:3]}")
    if other:
        violation(f"drain: {len(other)} acknowledged reading(s) stored under another event id, e.g. {other[:3]}")
    # Stored but never answered: a request cut off after its commit (the
    # process is gone, so no answer can still be on its way).
    unanswered = sorted(rid for rid in stored if rid not in acked)
    stored_unacked = len(unanswered)
    if unanswered:
        violation(f"drain: {len(unanswered)} reading(s) stored by the drained server whose answer never reached the "
                  f"gateway (a request cut off after its commit), e.g. {unanswered[:3]}")

    # Started again: what went unanswered is retried by the gateways.
    restart = record.mark("drain restart")
    server.start()
    ready = server.wait_ready(30)
    if ready is None:
        violation("drain: the server did not become ready when started again after the drain")
        return False
    record.mark("drain ready")
    say(f"drain: started again (pid {server.pid}); ready after {ready:.2f} s")
    time.sleep(args.phase / 2)

    record.drain = judge_drain(args, record, server, gateways, pollers, probe, [bl3, bl4], held_before, delay, limit, pid,
                               exit_code, late_evidence, len(acked), stored_unacked, restart)
    if slow:
        record.drain["slow"] = (slow.started, slow.ended, slow.outcome, slow.sent, len(slow.body))
        if slow.started is None or slow.started > record.moments["sigterm"]:
            violation("drain: the slow client's request was not open at the signal (the test did not test what it should)")
        if "slow-000001" in stored:
            violation("drain: the slow client's reading is in the log, though its body never arrived whole")
    return True


def judge_drain(args, record: Record, server: Server, gateways: list[Gateway], pollers: list[Poller],
                probe: ReadyProbe, backlogs: list[Backlog], held_before: dict[str, float | None], delay: float, limit: float,
                pid: int, exit_code: int | None, late_evidence: str | None, acked_at_exit: int,
                stored_unacked: int, restart: float) -> dict[str, object]:
    m = record.moments
    sigterm, exited = m["sigterm"], m["drain exit"]
    served_until = sigterm + delay - args.drain_margin  # sent before this: must be served
    figures: dict[str, object] = {"delay": delay, "limit": limit, "exit": exited - sigterm, "exit code": exit_code,
                                  "margin": args.drain_margin, "sigterm": sigterm}

    # 1. /readyz: 503 "draining" within --ready-limit of the signal, and never 200 again.
    ready = sorted(probe.samples, key=lambda s: s.start)
    before = [s for s in ready if s.end < sigterm]
    for s in before:
        if s.outcome != "200":
            violation(f"drain: /readyz answered {s.outcome} before the signal (at {s.start:.2f} s)")
            break
    draining = [s for s in ready if s.end >= sigterm and s.outcome == "503"]
    first = min((s.end for s in draining), default=None)
    figures["to 503"] = None if first is None else first - sigterm
    if first is None:
        if delay > 0:  # with no delay the server may stop before a probe sees it
            violation("drain: /readyz never answered 503 after SIGTERM")
    elif first - sigterm > args.ready_limit:
        violation(f"drain: /readyz answered 503 only {first - sigterm:.3f} s after SIGTERM (want {args.ready_limit:g} s)")
    for s in draining:
        if s.status != "draining":
            violation(f"drain: /readyz answered 503 with status {s.status!r}, not 'draining' (at {s.start:.2f} s)")
            break
    if first is not None:
        back = [s for s in ready if s.start > first and s.outcome == "200"]
        if back:
            violation(f"drain: /readyz answered 200 again {back[0].start - sigterm:.3f} s after SIGTERM, after its 503")
    refused = [s for s in ready if s.start >= sigterm and s.outcome in ("refused", "reset")]
    stopped = min((s.start for s in refused), default=None)
    last_answer = max((s.start for s in ready if s.outcome[0].isdigit() and (stopped is None or s.start < stopped)),
                      default=sigterm)
    figures["stopped accepting"] = None if stopped is None else (last_answer - sigterm, stopped - sigterm)
    for s in ready:
        if s.outcome == "timeout" or (s.outcome[0].isdigit() and s.outcome not in ("200", "503")):
            violation(f"drain: /readyz answered {s.outcome} at {s.start:.2f} s")
    figures["readyz"] = (len([s for s in ready if s.start >= sigterm]), len(draining))
    if stopped is not None and stopped < sigterm + delay - 0.05:
        violation(f"drain: the server stopped accepting {stopped - sigterm:.2f} s after SIGTERM, before its "
                  f"--drain-delay of {delay:g} s")

    # 2. Long polls: those held at the signal answered 200 within --poll-limit;
    # those sent during the delay answered 200 within --ready-limit; none cut
    # off or left hanging; every page valid.
    polls = sorted((p for poller in pollers for p in poller.polls), key=lambda p: p.start)
    for p in polls:
        if p.problem and p.outcome == "200":
            violation(f"drain: {p.nurse}: an invalid feed page at {p.start:.2f} s (request {p.request_id}): {p.problem}")
        elif p.outcome[0].isdigit() and p.outcome != "200":
            violation(f"drain: {p.nurse}: a poll at {p.start:.2f} s answered {p.outcome} (request {p.request_id}): "
                      f"{p.problem}")
        elif p.outcome == "timeout":
            violation(f"drain: {p.nurse}: a poll sent at {p.start:.2f} s got no answer in {args.poll_wait + 15:g} s")
    held = [p for p in polls if p.start < sigterm <= p.end]
    for p in held:
        if p.outcome != "200":
            violation(f"drain: {p.nurse}: the poll held since {p.start:.2f} s ({sigterm - p.start:.2f} s before SIGTERM) "
                      f"was {'cut off' if p.outcome in ('reset', 'refused') else 'answered ' + p.outcome} "
                      f"{p.end - sigterm:.2f} s after SIGTERM")
        elif p.end - sigterm > args.poll_limit:
            violation(f"drain: {p.nurse}: the poll held since {p.start:.2f} s was answered only {p.end - sigterm:.2f} s "
                      f"after SIGTERM (want {args.poll_limit:g} s; request {p.request_id})")
    names = {p.nurse for p in held}
    for poller in pollers:
        since = held_before.get(poller.name)
        if since is not None and not any(p.start == since for p in poller.polls):
            violation(f"drain: {poller.name}: the poll held at the signal (sent at {since:.2f} s) got neither an answer "
                      "nor an error")
    if len(held) < 3 or pollers[-1].name not in names:
        violation(f"drain: {len(held)} poll(s) were held at the signal ({', '.join(sorted(names)) or 'none'}); the "
                  f"test wants 3 at least and {pollers[-1].name}'s, on a quiet feed, among them")
    waited = [sigterm - p.start for p in held]
    during = [p for p in polls if sigterm <= p.start < served_until]
    for p in during:
        if p.outcome != "200":
            violation(f"drain: {p.nurse}: a poll sent {p.start - sigterm:.2f} s after SIGTERM, during the drain delay, "
                      f"was {'cut off' if p.outcome in ('reset', 'refused') else 'answered ' + p.outcome}")
        elif p.latency > args.ready_limit:
            violation(f"drain: {p.nurse}: a poll sent {p.start - sigterm:.2f} s after SIGTERM was answered after "
                      f"{p.latency:.2f} s, not at once (request {p.request_id})")
    late = [p for p in polls if p.start >= served_until]
    hanging = [p for p in late if p.end > exited + 0.5]
    for p in hanging:
        violation(f"drain: {p.nurse}: a poll sent {p.start - sigterm:.2f} s after SIGTERM ended only as the process did")
    figures["held"] = (len(held), max(waited, default=0.0), sorted(p.end - sigterm for p in held),
                       sum(p.entries for p in held))
    figures["during"] = (len(during), sorted(p.latency for p in during), sum(1 for p in during if p.outcome == "200"))
    figures["late"] = outcome_counts(late)
    figures["polls"] = len([p for p in polls if p.outcome == "200"])

    # 3. Ingest: in flight at the signal or sent during the delay, answered
    # 200; what the HTTP server was still doing when it stopped accepting, finished.
    ingest = [s for s in record.samples if s.what == "ingest" and s.start < restart]
    at_signal = [s for s in ingest if s.start < sigterm <= s.end]
    in_delay = [s for s in ingest if sigterm <= s.start < served_until]
    for s in at_signal + in_delay:
        if s.outcome != "200":
            violation(f"drain: ingest by {s.writer} sent at {s.start - sigterm:+.2f} s from SIGTERM "
                      f"({'in flight at the signal' if s.start < sigterm else 'during the drain delay'}) was "
                      f"{'cut off' if s.outcome in ('reset', 'refused', 'timeout') else 'answered ' + s.outcome}"
                      f" after {s.latency:.2f} s (request {s.request_id})")
    cut = stopped if stopped is not None else sigterm + delay
    at_stop = [s for s in ingest if s.start < cut <= s.end]
    after = [s for s in ingest if s.start >= served_until]
    figures["ingest"] = {
        "at signal": (len(at_signal), sum(1 for s in at_signal if s.outcome == "200"),
                      max((s.end - sigterm for s in at_signal), default=0.0)),
        "in delay": (len(in_delay), sum(1 for s in in_delay if s.outcome == "200"),
                     max((s.latency for s in in_delay), default=0.0)),
        "at stop": (len(at_stop), outcome_counts(at_stop), max((s.end - cut for s in at_stop), default=0.0)),
        "after": outcome_counts(after),
        "answered during": sum(1 for s in ingest if s.outcome == "200" and sigterm <= s.end <= exited),
        "last answer": max((s.end - sigterm for s in ingest if s.outcome == "200" and s.end <= exited), default=None),
    }
    # Sent before the process ended, acknowledged only by the server started again.
    retried = [b for g in gateways for b in g.batches
               if b.first_sent is not None and b.first_sent < exited and b.acked_at is not None and b.acked_at > restart]
    figures["retried"] = (len(retried), sum(len(b.readings) for b in retried),
                          sum(1 for b in retried for st in b.statuses.values() if st == "duplicate"),
                          max((b.acked_at - restart for b in retried), default=0.0))
    figures["backlogs"] = [(b.name, len(b.batch.readings), b.batch.first_sent, b.batch.acked_at, b.batch.attempts,
                            list(b.batch.statuses.values()).count("duplicate")) for b in backlogs]
    figures["at exit"] = (acked_at_exit, stored_unacked)

    # Every request around the drain, for the evidence (kept with the logs on a failure).
    with open(os.path.join(args.work, "log", "drain-timeline.log"), "w") as f:
        f.write(f"# seconds from SIGTERM (sent at {sigterm:.3f} s of the run): sent, answered, what, who, outcome, "
                f"request id; the process ended at {exited - sigterm:+.3f} s\n")
        rows = [(s.start, s.end, "ingest", s.writer, s.outcome, s.request_id or "") for s in ingest]
        rows += [(p.start, p.end, "poll", p.nurse, p.outcome + (f" ({p.entries} entries)" if p.outcome == "200" else ""),
                  p.request_id or "") for p in polls]
        rows += [(s.start, s.end, "readyz", "probe", s.outcome + (f" {s.status}" if s.status else ""), "") for s in ready]
        for a, b, what, who, outcome, rid in sorted(r for r in rows if sigterm - 1 <= r[0] <= exited + 0.5):
            f.write(f"{a - sigterm:+8.3f} {b - sigterm:+8.3f}  {what:6} {who:9} {outcome:22} {rid}\n")

    # 4. (exit judged as it happened) 5. The drained process's log.
    log = open(server.log_path, errors="replace").read().split("\n")
    marker = f"==== fault-test: SIGTERM to pid {pid} "
    start = next((i for i, line in enumerate(log) if line.startswith(marker)), None)
    segment: list[str] = []
    if start is None:
        violation("drain: the SIGTERM marker is missing from the server log")
    else:
        for line in log[start + 1:]:
            if line.startswith("==== fault-test: server start"):
                break
            segment.append(line)
    errors = [line for line in segment if re.search(r' (error|critical) |"level":"(error|critical)"', line)]
    crash = [line for line in segment if re.search(r"Fatal error|Program crashed|💣|Backtrace|Segmentation fault", line)]
    warnings = [line for line in segment if re.search(r' warning |"level":"warning"', line)]
    for line in (errors + crash)[:5]:
        violation(f"drain: the server logged during the drain: {line[:300]}")
    figures["log"] = (len(segment), len(errors), len(crash), warnings[:3], len(warnings),
                      next((line for line in segment if "draining" in line), None))
    figures["late evidence"] = late_evidence
    return figures


def outcome_counts(samples) -> dict[str, int]:
    counts: dict[str, int] = {}
    for s in samples:
        counts[s.outcome] = counts.get(s.outcome, 0) + 1
    return counts



# ── The run ───────────────────────────────────────────────────────────────────


def wait_in_flight(record: Record, least: int = 1, timeout: float = 2.0) -> int:
    """Waits (briefly) until ingest requests are in flight, so a fault lands mid-ingest."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with record.lock:
            if record.in_flight >= least:
                return record.in_flight
        time.sleep(0.002)
    return 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--varde", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--pg-ctl", required=True)
    p.add_argument("--pg-data", required=True)
    p.add_argument("--pg-port", type=int, required=True)
    p.add_argument("--pg-host", required=True)
    p.add_argument("--pg-superuser", required=True)
    p.add_argument("--patients", type=int, default=20, help="patients in all, half per kommune team")
    p.add_argument("--writers", type=int, default=4, help="gateway threads besides the impatient one")
    p.add_argument("--phase", type=float, default=4.0, help="seconds of ingest before, between and after the faults")
    p.add_argument("--kills", type=int, default=3, help="SIGKILLs of the server, each followed by a restart")
    p.add_argument("--backlog", type=int, default=200, help="readings in the backlog batch a fault lands on")
    p.add_argument("--pg-down", type=float, default=5.0, help="seconds PostgreSQL stays down")
    p.add_argument("--down-limit", type=float, default=2.5, help="the longest a request may take while PostgreSQL is down")
    p.add_argument("--hang-timeout", type=float, default=10.0, help="a request unanswered this long is a hang")
    p.add_argument("--drain-timeout", type=float, default=20.0,
                   help="how long the writers may take to get their last batch answered")
    p.add_argument("--resend", type=int, default=30, help="acknowledged batches sent again at the end")
    p.add_argument("--seed", type=int, default=15)
    p.add_argument("--pg-stop", action=argparse.BooleanOptionalAction, default=True,
                   help="the PostgreSQL stop phase")
    p.add_argument("--drain", action=argparse.BooleanOptionalAction, default=True,
                   help="the drain phase: SIGTERM during ingest and long polls, then a restart")
    p.add_argument("--slow-client", action=argparse.BooleanOptionalAction, default=True,
                   help="in the drain phase, a request whose body trickles in through the drain")
    p.add_argument("--poll-wait", type=float, default=30.0, help="wait= of the nurses' long polls")
    p.add_argument("--ready-limit", type=float, default=0.5,
                   help="after SIGTERM, /readyz must answer 503 within this; polls sent during the delay too")
    p.add_argument("--poll-limit", type=float, default=1.0,
                   help="a long poll held at SIGTERM must be answered within this of the signal")
    p.add_argument("--drain-margin", type=float, default=0.25,
                   help="requests sent in the last seconds of the drain delay may race the stop (not judged)")
    args = p.parse_args()

    rng = random.Random(args.seed)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")} | {
        "PGHOST": args.pg_host, "PGPORT": str(args.pg_port), "PGDATABASE": "varde",
        "VARDE_DATA_DIR": os.path.join(args.work, "data")}
    pg = Postgres(args)
    server = Server(args, port, env)
    record = Record()
    stop_writers, stop_probe = threading.Event(), threading.Event()
    gateways: list[Gateway] = []
    probes: list[Probe] = []
    try:
        say(f"server on port {port}")
        server.start()
        if server.wait_ready(30) is None:
            print("fault-test: the server did not become ready", file=sys.stderr)
            return 1
        gateway_id, key, teams, devices = setup(args, port, env, rng)
        bound = datetime.now(timezone.utc)
        say(f"2 kommune teams and a sykehus team, gateway {gateway_id} serving the kommune teams, "
            f"{len(devices)} patients each with a bound device")

        gateways = [Gateway(f"gw{i + 1}", args, port, key, devices, record, stop_writers, args.seed * 100 + i)
                    for i in range(args.writers)]
        gateways.append(Gateway("gw0", args, port, key, devices, record, stop_writers, args.seed * 100 + 99, impatient=True))
        nurse = varde_cli(args, env, "token", "issue", "--role", "nurse", "--team", teams[0],
                          "--subject", "fault-sykepleier-1").strip()
        mine = [d.patient for d in devices if d.team == teams[0]]
        pick = random.Random(args.seed + 1)
        probes = [Probe("readyz", lambda: "/readyz", None, port, record, stop_probe, args.hang_timeout),
                  Probe("nurse", lambda: f"/v1/patients/{pick.choice(mine)}", nurse, port, record, stop_probe,
                        args.hang_timeout)]
        for probe in probes:
            probe.start()
        record.mark("ingest")
        for g in gateways:
            g.start()
        say(f"{len(gateways)} gateway threads posting")
        time.sleep(args.phase)

        # Fault 1: SIGKILL mid-ingest, start again on the same port. The first
        # lands the moment a gateway's backlog is committed, before its answer
        # can be sent (the answer is lost for sure); the others wherever ingest is.
        for k in range(1, args.kills + 1):
            first_pid = server.pid
            if k == 1:
                backlog = Backlog("bl1", args.backlog, bound, args, port, key, devices, record, stop_writers,
                                  args.seed * 100 + 51)
                gateways.append(backlog)
                committed = when_committed(args, backlog, record)
                record.backlogs.append(("SIGKILL 1", backlog, committed, now()))
                in_flight = record.in_flight
            else:
                in_flight = wait_in_flight(record, least=2)
            record.mark(f"kill {k}")
            gone = server.kill9()
            say(f"SIGKILL {k} of the server (pid {first_pid}) with {in_flight} ingest request(s) in flight; "
                f"gone after {gone:.2f} s")
            record.mark(f"restart {k}")
            server.start()
            ready = server.wait_ready(30)
            if ready is None:
                violation(f"the server did not become ready after the restart (SIGKILL {k})")
                return finish(args, record, gateways, server, pg, probes, stop_writers, stop_probe, None)
            record.mark(f"ready {k}")
            say(f"started again (pid {server.pid}); ready after {ready:.2f} s")
            time.sleep(args.phase if k == args.kills else args.phase / 2)

        # Fault 2: PostgreSQL stopped (immediate) mid-ingest, held down, started; the server left alone.
        # It lands the moment a backlog is committed, while the server waits for
        # the projector to show it before answering.
        if args.pg_stop:
            pid_before = server.pid
            backlog = Backlog("bl2", args.backlog, bound, args, port, key, devices, record, stop_writers,
                              args.seed * 100 + 52)
            gateways.append(backlog)
            committed = when_committed(args, backlog, record)
            record.backlogs.append(("the PostgreSQL stop", backlog, committed, now()))
            in_flight = record.in_flight
            record.mark("pg stop")
            pg.stop_immediate()
            record.mark("pg down")
            say(f"PostgreSQL stopped (immediate) with {in_flight} ingest request(s) in flight; down for {args.pg_down:.0f} s")
            time.sleep(args.pg_down)
            record.mark("pg start")
            pg.start()
            record.mark("pg up")
            say("PostgreSQL up again")
            recovered = server.wait_ready(30)
            if recovered is None:
                violation("/readyz did not answer 200 within 30 s of PostgreSQL being up again")
            else:
                record.mark("ready after pg")
                say(f"/readyz 200 {recovered:.2f} s after PostgreSQL was up")
            if not server.alive() or server.pid != pid_before:
                violation("the server process did not survive the PostgreSQL restart")
            time.sleep(args.phase)
        # Fault 3: SIGTERM mid-ingest while nurses hold long polls: the
        # graceful drain; then the server started again.
        if args.drain and not drain_phase(args, server, pg, record, gateways, devices, teams, key, gateway_id,
                                          bound, stop_writers):
            return finish(args, record, gateways, server, pg, probes, stop_writers, stop_probe, None)
        return finish(args, record, gateways, server, pg, probes, stop_writers, stop_probe, gateway_id)
    finally:
        stop_writers.set()
        stop_probe.set()
        server.stop()


def finish(args, record: Record, gateways: list[Gateway], server: Server, pg: Postgres, probes: list[Probe],
           stop_writers: threading.Event, stop_probe: threading.Event, gateway_id: str | None) -> int:
    record.mark("drain")
    stop_writers.set()
    for g in gateways:
        g.join(args.drain_timeout + args.hang_timeout + 5)
    stop_probe.set()
    for probe in probes:
        probe.join(args.hang_timeout + 2)
    record.mark("drained")
    unanswered = [g.gave_up for g in gateways if g.gave_up is not None]
    for b in unanswered:
        violation(f"{b.writer}: a batch was never answered 200 within {args.drain_timeout:.0f} s of the writers "
                  f"stopping ({b.attempts} attempts; readings {b.readings[0]['id']}…)")
    say(f"writers stopped ({record.moments['drained'] - record.moments['drain']:.1f} s to drain)")
    figures: dict[str, object] = {}

    if gateway_id is not None and server.alive():
        # Acknowledged batches from the whole run, sent again.
        acked = [b for g in gateways for b in g.batches if b.acked]
        sample = random.Random(args.seed).sample(acked, min(args.resend, len(acked)))
        resender = gateways[0]
        resender.stop = threading.Event()
        record.mark("resend")
        for b in sample:
            resender.resend(b)
        figures["resent"] = (len(sample), sum(len(b.acked) for b in sample))
        say(f"resent {len(sample)} acknowledged batches")
        check_database(args, pg, gateways, gateway_id, figures)
    report(args, record, gateways, server, figures)
    return 1 if _violations else 0


def check_database(args, pg: Postgres, gateways: list[Gateway], gateway_id: str, figures: dict) -> None:
    # The projector catches up with the log.
    start = time.monotonic()
    head = checkpoint = 0
    while time.monotonic() - start < 20:
        head = int(pg.value("SELECT coalesce(max(position), 0) FROM events") or 0)
        checkpoint = int(pg.value("SELECT coalesce(max(position), 0) FROM subscriptions WHERE name = 'projector'") or 0)
        if checkpoint >= head:
            break
        time.sleep(0.2)
    figures["projector"] = (checkpoint, head, time.monotonic() - start)
    if checkpoint < head:
        violation(f"the projector did not catch up within 20 s: checkpoint {checkpoint}, head {head}")

    sent: dict[str, dict] = {}
    acked: dict[str, str] = {}
    how: dict[str, str] = {}  # reading id → "created by request …"
    for g in gateways:
        for b in g.batches:
            for r in b.readings:
                sent[r["id"]] = r
            acked.update(b.acked)
            how.update({rid: f"{b.statuses[rid]} by request {b.acked_by[rid]}" for rid in b.acked})
    events = pg.rows(
        "SELECT json_build_array(data->>'gatewayReadingId', event_id, data->'asSent', data->>'measuredAt', "
        "data->>'deviceSerial', data->'value'->>'kind', position) FROM events "
        f"WHERE type = 'ReadingRecorded' AND lower(data->>'gateway') = '{gateway_id}' ORDER BY position")
    everyone = int(pg.value("SELECT count(*) FROM events WHERE type = 'ReadingRecorded'"))
    if everyone != len(events):
        violation(f"{everyone - len(events)} ReadingRecorded event(s) in the log name another gateway than the test's")
    stored: dict[str, list[list]] = {}
    for e in events:
        stored.setdefault(e[0], []).append(e)
    in_model = pg.rows(
        "SELECT json_build_array(gateway_reading_id, event_id) FROM readings "
        f"WHERE gateway_id = '{gateway_id}'")
    model: dict[str, list[str]] = {}
    for rid, event_id in in_model:
        model.setdefault(rid, []).append(event_id)

    # Findings by kind, each reported once with its count and a few examples.
    findings: dict[str, list[str]] = {}

    def bad(kind: str, example: str) -> None:
        findings.setdefault(kind, []).append(example)

    lost: dict[str, list[str]] = {}  # the answer that acknowledged them → reading ids
    for rid, event_id in acked.items():
        found = stored.get(rid, [])
        if not found:
            lost.setdefault(how[rid], []).append(rid)
        elif len(found) > 1:
            bad("acknowledged readings stored more than once", f"{rid} as {[f[1] for f in found]}")
        elif found[0][1] != event_id:
            bad("acknowledged readings stored under another event id", f"{rid}: acknowledged {event_id}, stored {found[0][1]}")
        elif model.get(rid) != [event_id]:
            bad("acknowledged readings without their one row in the readings read model", f"{rid} ({event_id}): {model.get(rid)}")
    for answer, rids in lost.items():
        violation(f"LOST: {len(rids)} reading(s) acknowledged ({answer}) are not in the log: {rids[0]} … {rids[-1]}")
    for rid, found in stored.items():
        if rid not in sent:
            bad("readings in the log that were never sent", f"{rid} ({found[0][1]})")
            continue
        if len(found) > 1 and rid not in acked:
            bad("readings never acknowledged but stored more than once", rid)
        r, e = sent[rid], found[0]
        as_sent = e[2] or {}
        want = {k: r[k] for k in ("unit", "value", "systolic", "diastolic", "pulse") if k in r}
        have = {k: as_sent.get(k) for k in want}
        if have != want or e[3] != r["measuredAt"] or e[4] != r["deviceSerial"] or e[5] != r["kind"]:
            bad("readings stored with other content than sent", f"{rid}: sent {r}, stored {e}")
    for rid in model:
        if rid not in stored:
            bad("rows in the readings read model without their event in the log", rid)
    for kind, examples in findings.items():
        violation(f"{len(examples)} {kind}, e.g. " + "; ".join(examples[:3]))
    unacked_stored = sum(1 for rid in stored if rid in sent and rid not in acked)
    figures["log"] = (len(events), len(stored), len(in_model), unacked_stored, sum(len(r) for r in lost.values()))
    figures["event types"] = pg.psql("SELECT type || ' ' || count(*) FROM events GROUP BY type ORDER BY count(*) DESC")

    say("varde verify (as varde_owner)")
    start = time.monotonic()
    out = subprocess.run([args.varde, "verify"], capture_output=True, text=True,
                         env={k: v for k, v in os.environ.items() if not k.startswith("PG")} | {
                             "PGHOST": args.pg_host, "PGPORT": str(args.pg_port), "PGDATABASE": "varde",
                             "PGUSER": "varde_owner", "VARDE_SQL_DIR": os.environ.get("VARDE_SQL_DIR", "")})
    verdict = next((line for line in out.stdout.splitlines() if line.startswith(("OK", "FAILED"))), "")
    figures["verify"] = (verdict or (out.stdout + out.stderr).strip()[-300:], time.monotonic() - start)
    if out.returncode != 0 or not verdict.startswith("OK"):
        violation(f"varde verify failed (exit {out.returncode}): {(out.stdout + out.stderr).strip()[-800:]}")


def report(args, record: Record, gateways: list[Gateway], server: Server, figures: dict) -> None:
    m = record.moments
    # The resending at the end is judged on its own, not counted here.
    samples = sorted((s for s in record.samples if s.start < m.get("resend", float("inf"))), key=lambda s: s.start)
    ingest = [s for s in samples if s.what == "ingest"]
    readyz = [s for s in samples if s.what == "readyz"]
    batches = [b for g in gateways for b in g.batches]
    readings = sum(len(b.readings) for b in batches)
    acked = sum(len(b.acked) for b in batches)
    created = sum(1 for b in batches for s in b.statuses.values() if s == "created")
    dup_after_loss = sum(1 for b in batches if b.unanswered for s in b.statuses.values() if s == "duplicate")
    outcomes: dict[str, int] = {}
    for s in ingest:
        outcomes[s.outcome] = outcomes.get(s.outcome, 0) + 1

    for s in samples:
        # Writers report their own; the probes' are reported here.
        if s.what == "ingest":
            continue
        if s.outcome == "timeout":
            violation(f"{s.what}: no answer within {args.hang_timeout:.0f} s (sent at {s.start:.1f} s)")
        elif s.outcome[0].isdigit() and s.outcome not in ("200", "503"):
            violation(f"{s.what} answered {s.outcome} at {s.start:.1f} s (request {s.request_id})")
        elif s.outcome == "503" and s.what == "nurse" and not (s.retry_after or "").strip().isdigit():
            violation(f"nurse: a 503 without a usable Retry-After at {s.start:.1f} s (request {s.request_id})")

    # While PostgreSQL was down: every answer a quick 503.
    down_figures = None
    if "pg down" in m and "pg start" in m:
        a, b = m["pg down"], m["pg start"]
        during = [s for s in samples if a <= s.start < b]
        judged = [s for s in during if s.start <= b - args.down_limit]
        for s in judged:
            if s.outcome != "503" or s.latency > args.down_limit:
                violation(f"PostgreSQL down: {s.what} by {s.writer} at {s.start:.1f} s answered {s.outcome} after "
                          f"{s.latency:.2f} s (want 503 within {args.down_limit} s; request {s.request_id})")
        # In flight when PostgreSQL went away: answered (anything but a 5xx
        # other than 503) within the limit of the database going down.
        for s in samples:
            if s.start < a and s.start + s.latency > a and s.start + s.latency > a + args.down_limit:
                violation(f"PostgreSQL down: {s.what} by {s.writer} sent at {s.start:.2f} s, in flight when the "
                          f"database went down at {a:.2f} s, answered {s.outcome} only after {s.latency:.2f} s "
                          f"(request {s.request_id})")
        ingest_503 = [s for s in during if s.what == "ingest" and s.outcome == "503"]
        if not [s for s in judged if s.what == "ingest"]:
            violation("PostgreSQL down: no ingest request was judged (the test lost its samples)")
        for what in ("readyz", "nurse"):
            if not [s for s in judged if s.what == what]:
                violation(f"PostgreSQL down: no {what} request was judged")
        latencies = [s.latency for s in during]
        down_figures = (b - a, len([s for s in during if s.what == "ingest"]), len(ingest_503),
                        len([s for s in during if s.what == "readyz"]),
                        len([s for s in during if s.what == "readyz" and s.outcome == "503"]),
                        len([s for s in during if s.what == "nurse"]),
                        len([s for s in during if s.what == "nurse" and s.outcome == "503"]),
                        max(latencies) if latencies else 0.0,
                        statistics.median(latencies) if latencies else 0.0)
        after = [s for s in ingest if s.start >= m.get("pg up", b) and s.outcome == "200"]
        if not after:
            violation("no ingest request was answered 200 after PostgreSQL came back")

    ok_latencies = sorted(s.latency for s in ingest if s.outcome == "200")

    def pct(q: float) -> float:
        return ok_latencies[min(len(ok_latencies) - 1, int(q * len(ok_latencies)))] if ok_latencies else 0.0

    slowest = sorted(ingest, key=lambda s: -s.latency)[:3]
    log = open(server.log_path, errors="replace").read().splitlines()
    errors = [line for line in log if re.search(r" (error|critical) ", line) and "DEVELOPMENT SIGN-IN" not in line]
    status500 = [line for line in log if "status=500" in line]
    for line in status500[:5]:
        violation(f"the server logged a 500: {line}")

    print()
    print(f"Fault test ({args.varde}, PostgreSQL 15, {args.writers + 1} gateway threads and "
          f"{sum(1 for g in gateways if isinstance(g, Backlog))} backlogs, "
          f"{args.patients} patients, seed {args.seed})")
    print(f"  ingest: {len(batches)} batches, {readings} readings sent, {acked} acknowledged "
          f"({created} created, {acked - created} duplicate), {len(ingest)} requests, "
          f"{sum(b.attempts - 1 for b in batches)} retries")
    print("  answers: " + ", ".join(f"{k} ×{v}" for k, v in sorted(outcomes.items())))
    print(f"  readings stored by an attempt whose answer was lost, answered duplicate on a retry: {dup_after_loss}")
    print(f"  latency of 200s: p50 {pct(0.5) * 1000:.0f} ms, p99 {pct(0.99) * 1000:.0f} ms, "
          f"max {ok_latencies[-1] if ok_latencies else 0:.2f} s")
    print("  slowest: " + "; ".join(f"{s.outcome} after {s.latency:.2f} s (sent at {s.start:.1f} s, request "
                                    f"{s.request_id})" for s in slowest))
    acks = sorted(x.acked_at for g in gateways for x in g.batches if x.acked_at is not None)
    for k in range(1, args.kills + 1):
        if f"kill {k}" not in m:
            break
        kill, restart = m[f"kill {k}"], m[f"restart {k}"]
        hit = [s for s in ingest if s.start < kill and s.start + s.latency >= kill and s.outcome in ("reset", "refused")]
        before = max((t for t in acks if t < kill), default=kill)
        after = min((t for t in acks if t > restart), default=float("nan"))
        print(f"  SIGKILL {k} at {kill:.1f} s: {len(hit)} request(s) cut off; ready again "
              f"{m.get(f'ready {k}', float('nan')) - restart:.2f} s after the restart; "
              f"no acknowledgement for {after - before:.2f} s")
    for fault, backlog, committed, at in record.backlogs:
        b = backlog.batch
        statuses = list(b.statuses.values())
        if committed is None:
            print(f"  {fault}: the backlog of {len(b.readings)} readings was not seen committed within 10 s")
            continue
        if b.acked_at is None:
            answered = "never"
        elif b.acked_at <= at:
            answered = "before the fault"
        else:
            answered = f"{b.acked_at - at:.2f} s after the fault, at attempt {b.attempts}"
        print(f"  {fault} came as a backlog of {len(b.readings)} readings was committed ({committed:.2f} s after it "
              f"was sent); answered {answered} "
              f"({statuses.count('created')} created, {statuses.count('duplicate')} duplicate)")
    if down_figures:
        d = down_figures
        print(f"  PostgreSQL down {d[0]:.1f} s: {d[1]} ingest requests ({d[2]} answered 503), {d[3]} /readyz ({d[4]} 503), "
              f"{d[5]} nurse reads ({d[6]} 503); latency max {d[7]:.3f} s, median {d[8] * 1000:.0f} ms")
        if "ready after pg" in m:
            first = min((s.start + s.latency for s in ingest if s.start >= m["pg up"] and s.outcome == "200"), default=float("nan"))
            print(f"  recovery: /readyz 200 {m['ready after pg'] - m['pg up']:.2f} s and the first reading acknowledged "
                  f"{first - m['pg up']:.2f} s after PostgreSQL was up, same server process")
    if record.drain:
        print_drain(record.drain)
    if "resent" in figures:
        n, items = figures["resent"]
        print(f"  resent at the end: {n} acknowledged batches ({items} readings), all duplicate with the same event ids"
              if not any("resent reading" in v for v in _violations) else f"  resent at the end: {n} batches: MISMATCHES")
    if "log" in figures:
        events, ids, rows, unacked_stored, lost = figures["log"]
        print(f"  log: {events} ReadingRecorded events for {ids} reading ids, {rows} rows in readings; "
              f"{unacked_stored} stored but never acknowledged; {lost} acknowledged but lost")
        checkpoint, head, waited = figures["projector"]
        print(f"  projector at {checkpoint} of {head} ({waited:.1f} s to catch up); events: " + ", ".join(figures["event types"]))
    if "verify" in figures:
        print(f"  varde verify: {figures['verify'][0]} ({figures['verify'][1]:.1f} s)")
    print(f"  server log: {len(errors)} lines at error or critical" + (": " if errors else ""))
    seen: set[str] = set()
    for line in errors:
        text = re.sub(r"^\S+ \w+ varde: ", "", line)
        text = re.sub(r"hb\.request\.id=\S+ |checkpoint=\d+ |head=\d+ ", "", text)
        if text not in seen and len(seen) < 5:
            seen.add(text)
            print(f"    {line}")
    if _violations:
        print(f"\n{len(_violations)} VIOLATION(S):")
        for v in _violations[:60]:
            print(f"  {v}")
    else:
        print("  no violation")
    sys.stdout.flush()


def print_drain(d: dict) -> None:
    def ms(x: float | None) -> str:
        return "never" if x is None else f"{x * 1000:.0f} ms"

    def counts(c: dict[str, int]) -> str:
        return ", ".join(f"{k} ×{v}" for k, v in sorted(c.items())) or "none"

    print(f"  SIGTERM (--drain-delay {d['delay']:g} s, --drain-timeout {d['limit']:g} s): /readyz 503 draining "
          f"{ms(d['to 503'])} after the signal ({d['readyz'][0]} probes after it, {d['readyz'][1]} answered 503)")
    if d["stopped accepting"]:
        a, b = d["stopped accepting"]
        print(f"    the HTTP server stopped accepting {a:.2f}–{b:.2f} s after the signal")
    n, waited, ends, entries = d["held"]
    print(f"    long polls held at the signal: {n} (held up to {waited:.1f} s), answered 200 "
          + (f"{ms(ends[0])}–{ms(ends[-1])} after it" if ends else "–") + f" ({entries} entries)")
    n, lat, ok = d["during"]
    print(f"    polls sent during the delay: {n}, {ok} answered 200"
          + (f", latency median {ms(statistics.median(lat))}, max {ms(lat[-1])}" if lat else "")
          + f"; sent in its last {d['margin']:g} s or after: {counts(d['late'])}")
    i = d["ingest"]
    print(f"    ingest in flight at the signal: {i['at signal'][0]} ({i['at signal'][1]} answered 200, the last "
          f"{i['at signal'][2]:.2f} s after it); sent during the delay: {i['in delay'][0]} ({i['in delay'][1]} answered 200, "
          f"max {i['in delay'][2]:.2f} s); in flight as the HTTP server stopped accepting: {i['at stop'][0]} "
          f"({counts(i['at stop'][1])}); sent in the delay's last {d['margin']:g} s or after: {counts(i['after'])}")
    last = i["last answer"]
    print(f"    ingest answered 200 during the drain: {i['answered during']}, the last {last:.2f} s after the signal"
          if last is not None else "    no ingest answered during the drain")
    for name, size, sent, acked_at, attempts, duplicates in d["backlogs"]:
        print(f"    backlog {name} of {size} readings sent at {sent - d['sigterm']:+.2f} s: "
              + ("never answered" if acked_at is None else
                 f"answered 200 at {acked_at - d['sigterm']:+.2f} s, attempt {attempts} ({duplicates} duplicate)"))
    if "slow" in d:
        started, ended, outcome, sent, size = d["slow"]
        sigterm = d["sigterm"]
        print(f"    a request trickled in (head, then {sent} of {size} body bytes, one per 0.25 s) from "
              f"{started - sigterm:+.2f} s: " + (f"{outcome} {ended - sigterm:.2f} s after the signal" if ended is not None
                                                 else "still open when the process ended"))
    code = d["exit code"]
    print(f"    the process ended {d['exit']:.2f} s after the signal, exit status {code}"
          + (f"; late: {d['late evidence']}" if d["late evidence"] else ""))
    acked, unacked = d["at exit"]
    print(f"    at its end: {acked} readings acknowledged, each stored once with its event id; "
          f"{unacked} stored whose answer was lost")
    n, readings, duplicates, latest = d["retried"]
    print(f"    started again: {n} batches ({readings} readings) sent before the end acknowledged by the new process "
          f"({duplicates} readings duplicate, stored before the end), the last {latest:.2f} s after the restart")
    lines, errors, crash, warnings, nwarnings, notice = d["log"]
    print(f"    log of the drain: {lines} lines, {errors} at error or critical, {crash} of a crash, {nwarnings} warnings"
          + (": " + " | ".join(w[:160] for w in warnings) if warnings else ""))
    if notice:
        print(f"      {notice[:200]}")


if __name__ == "__main__":
    sys.exit(main())
