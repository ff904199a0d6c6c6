"""Tests of the OpenID Connect test provider, run as a subprocess exactly as
the Swift and Selenium tests run it, and spoken to over HTTP only.

    $VARDE_DATA_DIR/venv/bin/pytest -q Tests/Tools/oidc-provider

Each failure case is paired with a success on the same setup (a helper's
defaults succeed; a test changes one thing), so a check that stopped
refusing, or started refusing everything, shows up.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import os
import selectors
import signal
import stat
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

PROVIDER = Path(__file__).with_name("oidc_provider.py")
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
READY_TIMEOUT = 15

# Client keys: made once, since RSA key generation is the slow part. Several
# clients may share one key; only the registration decides what is trusted.
CLIENT_RSA = rsa.generate_private_key(public_exponent=65537, key_size=2048)
CLIENT_EC = ec.generate_private_key(ec.SECP256R1())
STRANGER_RSA = rsa.generate_private_key(public_exponent=65537, key_size=2048)


# --------------------------------------------------------------------------
# Talking to the provider


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def location_params(self) -> dict[str, str]:
        query = parse_qs(urlsplit(self.headers["Location"]).query)
        return {name: values[0] for name, values in query.items()}


class Provider:
    """One provider process. Stops it on close and insists it exits 0."""

    def __init__(self, tmp: Path, *args: str):
        self.stderr_path = tmp / f"provider-{uuid.uuid4().hex[:8]}.log"
        self.stderr = self.stderr_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, str(PROVIDER), "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        line = self._read_line()
        assert line.startswith("READY http://127.0.0.1:"), (line, self.log())
        self.url = line.split(" ", 1)[1].rstrip("\n")
        split = urlsplit(self.url)
        self.host, self.port = split.hostname, split.port

    def _read_line(self) -> str:
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        if not selector.select(READY_TIMEOUT):
            self.process.kill()
            raise AssertionError(f"no READY line in {READY_TIMEOUT} s: {self.log()}")
        return self.process.stdout.readline()

    def log(self) -> str:
        if not self.stderr.closed:
            self.stderr.flush()
        return self.stderr_path.read_text()

    def stop(self, signum: int = signal.SIGTERM) -> tuple[int, str]:
        """Stops the process; returns its exit code and what else it printed."""
        self.process.send_signal(signum)
        rest, _ = self.process.communicate(timeout=10)
        self.stderr.close()
        return self.process.returncode, rest

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Response:
        # http.client follows no redirects: the tests look at each one.
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            answer = connection.getresponse()
            return Response(answer.status, answer.headers, answer.read())
        finally:
            connection.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def admin(self, path: str, body: Any = None, expect: int = 200) -> Any:
        response = self.request("POST", "/admin/" + path, json.dumps(body or {}).encode(),
                                {"Content-Type": "application/json"})
        assert response.status == expect, response.text
        return response.json()

    def form(self, path: str, fields: dict[str, str]) -> Response:
        return self.request("POST", path, urlencode(fields).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def stats(self) -> dict[str, int]:
        return self.get("/admin/stats").json()

    def jwks(self) -> dict[str, Any]:
        response = self.get("/jwks")
        assert response.status == 200
        return response.json()


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """Shared by the tests that only add clients and users of their own."""
    process = Provider(tmp_path_factory.mktemp("shared"), "--quiet")
    yield process
    code, _ = process.stop()
    assert code == 0, process.log()


@pytest.fixture
def fresh(tmp_path):
    """A provider of the test's own, for tests that change global state
    (keys, settings, outages, stats, next-login)."""
    process = Provider(tmp_path, "--quiet")
    yield process
    code, _ = process.stop()
    assert code == 0, process.log()


# --------------------------------------------------------------------------
# A relying party, as small as it can be


def public_jwk(private_key, kid: str) -> dict[str, Any]:
    if isinstance(private_key, rsa.RSAPrivateKey):
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
        return {**jwk, "kid": kid, "alg": "RS256", "use": "sig"}
    jwk = jwt.algorithms.ECAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
    return {**jwk, "kid": kid, "alg": "ES256", "use": "sig"}


@dataclass
class Client:
    client_id: str
    redirect_uri: str
    key: Any
    kid: str
    alg: str
    logout_uri: str


def register_client(provider: Provider, key=CLIENT_RSA, **fields) -> Client:
    client_id = f"client-{uuid.uuid4().hex[:8]}"
    alg = "RS256" if isinstance(key, rsa.RSAPrivateKey) else "ES256"
    kid = f"{client_id}-key"
    body = {"client_id": client_id, "jwks": {"keys": [public_jwk(key, kid)]},
            "redirect_uris": [f"http://app.test/{client_id}/callback"],
            "post_logout_redirect_uris": [f"http://app.test/{client_id}/signed-out"],
            **fields}
    provider.admin("clients", body)
    return Client(client_id, body["redirect_uris"][0], key, kid, alg,
                  (body["post_logout_redirect_uris"] or [""])[0])


def register_user(provider: Provider, **fields) -> dict[str, Any]:
    sub = f"user-{uuid.uuid4().hex[:8]}"
    body = {"sub": sub, "name": "Kari Nordmann",
            "claims": {"varde_role": "nurse", "varde_teams": [str(uuid.uuid4())]}, **fields}
    provider.admin("users", body)
    return body


def pkce_pair() -> tuple[str, str]:
    verifier = base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
    challenge = base64.urlsafe_b64encode(
        hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize_params(client: Client, challenge: str, **overrides) -> dict[str, str]:
    params = {"response_type": "code", "client_id": client.client_id,
              "redirect_uri": client.redirect_uri, "scope": "openid profile",
              "state": "state-" + uuid.uuid4().hex, "nonce": "nonce-" + uuid.uuid4().hex,
              "code_challenge": challenge, "code_challenge_method": "S256", **overrides}
    return {name: value for name, value in params.items() if value is not None}


def authorize(provider: Provider, params: dict[str, str]) -> Response:
    return provider.get("/authorize?" + urlencode(params))


@dataclass
class Login:
    code: str
    verifier: str
    params: dict[str, str]


def sign_in(provider: Provider, client: Client, sub: str, **overrides) -> Login:
    """The code flow up to the code, with the sign-in page skipped."""
    verifier, challenge = pkce_pair()
    params = authorize_params(client, challenge, **overrides)
    provider.admin("next-login", {"sub": sub})
    response = authorize(provider, params)
    assert response.status == 302, response.text
    return Login(response.location_params()["code"], verifier, params)


def now() -> int:
    return int(time.time())


def client_assertion(provider: Provider, client: Client, key=None, header=None,
                     **overrides) -> str:
    claims = {"iss": client.client_id, "sub": client.client_id,
              "aud": provider.url + "/token", "iat": now(), "exp": now() + 60,
              "jti": uuid.uuid4().hex, **overrides}
    claims = {name: value for name, value in claims.items() if value is not None}
    return jwt.encode(claims, key or client.key, algorithm=client.alg,
                      headers={"kid": client.kid, **(header or {})})


def token_fields(provider: Provider, client: Client, login: Login, **overrides) -> dict:
    fields = {"grant_type": "authorization_code", "code": login.code,
              "redirect_uri": client.redirect_uri, "code_verifier": login.verifier,
              "client_id": client.client_id, "client_assertion_type": ASSERTION_TYPE,
              "client_assertion": client_assertion(provider, client), **overrides}
    return {name: value for name, value in fields.items() if value is not None}


def redeem(provider: Provider, client: Client, login: Login, **overrides) -> Response:
    return provider.form("/token", token_fields(provider, client, login, **overrides))


def assert_oauth_error(response: Response, error: str, status: int = 400) -> None:
    assert (response.status, response.json()["error"]) == (status, error), response.text
    assert response.headers["Cache-Control"] == "no-store"


def verify(provider: Provider, token: str, audience: Any) -> dict[str, Any]:
    """Verifies a token the way a relying party does: by kid from /jwks."""
    header = jwt.get_unverified_header(token)
    keys = {k["kid"]: jwt.PyJWK(k) for k in provider.jwks()["keys"]}
    key = keys[header["kid"]]
    return jwt.decode(token, key.key, algorithms=[key.algorithm_name], audience=audience,
                      issuer=provider.url)


@pytest.fixture
def client(provider) -> Client:
    return register_client(provider)


@pytest.fixture
def user(provider) -> dict[str, Any]:
    return register_user(provider)


# --------------------------------------------------------------------------
# Process


def test_ready_line_is_the_only_stdout_and_sigterm_stops_cleanly(tmp_path):
    process = Provider(tmp_path)  # not --quiet: requests are logged to stderr
    assert process.get("/.well-known/openid-configuration").json()["issuer"] == process.url
    assert not process.url.endswith("/")
    code, rest_of_stdout = process.stop(signal.SIGTERM)
    assert code == 0
    assert rest_of_stdout == ""
    assert "GET /.well-known/openid-configuration" in process.log()


def test_sigint_stops_cleanly(tmp_path):
    process = Provider(tmp_path, "--quiet")
    code, _ = process.stop(signal.SIGINT)
    assert code == 0
    assert "openid-configuration" not in process.log()


def test_config_file_registers_clients_users_and_audience(tmp_path):
    client_jwk = public_jwk(CLIENT_RSA, "configured-key")
    config = {"clients": [{"client_id": "configured", "jwks": {"keys": [client_jwk]},
                           "redirect_uris": ["http://app.test/cb"]}],
              "users": [{"sub": "u1", "name": "Ola Nordmann",
                         "claims": {"varde_role": "clinician"}}],
              "audience": "configured-api"}
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    process = Provider(tmp_path, "--quiet", "--config", str(path))
    try:
        client = Client("configured", "http://app.test/cb", CLIENT_RSA, "configured-key",
                        "RS256", "")
        response = redeem(process, client, sign_in(process, client, "u1"))
        assert response.status == 200, response.text
        claims = verify(process, response.json()["access_token"], "configured-api")
        assert (claims["sub"], claims["varde_role"]) == ("u1", "clinician")
    finally:
        assert process.stop()[0] == 0


def test_bad_config_file_fails_start_with_a_message(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"users": [{"sub": "u1"}]}))  # no name
    result = subprocess.run([sys.executable, str(PROVIDER), "--port", "0", "--config", str(path)],
                            capture_output=True, text=True, timeout=20)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "name must be a string" in result.stderr


def test_state_file_keeps_keys_clients_and_users_across_restarts(tmp_path):
    state = tmp_path / "state.json"
    first = Provider(tmp_path, "--quiet", "--state-file", str(state))
    client = register_client(first)
    user = register_user(first)
    first.admin("rotate", {"alg": "ES256"})
    kids = {k["kid"] for k in first.jwks()["keys"]}
    assert first.stop()[0] == 0
    assert stat.S_IMODE(state.stat().st_mode) == 0o600  # it holds private keys

    second = Provider(tmp_path, "--quiet", "--state-file", str(state))
    try:
        assert {k["kid"] for k in second.jwks()["keys"]} == kids
        response = redeem(second, client, sign_in(second, client, user["sub"]))
        assert response.status == 200, response.text
        assert jwt.get_unverified_header(response.json()["id_token"])["alg"] == "ES256"
    finally:
        assert second.stop()[0] == 0


# --------------------------------------------------------------------------
# Discovery and keys


def test_discovery_document(provider):
    response = provider.get("/.well-known/openid-configuration")
    assert response.status == 200
    assert response.headers["Content-Type"] == "application/json"
    document = response.json()
    url = provider.url
    expected = {
        "issuer": url, "authorization_endpoint": url + "/authorize",
        "token_endpoint": url + "/token", "jwks_uri": url + "/jwks",
        "end_session_endpoint": url + "/logout",
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ["RS256", "ES256"],
        "id_token_signing_alg_values_supported": ["RS256", "ES256"],
        "subject_types_supported": ["public"],
        "authorization_response_iss_parameter_supported": True,
    }
    assert {name: document.get(name) for name in expected} == expected
    assert "openid" in document["scopes_supported"]


def test_jwks_publishes_one_public_rsa_key_at_start(fresh):
    keys = fresh.jwks()["keys"]
    assert len(keys) == 1
    key = keys[0]
    assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig")
    assert set(key) == {"kty", "n", "e", "kid", "alg", "use"}  # nothing private
    assert jwt.PyJWK(key).key.key_size == 2048


# --------------------------------------------------------------------------
# /authorize


class FormParser(HTMLParser):
    """Collects what a browser user (and Selenium) sees of the sign-in page."""

    def __init__(self):
        super().__init__()
        self.inputs: list[dict[str, str]] = []
        self.labels: dict[str, str] = {}
        self.buttons: list[str] = []
        self.h1 = ""
        self.form: dict[str, str] = {}
        self._label_for: str | None = None
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input":
            self.inputs.append(attrs)
        elif tag == "form":
            self.form = attrs
        elif tag == "label":
            self._label_for = attrs.get("for")
            self.labels[self._label_for] = ""
        elif tag in ("button", "h1"):
            self._in = tag
            if tag == "button":
                self.buttons.append("")

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_for = None
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._label_for is not None:
            self.labels[self._label_for] += data
        if self._in == "button":
            self.buttons[-1] += data
        elif self._in == "h1":
            self.h1 += data


def test_sign_in_page_lists_users_and_posting_it_signs_in(provider, client):
    nurse = register_user(provider, name="Kari Nordmann <sykepleier>")
    verifier, challenge = pkce_pair()
    params = authorize_params(client, challenge, state='s"&<x>')
    response = authorize(provider, params)
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"

    page = FormParser()
    page.feed(response.text)
    assert page.h1 == "Test identity provider — not HelseID"
    assert page.buttons == ["Logg inn"]
    assert (page.form["method"], page.form["action"]) == ("post", "/authorize")
    hidden = {i["name"]: i["value"] for i in page.inputs if i["type"] == "hidden"}
    assert hidden == params  # escaped in HTML, intact once parsed
    radios = {i["value"]: page.labels[i["id"]].strip() for i in page.inputs if i["type"] == "radio"}
    assert radios[nurse["sub"]] == "Kari Nordmann <sykepleier> (nurse)"

    posted = provider.form("/authorize", {**hidden, "sub": nurse["sub"]})
    assert posted.status == 303
    location = posted.headers["Location"]
    assert location.startswith(client.redirect_uri + "?")
    answer = posted.location_params()
    assert answer["state"] == 's"&<x>'
    assert answer["iss"] == provider.url
    token = redeem(provider, client, Login(answer["code"], verifier, params))
    assert token.status == 200, token.text
    assert verify(provider, token.json()["id_token"], client.client_id)["sub"] == nurse["sub"]


def test_posting_an_unknown_user_is_access_denied(provider, client):
    _, challenge = pkce_pair()
    params = authorize_params(client, challenge)
    response = provider.form("/authorize", {**params, "sub": "nobody"})
    assert response.status == 303
    assert response.location_params()["error"] == "access_denied"


def test_redirect_uri_query_is_kept(provider, user):
    client = register_client(provider, redirect_uris=["http://app.test/cb?tenant=a"])
    login = sign_in(provider, client, user["sub"])
    response = redeem(provider, client, login)
    assert response.status == 200, response.text


@pytest.mark.parametrize("change, why", [
    ({"client_id": "unknown-client"}, "unknown client"),
    ({"client_id": None}, "no client"),
    ({"redirect_uri": "http://evil.test/callback"}, "unregistered redirect URI"),
    ({"redirect_uri": None}, "no redirect URI"),
])
def test_untrusted_redirect_gets_a_page_not_a_redirect(provider, client, change, why):
    _, challenge = pkce_pair()
    response = authorize(provider, authorize_params(client, challenge, **change))
    assert response.status == 400, why
    assert "Location" not in response.headers
    assert "invalid_request" in response.text


def test_redirect_uri_must_match_exactly(provider, client):
    _, challenge = pkce_pair()
    for variant in (client.redirect_uri + "/", client.redirect_uri.upper(),
                    client.redirect_uri + "?x=1"):
        response = authorize(provider, authorize_params(client, challenge, redirect_uri=variant))
        assert response.status == 400, variant


@pytest.mark.parametrize("change, error", [
    ({"response_type": "token"}, "unsupported_response_type"),
    ({"response_type": None}, "unsupported_response_type"),
    ({"scope": "profile"}, "invalid_scope"),
    ({"code_challenge": None}, "invalid_request"),
    ({"code_challenge_method": "plain"}, "invalid_request"),
    ({"code_challenge_method": None}, "invalid_request"),
    ({"code_challenge": "short"}, "invalid_request"),
    ({"nonce": None}, "invalid_request"),
])
def test_invalid_request_is_redirected_with_error_state_and_iss(provider, client, change, error):
    _, challenge = pkce_pair()
    params = authorize_params(client, challenge, **change)
    response = authorize(provider, params)
    assert response.status == 302, response.text
    assert response.headers["Location"].startswith(client.redirect_uri + "?")
    answer = response.location_params()
    assert answer["error"] == error
    assert answer["state"] == params["state"]
    assert answer["iss"] == provider.url
    assert "code" not in answer


def test_missing_state_is_refused(provider, client):
    _, challenge = pkce_pair()
    response = authorize(provider, authorize_params(client, challenge, state=None))
    assert response.status == 302
    answer = response.location_params()
    assert answer["error"] == "invalid_request"
    assert "state" not in answer


def test_repeated_parameter_is_refused(provider, client):
    _, challenge = pkce_pair()
    query = urlencode(authorize_params(client, challenge)) + "&scope=openid"
    response = provider.get("/authorize?" + query)
    assert response.location_params()["error"] == "invalid_request"


def test_next_login_skips_the_page_once(fresh):
    client, user = register_client(fresh), register_user(fresh)
    _, challenge = pkce_pair()
    fresh.admin("next-login", {"sub": user["sub"]})
    first = authorize(fresh, authorize_params(client, challenge))
    assert first.status == 302
    assert "code" in first.location_params()
    second = authorize(fresh, authorize_params(client, challenge))
    assert second.status == 200
    assert "Logg inn" in second.text


def test_next_login_is_not_spent_by_an_invalid_request(fresh):
    client, user = register_client(fresh), register_user(fresh)
    _, challenge = pkce_pair()
    fresh.admin("next-login", {"sub": user["sub"]})
    refused = authorize(fresh, authorize_params(client, challenge, nonce=None))
    assert refused.location_params()["error"] == "invalid_request"
    accepted = authorize(fresh, authorize_params(client, challenge))
    assert "code" in accepted.location_params()


def test_next_login_can_be_cleared_and_refuses_unknown_users(fresh):
    client, user = register_client(fresh), register_user(fresh)
    fresh.admin("next-login", {"sub": "nobody"}, expect=404)
    fresh.admin("next-login", {"sub": user["sub"]})
    fresh.admin("next-login", {"sub": None})
    _, challenge = pkce_pair()
    assert authorize(fresh, authorize_params(client, challenge)).status == 200


# --------------------------------------------------------------------------
# /token: success


def test_code_exchange_returns_signed_access_and_id_tokens(provider, client, user):
    login = sign_in(provider, client, user["sub"])
    before = int(time.time())
    response = redeem(provider, client, login)
    assert response.status == 200, response.text
    assert response.headers["Cache-Control"] == "no-store"
    body = response.json()
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 300)

    current_kid = provider.jwks()["keys"][-1]["kid"]
    access_header = jwt.get_unverified_header(body["access_token"])
    assert (access_header["typ"], access_header["kid"], access_header["alg"]) == (
        "at+jwt", current_kid, "RS256")
    access = verify(provider, body["access_token"], "varde-api")
    assert access["iss"] == provider.url
    assert access["sub"] == user["sub"]
    assert access["aud"] == "varde-api"
    assert access["client_id"] == client.client_id
    assert access["scope"] == "openid profile"
    assert access["exp"] - access["iat"] == 300
    assert access["iat"] >= before
    assert access["jti"]
    assert access["name"] == user["name"]
    assert access["varde_role"] == "nurse"
    assert access["varde_teams"] == user["claims"]["varde_teams"]

    assert jwt.get_unverified_header(body["id_token"])["typ"] == "JWT"
    id_token = verify(provider, body["id_token"], client.client_id)
    assert id_token["aud"] == client.client_id
    assert id_token["nonce"] == login.params["nonce"]
    assert before - 5 <= id_token["auth_time"] <= id_token["iat"]
    assert id_token["name"] == user["name"]
    assert id_token["varde_role"] == "nurse"


def test_each_access_token_has_its_own_jti(provider, client, user):
    tokens = [redeem(provider, client, sign_in(provider, client, user["sub"])).json()
              for _ in range(2)]
    jtis = {jwt.decode(t["access_token"], options={"verify_signature": False})["jti"]
            for t in tokens}
    assert len(jtis) == 2


def test_es256_client_key_and_issuer_audience_are_accepted(provider, user):
    client = register_client(provider, key=CLIENT_EC)
    login = sign_in(provider, client, user["sub"])
    response = redeem(provider, client, login, client_assertion=client_assertion(
        provider, client, aud=provider.url))
    assert response.status == 200, response.text


def test_client_id_field_is_optional(provider, client, user):
    response = redeem(provider, client, sign_in(provider, client, user["sub"]), client_id=None)
    assert response.status == 200, response.text


# --------------------------------------------------------------------------
# /token: the grant


def test_code_is_single_use(provider, client, user):
    login = sign_in(provider, client, user["sub"])
    assert redeem(provider, client, login).status == 200
    assert_oauth_error(redeem(provider, client, login), "invalid_grant")


def test_expired_code_is_refused(fresh):
    client, user = register_client(fresh), register_user(fresh)
    login = sign_in(fresh, client, user["sub"])
    assert fresh.admin("expire-codes") == {"expired": 1}
    assert_oauth_error(redeem(fresh, client, login), "invalid_grant")


def test_code_ttl_setting_applies(fresh):
    client, user = register_client(fresh), register_user(fresh)
    fresh.admin("settings", {"code_ttl": 1})
    login = sign_in(fresh, client, user["sub"])
    time.sleep(1.1)
    assert_oauth_error(redeem(fresh, client, login), "invalid_grant")


@pytest.mark.parametrize("change", [
    {"code_verifier": "x" * 43},
    {"redirect_uri": "http://app.test/other"},
    {"code": "not-a-code"},
])
def test_wrong_grant_details_are_invalid_grant(provider, client, user, change):
    login = sign_in(provider, client, user["sub"])
    assert_oauth_error(redeem(provider, client, login, **change), "invalid_grant")


def test_a_failed_redemption_spends_the_code(provider, client, user):
    login = sign_in(provider, client, user["sub"])
    assert_oauth_error(redeem(provider, client, login, code_verifier="y" * 43), "invalid_grant")
    assert_oauth_error(redeem(provider, client, login), "invalid_grant")


def test_code_of_another_client_is_refused(provider, user):
    owner, thief = register_client(provider), register_client(provider)
    login = sign_in(provider, owner, user["sub"])
    assert_oauth_error(redeem(provider, thief, login, redirect_uri=owner.redirect_uri),
                       "invalid_grant")


@pytest.mark.parametrize("missing", ["code", "redirect_uri", "code_verifier"])
def test_missing_grant_parameter_is_invalid_request(provider, client, user, missing):
    login = sign_in(provider, client, user["sub"])
    assert_oauth_error(redeem(provider, client, login, **{missing: None}), "invalid_request")
    # Nothing was spent: the same code still works.
    assert redeem(provider, client, login).status == 200


def test_short_code_verifier_is_invalid_request(provider, client, user):
    login = sign_in(provider, client, user["sub"])
    assert_oauth_error(redeem(provider, client, login, code_verifier="abc"), "invalid_request")


def test_grant_type_is_checked(provider, client, user):
    login = sign_in(provider, client, user["sub"])
    assert_oauth_error(redeem(provider, client, login, grant_type="client_credentials"),
                       "unsupported_grant_type")
    assert_oauth_error(redeem(provider, client, login, grant_type=None), "invalid_request")


def test_token_needs_a_form_body(provider, client, user):
    login = sign_in(provider, client, user["sub"])
    fields = token_fields(provider, client, login)
    for body, content_type in ((json.dumps(fields), "application/json"),
                               (urlencode(fields), "text/plain")):
        response = provider.request("POST", "/token", body.encode(),
                                    {"Content-Type": content_type})
        assert_oauth_error(response, "invalid_request")
    assert provider.get("/token").status == 405


# --------------------------------------------------------------------------
# /token: client authentication (private_key_jwt)


@pytest.mark.parametrize("change, why", [
    ({"client_assertion": None}, "no assertion"),
    ({"client_assertion_type": None}, "no assertion type"),
    ({"client_assertion_type": "urn:other"}, "wrong assertion type"),
    ({"client_assertion": "not-a-jwt"}, "not a JWT"),
])
def test_client_must_authenticate_with_private_key_jwt(provider, client, user, change, why):
    login = sign_in(provider, client, user["sub"])
    assert_oauth_error(redeem(provider, client, login, **change), "invalid_client", 401)


@pytest.mark.parametrize("assertion_change, why", [
    ({"key": STRANGER_RSA}, "signed with an unregistered key"),
    ({"header": {"kid": "other-kid"}}, "unknown kid"),
    ({"aud": "http://elsewhere.test/token"}, "wrong audience"),
    ({"aud": None}, "no audience"),
    ({"sub": "someone-else"}, "sub differs from iss"),
    ({"exp": "past"}, "expired"),
    ({"exp": "far"}, "lives longer than 5 minutes"),
    ({"exp": None}, "no exp"),
    ({"jti": None}, "no jti"),
])
def test_bad_client_assertion_is_invalid_client(provider, client, user, assertion_change, why):
    login = sign_in(provider, client, user["sub"])
    exp = {"past": now() - 30, "far": now() + 600}.get(assertion_change.get("exp"), "keep")
    if exp != "keep":
        assertion_change = {**assertion_change, "exp": exp}
    assertion = client_assertion(provider, client, **assertion_change)
    response = redeem(provider, client, login, client_assertion=assertion)
    assert_oauth_error(response, "invalid_client", 401)
    # The code survives a failed client authentication.
    assert redeem(provider, client, login).status == 200, why


def test_assertion_just_under_five_minutes_is_accepted(provider, client, user):
    login = sign_in(provider, client, user["sub"])
    assertion = client_assertion(provider, client, exp=now() + 295)
    assert redeem(provider, client, login, client_assertion=assertion).status == 200


def test_hmac_signed_assertion_is_refused(provider, client, user):
    login = sign_in(provider, client, user["sub"])
    claims = jwt.decode(client_assertion(provider, client), options={"verify_signature": False})
    forged = jwt.encode(claims, "a-shared-secret-of-sufficient-length!!", algorithm="HS256",
                        headers={"kid": client.kid})
    assert_oauth_error(redeem(provider, client, login, client_assertion=forged),
                       "invalid_client", 401)


def test_assertion_jti_cannot_be_replayed(provider, client, user):
    assertion = client_assertion(provider, client)
    first = sign_in(provider, client, user["sub"])
    assert redeem(provider, client, first, client_assertion=assertion).status == 200
    second = sign_in(provider, client, user["sub"])
    assert_oauth_error(redeem(provider, client, second, client_assertion=assertion),
                       "invalid_client", 401)


def test_client_id_must_match_the_assertion(provider, user):
    client, other = register_client(provider), register_client(provider)
    login = sign_in(provider, client, user["sub"])
    assert_oauth_error(redeem(provider, client, login, client_id=other.client_id),
                       "invalid_client", 401)


def test_unknown_client_is_invalid_client(provider, client, user):
    login = sign_in(provider, client, user["sub"])
    ghost = Client("ghost", client.redirect_uri, client.key, client.kid, "RS256", "")
    assert_oauth_error(redeem(provider, ghost, login), "invalid_client", 401)


def test_replacing_a_client_replaces_its_keys(provider, user):
    client = register_client(provider)
    login = sign_in(provider, client, user["sub"])
    provider.admin("clients", {"client_id": client.client_id,
                               "jwks": {"keys": [public_jwk(CLIENT_EC, "new")]},
                               "redirect_uris": [client.redirect_uri]})
    assert_oauth_error(redeem(provider, client, login), "invalid_client", 401)
    rotated = Client(client.client_id, client.redirect_uri, CLIENT_EC, "new", "ES256", "")
    assert redeem(provider, rotated, login).status == 200


# --------------------------------------------------------------------------
# Settings


def test_settings_change_audience_and_lifetimes(fresh):
    client, user = register_client(fresh), register_user(fresh)
    settings = fresh.admin("settings", {"audience": "other-api", "access_token_ttl": 60,
                                        "id_token_ttl": 120})
    assert settings == {"audience": "other-api", "access_token_ttl": 60, "id_token_ttl": 120,
                        "code_ttl": 60}
    body = redeem(fresh, client, sign_in(fresh, client, user["sub"])).json()
    assert body["expires_in"] == 60
    access = verify(fresh, body["access_token"], "other-api")
    assert access["exp"] - access["iat"] == 60
    id_token = verify(fresh, body["id_token"], client.client_id)
    assert id_token["exp"] - id_token["iat"] == 120
    minted = verify(fresh, fresh.admin("token", {"claims": {"sub": "s"}})["token"], "other-api")
    assert minted["exp"] - minted["iat"] == 60


@pytest.mark.parametrize("bad", [{"access_token_ttl": 0}, {"code_ttl": "60"},
                                 {"audience": ""}, {"colour": "blue"}])
def test_invalid_settings_are_refused_whole(fresh, bad):
    fresh.admin("settings", {"id_token_ttl": 100, **bad}, expect=400)
    assert fresh.admin("settings", {})["id_token_ttl"] == 300


# --------------------------------------------------------------------------
# /admin/token


def decode_unverified(token: str) -> tuple[dict, dict]:
    return jwt.get_unverified_header(token), jwt.decode(token, options={"verify_signature": False})


def test_minted_token_defaults_match_token_endpoint(provider):
    token = provider.admin("token", {"claims": {"sub": "s1", "varde_role": "admin"}})["token"]
    header = jwt.get_unverified_header(token)
    assert header["typ"] == "at+jwt"
    claims = verify(provider, token, "varde-api")
    assert claims["iss"] == provider.url
    assert claims["exp"] - claims["iat"] == 300
    assert (claims["sub"], claims["varde_role"]) == ("s1", "admin")
    assert claims["jti"]


def test_minted_token_claims_can_be_replaced_and_removed(provider):
    token = provider.admin("token", {"claims": {"iss": "http://other.test", "aud": None,
                                                "sub": 42}})["token"]
    _, claims = decode_unverified(token)
    assert claims["iss"] == "http://other.test"
    assert claims["sub"] == 42
    assert "aud" not in claims


@pytest.mark.parametrize("typ, expected", [("JWT", "JWT"), (None, None), ("at+jwt", "at+jwt")])
def test_minted_token_typ(provider, typ, expected):
    header, _ = decode_unverified(provider.admin("token", {"typ": typ})["token"])
    assert header.get("typ") == expected


def test_minted_token_kid_override(provider):
    header, _ = decode_unverified(provider.admin("token", {"kid": "made-up"})["token"])
    assert header["kid"] == "made-up"
    header, _ = decode_unverified(provider.admin("token", {"kid": None})["token"])
    assert "kid" not in header


def test_minted_token_with_negative_ttl_is_expired(provider):
    token = provider.admin("token", {"ttl": -60})["token"]
    with pytest.raises(jwt.ExpiredSignatureError):
        verify(provider, token, "varde-api")


def test_minted_token_with_unpublished_key(fresh):
    answer = fresh.admin("token", {"sign_with": "unpublished"})
    header, _ = decode_unverified(answer["token"])
    assert header["kid"] == answer["kid"]
    assert answer["kid"] not in {k["kid"] for k in fresh.jwks()["keys"]}
    # The same unpublished key each time, so a test can count refreshes.
    assert fresh.admin("token", {"sign_with": "unpublished"})["kid"] == answer["kid"]


def test_minted_token_with_retired_key(fresh):
    old_kid = fresh.jwks()["keys"][0]["kid"]
    fresh.admin("token", {"sign_with": "retired"}, expect=409)  # nothing retired yet
    old_key = jwt.PyJWK(fresh.jwks()["keys"][0]).key
    fresh.admin("rotate", {"retire_old": True})
    token = fresh.admin("token", {"sign_with": "retired"})["token"]
    assert jwt.get_unverified_header(token)["kid"] == old_kid
    assert old_kid not in {k["kid"] for k in fresh.jwks()["keys"]}
    assert jwt.decode(token, old_key, algorithms=["RS256"], audience="varde-api")


def test_minted_token_alg_none_and_hs256_confusion(fresh):
    none = fresh.admin("token", {"alg": "none"})["token"]
    header, _ = decode_unverified(none)
    assert header["alg"] == "none"
    assert none.endswith(".")

    confused = fresh.admin("token", {"alg": "HS256"})["token"]
    header, _ = decode_unverified(confused)
    assert header["alg"] == "HS256"
    public_key = jwt.PyJWK(fresh.jwks()["keys"][0]).key
    pem = public_key.public_bytes(serialization.Encoding.PEM,
                                  serialization.PublicFormat.SubjectPublicKeyInfo)
    signing_input, signature = confused.rsplit(".", 1)
    expected = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()
    assert base64.urlsafe_b64decode(signature + "==") == expected


def test_minted_token_alg_picks_a_published_key_of_that_alg(fresh):
    fresh.admin("token", {"alg": "ES256"}, expect=409)
    es_kid = fresh.admin("rotate", {"alg": "ES256"})["kid"]
    rs = fresh.admin("token", {"alg": "RS256"})["token"]
    es = fresh.admin("token", {})["token"]
    assert jwt.get_unverified_header(rs)["alg"] == "RS256"
    assert jwt.get_unverified_header(es)["kid"] == es_kid
    verify(fresh, rs, "varde-api")
    verify(fresh, es, "varde-api")


def test_mint_token_refuses_unknown_fields(provider):
    provider.admin("token", {"claim": {}}, expect=400)
    provider.admin("token", {"sign_with": "stolen"}, expect=400)


# --------------------------------------------------------------------------
# Rotation


def test_rotate_publishes_new_key_and_signs_with_it(fresh):
    client, user = register_client(fresh), register_user(fresh)
    old_kid = fresh.jwks()["keys"][0]["kid"]
    answer = fresh.admin("rotate", {})
    assert answer["alg"] == "RS256"
    assert answer["published"] == [old_kid, answer["kid"]]
    assert [k["kid"] for k in fresh.jwks()["keys"]] == [old_kid, answer["kid"]]
    body = redeem(fresh, client, sign_in(fresh, client, user["sub"])).json()
    assert jwt.get_unverified_header(body["access_token"])["kid"] == answer["kid"]
    assert jwt.get_unverified_header(body["id_token"])["kid"] == answer["kid"]


def test_rotate_with_retire_old_unpublishes_previous_keys(fresh):
    fresh.admin("rotate", {})
    newest = fresh.admin("rotate", {"retire_old": True})
    assert [k["kid"] for k in fresh.jwks()["keys"]] == [newest["kid"]]


def test_rotate_to_es256(fresh):
    client, user = register_client(fresh), register_user(fresh)
    answer = fresh.admin("rotate", {"alg": "ES256", "retire_old": True})
    keys = fresh.jwks()["keys"]
    assert [(k["kty"], k["crv"], k["alg"]) for k in keys] == [("EC", "P-256", "ES256")]
    body = redeem(fresh, client, sign_in(fresh, client, user["sub"])).json()
    header = jwt.get_unverified_header(body["access_token"])
    assert (header["alg"], header["kid"]) == ("ES256", answer["kid"])
    verify(fresh, body["access_token"], "varde-api")


def test_rotate_refuses_unknown_alg(fresh):
    fresh.admin("rotate", {"alg": "HS256"}, expect=400)
    assert len(fresh.jwks()["keys"]) == 1


# --------------------------------------------------------------------------
# Outage and stats


def test_outage_makes_every_public_endpoint_503_but_admin_works(fresh):
    client, user = register_client(fresh), register_user(fresh)
    login = sign_in(fresh, client, user["sub"])
    fresh.admin("outage", {"down": True})
    for path in ("/.well-known/openid-configuration", "/jwks", "/authorize", "/logout",
                 "/no-such-path"):
        assert fresh.get(path).status == 503, path
    assert redeem(fresh, client, login).status == 503
    assert fresh.admin("token", {})["token"]
    fresh.admin("outage", {"down": False})
    assert fresh.get("/jwks").status == 200
    assert redeem(fresh, client, login).status == 200


def test_stats_count_requests_per_endpoint_even_during_outage(fresh):
    assert fresh.stats() == {"discovery": 0, "jwks": 0, "authorize": 0, "token": 0,
                             "logout": 0}
    fresh.get("/.well-known/openid-configuration")
    for _ in range(3):
        fresh.get("/jwks")
    fresh.admin("outage", {"down": True})
    fresh.get("/jwks")
    fresh.form("/token", {})
    fresh.admin("outage", {"down": False})
    fresh.get("/authorize")
    fresh.get("/logout")
    fresh.admin("token", {})  # admin calls are not counted
    assert fresh.stats() == {"discovery": 1, "jwks": 4, "authorize": 1, "token": 1,
                             "logout": 1}


# --------------------------------------------------------------------------
# /logout


def test_logout_redirects_to_a_registered_uri(provider, client, user):
    response = provider.get("/logout?" + urlencode({
        "client_id": client.client_id, "post_logout_redirect_uri": client.logout_uri,
        "state": "bye"}))
    assert response.status == 302
    assert response.headers["Location"] == client.logout_uri + "?state=bye"


def test_logout_finds_the_client_from_an_expired_id_token_hint(provider, client):
    id_token = provider.admin("token", {"claims": {"aud": client.client_id, "sub": "s"},
                                        "typ": "JWT", "ttl": -60})["token"]
    response = provider.get("/logout?" + urlencode({
        "id_token_hint": id_token, "post_logout_redirect_uri": client.logout_uri}))
    assert response.status == 302
    assert response.headers["Location"] == client.logout_uri


def test_logout_hint_signed_by_a_newer_key_is_accepted(fresh):
    client = register_client(fresh)
    fresh.admin("rotate", {"alg": "ES256"})
    hint = fresh.admin("token", {"claims": {"aud": client.client_id}, "typ": "JWT"})["token"]
    response = fresh.get("/logout?" + urlencode({
        "id_token_hint": hint, "post_logout_redirect_uri": client.logout_uri}))
    assert response.status == 302


def test_logout_refuses_unregistered_uri_and_foreign_hint(provider, client):
    other = register_client(provider)
    for params in (
        {"client_id": client.client_id, "post_logout_redirect_uri": "http://evil.test/"},
        {"client_id": client.client_id, "post_logout_redirect_uri": other.logout_uri},
        {"post_logout_redirect_uri": client.logout_uri},  # which client?
        {"post_logout_redirect_uri": client.logout_uri,
         "id_token_hint": jwt.encode({"aud": client.client_id, "iss": provider.url},
                                     STRANGER_RSA, algorithm="RS256", headers={"kid": "x"})},
    ):
        response = provider.get("/logout?" + urlencode(params))
        assert response.status == 400, params
        assert "Location" not in response.headers


def test_logout_without_uri_shows_a_page(provider):
    response = provider.get("/logout")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Location" not in response.headers


# --------------------------------------------------------------------------
# Admin API validation


@pytest.mark.parametrize("change, why", [
    ({"jwks": {"keys": [jwt.algorithms.ECAlgorithm.to_jwk(CLIENT_EC, as_dict=True)]}},
     "private key"),
    ({"jwks": {"keys": []}}, "no keys"),
    ({"jwks": {"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}}, "symmetric key"),
    ({"redirect_uris": ["http://app.test/cb#fragment"]}, "fragment"),
    ({"redirect_uris": ["/relative"]}, "relative"),
    ({"redirect_uris": []}, "none"),
    ({"client_id": ""}, "empty id"),
])
def test_admin_refuses_bad_clients(provider, change, why):
    body = {"client_id": "c", "jwks": {"keys": [public_jwk(CLIENT_EC, "k")]},
            "redirect_uris": ["http://app.test/cb"], **change}
    answer = provider.admin("clients", body, expect=400)
    assert answer["error"], why


def test_admin_protocol_errors(provider):
    assert provider.get("/admin/nothing").status == 404
    assert provider.get("/admin/clients").status == 405
    assert provider.request("POST", "/admin/users", b"{not json").status == 400
    assert provider.request("POST", "/admin/users", b"[]").status == 400
    provider.admin("users", {"sub": "x", "name": "X", "claims": []}, expect=400)
    provider.admin("outage", {"down": "yes"}, expect=400)
