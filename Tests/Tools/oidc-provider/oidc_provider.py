"""A local OpenID Connect provider for Varde's tests. Never for production.

It stands in for HelseID closely enough to exercise a relying party: the
authorization code flow with PKCE (S256 only), private_key_jwt client
authentication, RFC 9068 access tokens, RP-initiated logout, and an admin API
under /admin/ with which a test registers clients and users, mints tokens,
rotates keys and simulates outages.

    python oidc_provider.py --port 0 [--host 127.0.0.1] [--config FILE]
                            [--state-file PATH] [--quiet]

Once listening it prints one line, `READY http://127.0.0.1:<port>`, to stdout;
that URL is the issuer. Logs go to stderr. SIGTERM or SIGINT stops it.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import html
import json
import os
import re
import secrets
import signal
import socket
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

SIGNING_ALGS = ("RS256", "ES256")
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# RFC 7523 leaves the assertion lifetime to the server; HelseID refuses more
# than a few minutes, so a client that mints long-lived assertions fails here
# first. The tolerance (on exp, iat and nbf) absorbs clients that round times
# to whole seconds, so they do not fail at random.
ASSERTION_MAX_LIFETIME = 300
CLOCK_TOLERANCE = 5
# RFC 7636 §4.1: 43 to 128 characters from the unreserved set. An S256
# challenge (base64url of 32 bytes) has the same alphabet and length range.
PKCE_VALUE = re.compile(r"[A-Za-z0-9._~-]{43,128}")
# The required public members of each key type (RFC 7518 §6, RFC 7638 §3.2).
JWK_MEMBERS = {"RSA": ("kty", "n", "e"), "EC": ("kty", "crv", "x", "y")}
STAT_NAMES = ("discovery", "jwks", "authorize", "token", "logout")
MAX_BODY = 1 << 20
PAGE_TITLE = "Test identity provider — not HelseID"


# --------------------------------------------------------------------------
# Errors: each kind knows how the HTTP layer must present it.


class OAuthError(Exception):
    """A token endpoint error, answered as RFC 6749 §5.2 JSON."""

    def __init__(self, error: str, description: str, status: int = 400):
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


def invalid_client(description: str) -> OAuthError:
    return OAuthError("invalid_client", description, 401)


class AuthorizeError(Exception):
    """An /authorize error. RFC 6749 §4.1.2.1: with no trustworthy redirect URI
    (unknown client, unregistered or missing URI) the user sees a page, never
    a redirect, so the provider cannot be used as an open redirector."""

    def __init__(self, error: str, description: str, redirect_uri: str | None = None,
                 state: str | None = None):
        super().__init__(description)
        self.error, self.description = error, description
        self.redirect_uri, self.state = redirect_uri, state


class AdminError(Exception):
    """A refused admin call: answered as {"error": message} with `status`."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


# --------------------------------------------------------------------------
# Small helpers


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def pkce_s256(verifier: str) -> str:
    return b64url(hashlib.sha256(verifier.encode("ascii")).digest())


def add_query(uri: str, params: dict[str, str]) -> str:
    """Appends parameters to a URI that may already have a query (RFC 6749
    §3.1.2 lets a registered redirect URI carry one, and it must be kept)."""
    parts = urlsplit(uri)
    extra = urlencode(params)
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit(parts._replace(query=query))


def single_values(parsed: dict[str, list[str]]) -> tuple[dict[str, str], list[str]]:
    """Flattens parse_qs output; also returns the names sent more than once,
    which RFC 6749 §3.1 and §3.2 forbid."""
    repeated = sorted(name for name, values in parsed.items() if len(values) > 1)
    return {name: values[0] for name, values in parsed.items()}, repeated


def require(condition: bool, message: str) -> None:
    if not condition:
        raise AdminError(message)


def is_redirect_uri(value: Any) -> bool:
    """Absolute, without a fragment (RFC 6749 §3.1.2); custom schemes of
    native apps (no.example.app:/callback) are allowed."""
    if not isinstance(value, str) or "#" in value:
        return False
    parts = urlsplit(value)
    return bool(parts.scheme and (parts.netloc or parts.path))


def uri_list(body: dict, name: str, required: bool) -> list[str]:
    values = body.get(name, [])
    require(isinstance(values, list) and all(map(is_redirect_uri, values)),
            f"{name} must be a list of absolute URIs without fragments")
    require(bool(values) or not required, f"{name} must not be empty")
    return list(values)


# --------------------------------------------------------------------------
# Model


@dataclass
class SigningKey:
    """One of the provider's own keys. `kid` is the RFC 7638 thumbprint, so it
    is stable across a --state-file restart and unique without bookkeeping."""

    alg: str
    private_key: Any
    published: bool = True
    kid: str = ""

    def __post_init__(self) -> None:
        if not self.kid:
            self.kid = thumbprint(self.public_jwk(with_kid=False))

    @classmethod
    def generate(cls, alg: str, published: bool = True) -> SigningKey:
        if alg == "RS256":
            private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        elif alg == "ES256":
            private = ec.generate_private_key(ec.SECP256R1())
        else:
            raise AdminError(f"alg must be one of {', '.join(SIGNING_ALGS)}")
        return cls(alg=alg, private_key=private, published=published)

    def public_jwk(self, with_kid: bool = True) -> dict[str, Any]:
        algorithm = jwt.get_algorithm_by_name(self.alg)
        full = algorithm.to_jwk(self.private_key.public_key(), as_dict=True)
        # Only the key's own members: PyJWT adds key_ops, which RFC 7517 §4.3
        # says not to combine with the `use` given here.
        jwk = {name: full[name] for name in JWK_MEMBERS[full["kty"]]}
        if with_kid:
            jwk.update(kid=self.kid, use="sig", alg=self.alg)
        return jwk

    def public_pem(self) -> bytes:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    def sign(self, claims: dict[str, Any], header: dict[str, Any]) -> str:
        # The JWS layer, not jwt.encode: that one vets claims (iss must be a
        # string, ...), and /admin/token must be able to mint malformed ones.
        # PyJWT adds typ JWT unless told otherwise; None removes it.
        payload = json.dumps(claims, separators=(",", ":")).encode("utf-8")
        return jwt.api_jws.encode(payload, self.private_key, algorithm=self.alg,
                                  headers={"typ": None, **header})

    def to_state(self) -> dict[str, Any]:
        pem = self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())
        return {"alg": self.alg, "kid": self.kid, "published": self.published,
                "pem": pem.decode("ascii")}

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> SigningKey:
        private = serialization.load_pem_private_key(data["pem"].encode("ascii"), None)
        return cls(alg=data["alg"], private_key=private, published=data["published"],
                   kid=data["kid"])


def thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638: SHA-256 of the required members, sorted, without spaces."""
    canonical = json.dumps({name: jwk[name] for name in JWK_MEMBERS[jwk["kty"]]},
                           separators=(",", ":"), sort_keys=True)
    return b64url(hashlib.sha256(canonical.encode("utf-8")).digest())


def unsafe_token(header: dict[str, Any], claims: dict[str, Any], alg: str,
                 key: SigningKey) -> str:
    """Tokens no verifier may accept, built by hand because PyJWT rightly
    refuses to make them: `none` (no signature) and `HS256` keyed with the
    public key's PEM (the classic RS256/HS256 confusion attack)."""
    header = {**header, "alg": alg}
    signing_input = ".".join(
        b64url(json.dumps(part, separators=(",", ":")).encode("utf-8"))
        for part in (header, claims))
    signature = b""
    if alg == "HS256":
        signature = hmac.new(key.public_pem(), signing_input.encode("ascii"),
                             hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


@dataclass
class Client:
    client_id: str
    jwks: dict[str, Any]
    redirect_uris: list[str]
    post_logout_redirect_uris: list[str]
    keys: list[jwt.PyJWK] = field(default_factory=list)

    @classmethod
    def from_json(cls, body: Any) -> Client:
        require(isinstance(body, dict), "a client must be a JSON object")
        client_id = body.get("client_id")
        require(isinstance(client_id, str) and client_id != "", "client_id must be a string")
        jwks = body.get("jwks")
        require(isinstance(jwks, dict) and isinstance(jwks.get("keys"), list)
                and jwks["keys"], "jwks must be a JWKS object with a non-empty keys list")
        return cls(client_id=client_id, jwks=jwks,
                   redirect_uris=uri_list(body, "redirect_uris", required=True),
                   post_logout_redirect_uris=uri_list(body, "post_logout_redirect_uris",
                                                      required=False),
                   keys=[client_key(jwk) for jwk in jwks["keys"]])

    def to_state(self) -> dict[str, Any]:
        return {"client_id": self.client_id, "jwks": self.jwks,
                "redirect_uris": self.redirect_uris,
                "post_logout_redirect_uris": self.post_logout_redirect_uris}

    def keys_for(self, alg: str, kid: str | None) -> list[jwt.PyJWK]:
        return [key for key in self.keys
                if key.algorithm_name == alg and (kid is None or key.key_id == kid)]


def client_key(jwk: Any) -> jwt.PyJWK:
    # A private member here means a test leaked its private key into the
    # registration: refuse it rather than carry on with a muddled fixture.
    require(isinstance(jwk, dict) and "d" not in jwk,
            "jwks must hold public keys only (a key has a private 'd' member)")
    try:
        key = jwt.PyJWK(jwk)
    except jwt.PyJWTError as error:
        raise AdminError(f"unusable key in jwks: {error}") from None
    require(key.algorithm_name in SIGNING_ALGS,
            f"client keys must be for {' or '.join(SIGNING_ALGS)}")
    return key


@dataclass
class User:
    sub: str
    name: str
    claims: dict[str, Any]

    @classmethod
    def from_json(cls, body: Any) -> User:
        require(isinstance(body, dict), "a user must be a JSON object")
        sub, name, claims = body.get("sub"), body.get("name"), body.get("claims", {})
        require(isinstance(sub, str) and sub != "", "sub must be a string")
        require(isinstance(name, str) and name != "", "name must be a string")
        require(isinstance(claims, dict), "claims must be an object")
        return cls(sub=sub, name=name, claims=claims)

    def to_state(self) -> dict[str, Any]:
        return {"sub": self.sub, "name": self.name, "claims": self.claims}

    def token_claims(self) -> dict[str, Any]:
        return {**self.claims, "name": self.name}

    def label(self) -> str:
        role = self.claims.get("varde_role")
        if isinstance(role, list):
            role = ", ".join(map(str, role))
        return f"{self.name} ({role})" if role else self.name


@dataclass
class AuthorizationRequest:
    client_id: str
    redirect_uri: str
    scope: str
    state: str
    nonce: str
    code_challenge: str

    def hidden_fields(self) -> dict[str, str]:
        return {"response_type": "code", "client_id": self.client_id,
                "redirect_uri": self.redirect_uri, "scope": self.scope,
                "state": self.state, "nonce": self.nonce,
                "code_challenge": self.code_challenge, "code_challenge_method": "S256"}


@dataclass
class CodeGrant:
    request: AuthorizationRequest
    user: User  # as at sign-in: /admin/users replaces users, never mutates them
    auth_time: int
    expires_at: float


@dataclass
class Settings:
    audience: str | list[str] = "varde-api"
    access_token_ttl: int = 300
    id_token_ttl: int = 300
    code_ttl: int = 60

    def update(self, body: dict[str, Any]) -> None:
        unknown = set(body) - set(self.__dataclass_fields__)
        require(not unknown, f"unknown settings: {', '.join(sorted(unknown))}")
        if "audience" in body:
            audience = body["audience"]
            require(isinstance(audience, str) and audience != "" or (
                isinstance(audience, list) and audience
                and all(isinstance(a, str) for a in audience)),
                "audience must be a string or a list of strings")
        for name in ("access_token_ttl", "id_token_ttl", "code_ttl"):
            if name in body:
                value = body[name]
                require(type(value) is int and value > 0, f"{name} must be a positive integer")
        for name, value in body.items():
            setattr(self, name, value)

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


# --------------------------------------------------------------------------
# The provider: all mutable state, behind one lock. HTTP handler threads only
# call its public methods; underscore methods expect the lock to be held.


class Provider:
    def __init__(self, state_path: str | None = None):
        self._lock = threading.Lock()
        self._state_path = state_path
        self.issuer = ""  # set once, after binding and before serving: no lock
        self._keys: list[SigningKey] = []  # oldest first; the last one signs
        self._unpublished: dict[str, SigningKey] = {}
        self._clients: dict[str, Client] = {}
        self._users: dict[str, User] = {}
        self._settings = Settings()
        self._codes: dict[str, CodeGrant] = {}
        self._seen_assertions: dict[tuple[str, str], float] = {}
        self._next_login: str | None = None
        self._down = False
        self._stats = dict.fromkeys(STAT_NAMES, 0)
        if state_path and os.path.exists(state_path):
            self._load_state(state_path)
        else:
            self._keys.append(SigningKey.generate("RS256"))

    @property
    def token_endpoint(self) -> str:
        return self.issuer + "/token"

    # ---- persistence (--state-file) ----------------------------------------

    def _load_state(self, path: str) -> None:
        with open(path, encoding="utf-8") as file:
            state = json.load(file)
        self._keys = [SigningKey.from_state(k) for k in state["keys"]]
        self._unpublished = {k["alg"]: SigningKey.from_state(k) for k in state["unpublished"]}
        self._clients = {c["client_id"]: Client.from_json(c) for c in state["clients"]}
        self._users = {u["sub"]: User.from_json(u) for u in state["users"]}
        self._settings.update(state["settings"])

    def _save_state(self) -> None:
        """Keys, clients, users and settings survive a restart with the same
        --state-file (so a relying party's cached keys stay valid); codes,
        seen assertions, stats and outages are per run by design."""
        if not self._state_path:
            return
        state = {"keys": [k.to_state() for k in self._keys],
                 "unpublished": [k.to_state() for k in self._unpublished.values()],
                 "clients": [c.to_state() for c in self._clients.values()],
                 "users": [u.to_state() for u in self._users.values()],
                 "settings": self._settings.to_json()}
        temporary = self._state_path + ".tmp"
        # Private keys inside: readable by the owner only.
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(state, file, indent=1)
        os.replace(temporary, self._state_path)

    def save_state(self) -> None:
        with self._lock:
            self._save_state()

    def apply_config(self, config: Any) -> None:
        """--config: {"clients": [...], "users": [...], "audience": ..., and any
        other setting}. Applied after a --state-file is loaded, so it wins."""
        require(isinstance(config, dict), "the config must be a JSON object")
        with self._lock:
            for body in config.get("clients", []):
                client = Client.from_json(body)
                self._clients[client.client_id] = client
            for body in config.get("users", []):
                user = User.from_json(body)
                self._users[user.sub] = user
            self._settings.update({k: v for k, v in config.items()
                                   if k not in ("clients", "users")})
            self._save_state()

    # ---- request bookkeeping ----------------------------------------------

    def count(self, endpoint: str) -> None:
        with self._lock:
            self._stats[endpoint] += 1

    def is_down(self) -> bool:
        with self._lock:
            return self._down

    # ---- discovery and keys -----------------------------------------------

    def discovery(self) -> dict[str, Any]:
        issuer = self.issuer
        return {
            "issuer": issuer,
            "authorization_endpoint": issuer + "/authorize",
            "token_endpoint": issuer + "/token",
            "jwks_uri": issuer + "/jwks",
            "end_session_endpoint": issuer + "/logout",
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": list(SIGNING_ALGS),
            "id_token_signing_alg_values_supported": list(SIGNING_ALGS),
            "subject_types_supported": ["public"],
            # Any scope is accepted as long as openid is among them; these are
            # the ones with a meaning here.
            "scopes_supported": ["openid", "profile"],
            "claims_supported": ["sub", "name", "auth_time", "nonce"],
            "authorization_response_iss_parameter_supported": True,
        }

    def jwks(self) -> dict[str, Any]:
        with self._lock:
            return {"keys": [k.public_jwk() for k in self._keys if k.published]}

    # ---- /authorize -------------------------------------------------------

    def begin_authorization(self, query: dict[str, list[str]]
                            ) -> tuple[AuthorizationRequest, str | None, list[User]]:
        """Validates an authorization request. Returns it with the redirect URL
        when a preset user (/admin/next-login) signs in at once, else with the
        users for the sign-in page."""
        with self._lock:
            request = self._validate_authorization(query)
            if self._next_login is not None:
                # One-shot, and only spent by a valid request, so a test's
                # deliberately broken request does not eat the preset.
                user = self._users[self._next_login]
                self._next_login = None
                return request, self._issue_code(request, user), []
            return request, None, list(self._users.values())

    def complete_authorization(self, query: dict[str, list[str]], sub: str) -> str:
        """The sign-in form was posted: validates again (the hidden fields are
        as untrusted as the original query) and returns the redirect URL."""
        with self._lock:
            request = self._validate_authorization(query)
            user = self._users.get(sub)
            if user is None:
                raise AuthorizeError("access_denied", f"unknown test user {sub!r}",
                                     request.redirect_uri, request.state)
            return self._issue_code(request, user)

    def _validate_authorization(self, query: dict[str, list[str]]) -> AuthorizationRequest:
        params, repeated = single_values(query)
        client_id, redirect_uri = params.get("client_id"), params.get("redirect_uri")
        if {"client_id", "redirect_uri"} & set(repeated):
            raise AuthorizeError("invalid_request", "client_id or redirect_uri repeated")
        client = self._clients.get(client_id or "")
        if client is None:
            raise AuthorizeError("invalid_request", f"unknown client_id {client_id!r}")
        if redirect_uri not in client.redirect_uris:
            # Exact string match, as OpenID Connect Core §3.1.2.1 requires.
            raise AuthorizeError("invalid_request",
                                 f"redirect_uri {redirect_uri!r} is not registered for this client")

        state = params.get("state")

        def refuse(error: str, description: str) -> AuthorizeError:
            return AuthorizeError(error, description, redirect_uri, state)

        if repeated:
            raise refuse("invalid_request", f"parameters repeated: {', '.join(repeated)}")
        if params.get("response_type") != "code":
            raise refuse("unsupported_response_type", "only response_type=code is supported")
        scope = params.get("scope", "")
        if "openid" not in scope.split():
            raise refuse("invalid_scope", "scope must include openid")
        challenge = params.get("code_challenge")
        if not challenge:
            raise refuse("invalid_request", "PKCE is required: code_challenge missing")
        if params.get("code_challenge_method") != "S256":
            raise refuse("invalid_request", "code_challenge_method must be S256")
        if not PKCE_VALUE.fullmatch(challenge):
            raise refuse("invalid_request", "code_challenge is not a base64url S256 value")
        if not state:
            raise refuse("invalid_request", "state is required")
        nonce = params.get("nonce")
        if not nonce:
            raise refuse("invalid_request", "nonce is required")
        return AuthorizationRequest(client_id=client.client_id, redirect_uri=redirect_uri,
                                    scope=scope, state=state, nonce=nonce,
                                    code_challenge=challenge)

    def _issue_code(self, request: AuthorizationRequest, user: User) -> str:
        now = time.time()
        code = secrets.token_urlsafe(32)
        self._codes[code] = CodeGrant(request=request, user=user,
                                      auth_time=int(now),
                                      expires_at=now + self._settings.code_ttl)
        return add_query(request.redirect_uri,
                         {"code": code, "state": request.state, "iss": self.issuer})

    # ---- /token -------------------------------------------------------------

    def exchange_code(self, form: dict[str, list[str]]) -> dict[str, Any]:
        params, repeated = single_values(form)
        if repeated:
            raise OAuthError("invalid_request", f"parameters repeated: {', '.join(repeated)}")
        grant_type = params.get("grant_type")
        if not grant_type:
            raise OAuthError("invalid_request", "grant_type is required")
        if grant_type != "authorization_code":
            raise OAuthError("unsupported_grant_type", "only authorization_code is supported")
        with self._lock:
            client = self._authenticate_client(params)
            grant = self._redeem_code(params, client)
            return self._token_response(grant)

    def _authenticate_client(self, params: dict[str, str]) -> Client:
        """private_key_jwt (OIDC Core §9, RFC 7523 §3)."""
        assertion = params.get("client_assertion")
        if params.get("client_assertion_type") != ASSERTION_TYPE or not assertion:
            raise invalid_client("private_key_jwt client authentication is required")
        try:
            header = jwt.get_unverified_header(assertion)
            unverified = jwt.decode(assertion, options={"verify_signature": False})
        except jwt.PyJWTError as error:
            raise invalid_client(f"client_assertion is not a JWT: {error}") from None
        client_id = unverified.get("iss")
        if "client_id" in params and params["client_id"] != client_id:
            raise invalid_client("client_id differs from the client_assertion's iss")
        client = self._clients.get(client_id) if isinstance(client_id, str) else None
        if client is None:
            raise invalid_client(f"unknown client {client_id!r}")
        claims = self._verify_assertion(assertion, header, client)
        self._check_assertion_claims(claims, client)
        return client

    def _verify_assertion(self, assertion: str, header: dict[str, Any],
                          client: Client) -> dict[str, Any]:
        # Registered keys are RS256 or ES256 only (client_key), so matching on
        # alg also refuses none, HS256 and any other algorithm.
        alg, kid = header.get("alg"), header.get("kid")
        keys = client.keys_for(alg, kid)
        if not keys:
            raise invalid_client(f"no registered client key for alg {alg!r} and kid {kid!r}")
        for key in keys:
            try:
                return jwt.decode(
                    assertion, key.key, algorithms=[alg],
                    audience=[self.token_endpoint, self.issuer], leeway=CLOCK_TOLERANCE,
                    options={"require": ["iss", "sub", "aud", "exp", "jti"]})
            except jwt.InvalidSignatureError:
                continue  # without a kid, another registered key may fit
            except jwt.PyJWTError as error:
                raise invalid_client(f"client_assertion refused: {error}") from None
        raise invalid_client("client_assertion signature does not verify")

    def _check_assertion_claims(self, claims: dict[str, Any], client: Client) -> None:
        if claims["sub"] != client.client_id:
            raise invalid_client("client_assertion sub must equal iss and the client_id")
        now = time.time()
        if claims["exp"] - now > ASSERTION_MAX_LIFETIME + CLOCK_TOLERANCE:
            raise invalid_client(
                f"client_assertion exp is more than {ASSERTION_MAX_LIFETIME} s away")
        jti = claims["jti"]
        if not isinstance(jti, str) or not jti:
            raise invalid_client("client_assertion jti must be a non-empty string")
        # Forget assertions that could no longer be accepted anyway.
        self._seen_assertions = {seen: exp for seen, exp in self._seen_assertions.items()
                                 if exp + CLOCK_TOLERANCE > now}
        if (client.client_id, jti) in self._seen_assertions:
            raise invalid_client("client_assertion jti was already used (replay)")
        self._seen_assertions[(client.client_id, jti)] = float(claims["exp"])

    def _redeem_code(self, params: dict[str, str], client: Client) -> CodeGrant:
        code, verifier = params.get("code"), params.get("code_verifier")
        if not code:
            raise OAuthError("invalid_request", "code is required")
        if "redirect_uri" not in params:
            raise OAuthError("invalid_request", "redirect_uri is required")
        if not verifier:
            raise OAuthError("invalid_request", "code_verifier is required (PKCE)")
        if not PKCE_VALUE.fullmatch(verifier):
            raise OAuthError("invalid_request", "code_verifier must be 43-128 unreserved characters")
        # A presented code is spent whatever happens next (RFC 6749 §4.1.2,
        # RFC 9700 §4.2): a failed attempt must not leave it open to retries.
        grant = self._codes.pop(code, None)
        if grant is None:
            raise OAuthError("invalid_grant", "unknown or already used code")
        if time.time() >= grant.expires_at:
            raise OAuthError("invalid_grant", "code expired")
        if grant.request.client_id != client.client_id:
            raise OAuthError("invalid_grant", "code was issued to another client")
        if grant.request.redirect_uri != params["redirect_uri"]:
            raise OAuthError("invalid_grant", "redirect_uri differs from the authorization request")
        if not hmac.compare_digest(pkce_s256(verifier), grant.request.code_challenge):
            raise OAuthError("invalid_grant", "code_verifier does not match code_challenge")
        return grant

    def _token_response(self, grant: CodeGrant) -> dict[str, Any]:
        now = int(time.time())
        request, user, settings = grant.request, grant.user, self._settings
        key = self._keys[-1]
        access = {**user.token_claims(), "iss": self.issuer, "sub": user.sub,
                  "aud": settings.audience, "client_id": request.client_id, "iat": now,
                  "exp": now + settings.access_token_ttl, "jti": secrets.token_urlsafe(16),
                  "scope": request.scope}
        id_token = {**user.token_claims(), "iss": self.issuer, "sub": user.sub,
                    "aud": request.client_id, "iat": now,
                    "exp": now + settings.id_token_ttl, "nonce": request.nonce,
                    "auth_time": grant.auth_time}
        return {"access_token": key.sign(access, {"kid": key.kid, "typ": "at+jwt"}),
                "id_token": key.sign(id_token, {"kid": key.kid, "typ": "JWT"}),
                "token_type": "Bearer", "expires_in": settings.access_token_ttl,
                "scope": request.scope}

    # ---- /logout ----------------------------------------------------------

    def logout_redirect(self, query: dict[str, list[str]]) -> str | None:
        """OpenID Connect RP-Initiated Logout. Returns where to redirect, None
        when there is nowhere to go; raises ValueError for a URI it must not
        follow. The client is named by client_id or by id_token_hint's aud."""
        params, _ = single_values(query)
        uri = params.get("post_logout_redirect_uri")
        if not uri:
            return None
        with self._lock:
            client_ids = self._logout_clients(params)
            allowed = any(uri in self._clients[c].post_logout_redirect_uris
                          for c in client_ids if c in self._clients)
        if not allowed:
            raise ValueError("post_logout_redirect_uri is not registered for the client")
        return add_query(uri, {"state": params["state"]}) if params.get("state") else uri

    def _logout_clients(self, params: dict[str, str]) -> list[str]:
        hint = params.get("id_token_hint")
        audiences: list[str] = []
        if hint:
            claims = self._verify_own_token(hint)
            aud = claims.get("aud")
            audiences = aud if isinstance(aud, list) else [aud]
        client_id = params.get("client_id")
        if client_id:
            if audiences and client_id not in audiences:
                raise ValueError("client_id is not the id_token_hint's audience")
            return [client_id]
        return [a for a in audiences if isinstance(a, str)]

    def _verify_own_token(self, token: str) -> dict[str, Any]:
        # An expired hint is fine (the session it names may be long gone), but
        # it must be ours: any key we ever signed with, published or not.
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError:
            raise ValueError("id_token_hint is not a JWT") from None
        for key in self._keys:
            if key.kid == kid:
                try:
                    return jwt.decode(token, key.private_key.public_key(), algorithms=[key.alg],
                                      issuer=self.issuer,
                                      options={"verify_exp": False, "verify_aud": False})
                except jwt.PyJWTError as error:
                    raise ValueError(f"id_token_hint refused: {error}") from None
        raise ValueError("id_token_hint was not signed by this provider")

    # ---- admin ------------------------------------------------------------

    def put_client(self, body: Any) -> dict[str, Any]:
        client = Client.from_json(body)
        with self._lock:
            self._clients[client.client_id] = client
            self._save_state()
        return client.to_state()

    def put_user(self, body: Any) -> dict[str, Any]:
        user = User.from_json(body)
        with self._lock:
            self._users[user.sub] = user
            self._save_state()
        return user.to_state()

    def set_next_login(self, body: dict[str, Any]) -> dict[str, Any]:
        require("sub" in body, "sub is required (null clears a preset)")
        sub = body["sub"]
        require(sub is None or isinstance(sub, str), "sub must be a string or null")
        with self._lock:
            if sub is not None and sub not in self._users:
                raise AdminError(f"unknown user {sub!r}; add it with /admin/users first", 404)
            self._next_login = sub
        return {"sub": sub}

    def mint_token(self, body: dict[str, Any]) -> dict[str, Any]:
        """A token exactly as a test wants it, for verifier tests. Claims start
        as /token's access tokens do (iss, aud, iat, exp, jti); a claim given
        as null is removed, any other value replaces or adds."""
        allowed = {"claims", "typ", "kid", "alg", "ttl", "sign_with"}
        require(not set(body) - allowed, f"unknown fields; allowed: {', '.join(sorted(allowed))}")
        extra = body.get("claims", {})
        require(isinstance(extra, dict), "claims must be an object")
        typ = body.get("typ", "at+jwt")
        require(typ is None or isinstance(typ, str), "typ must be a string or null")
        require("kid" not in body or body["kid"] is None or isinstance(body["kid"], str),
                "kid must be a string or null")
        alg = body.get("alg")
        require(alg in (None, "none", "HS256", *SIGNING_ALGS),
                f"alg must be one of {', '.join(SIGNING_ALGS)}, none or HS256")
        sign_with = body.get("sign_with", "current")
        require(sign_with in ("current", "retired", "unpublished"),
                "sign_with must be current, retired or unpublished")
        with self._lock:
            ttl = body.get("ttl", self._settings.access_token_ttl)
            require(type(ttl) is int, "ttl must be an integer (negative: already expired)")
            key = self._pick_key(sign_with, alg if alg in SIGNING_ALGS else None)
            now = int(time.time())
            claims = {"iss": self.issuer, "aud": self._settings.audience, "iat": now,
                      "exp": now + ttl, "jti": secrets.token_urlsafe(16)}
        for name, value in extra.items():
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value
        header: dict[str, Any] = {"kid": body["kid"] if "kid" in body else key.kid}
        if typ is not None:
            header["typ"] = typ
        header = {name: value for name, value in header.items() if value is not None}
        if alg in ("none", "HS256"):
            token = unsafe_token(header, claims, alg, key)
        else:
            token = key.sign(claims, header)
        return {"token": token, "kid": key.kid, "alg": alg or key.alg}

    def _pick_key(self, sign_with: str, alg: str | None) -> SigningKey:
        current = self._keys[-1]
        if sign_with == "unpublished":
            alg = alg or current.alg
            if alg not in self._unpublished:  # made once per run (or state file)
                self._unpublished[alg] = SigningKey.generate(alg, published=False)
                self._save_state()
            return self._unpublished[alg]
        if sign_with == "current":
            # With keys of both algorithms published, alg picks the newest
            # published key of that algorithm.
            candidates = [current] + [k for k in reversed(self._keys[:-1]) if k.published]
        else:
            candidates = list(reversed(self._keys[:-1]))
        for key in candidates:
            if alg is None or key.alg == alg:
                return key
        wanted = f"{alg} " if alg else ""
        raise AdminError(f"no {sign_with} {wanted}key; use /admin/rotate first", 409)

    def rotate(self, body: dict[str, Any]) -> dict[str, Any]:
        retire_old = body.get("retire_old", False)
        require(isinstance(retire_old, bool), "retire_old must be a boolean")
        key = SigningKey.generate(body.get("alg", "RS256"))  # slow: outside the lock
        with self._lock:
            if retire_old:
                for old in self._keys:
                    old.published = False
            self._keys.append(key)
            self._save_state()
            published = [k.kid for k in self._keys if k.published]
        return {"kid": key.kid, "alg": key.alg, "published": published}

    def set_outage(self, body: dict[str, Any]) -> dict[str, Any]:
        down = body.get("down")
        require(isinstance(down, bool), "down must be a boolean")
        with self._lock:
            self._down = down
        return {"down": down}

    def update_settings(self, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self._settings.update(body)  # all or nothing: it validates first
            self._save_state()
            return self._settings.to_json()

    def stats(self, body: dict[str, Any]) -> dict[str, int]:
        with self._lock:
            return dict(self._stats)

    def expire_codes(self, body: dict[str, Any]) -> dict[str, int]:
        with self._lock:
            past = time.time() - 1
            for grant in self._codes.values():
                grant.expires_at = min(grant.expires_at, past)
            return {"expired": len(self._codes)}


# --------------------------------------------------------------------------
# HTML


def page(title: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="nb">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        "<style>body{font-family:sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}"
        "label{display:block;padding:.4rem 0}button{margin-top:1rem;padding:.5rem 1.5rem}"
        "</style>\n</head>\n<body>\n<main>\n" + body + "</main>\n</body>\n</html>\n")


def sign_in_page(request: AuthorizationRequest, users: list[User]) -> str:
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(n)}" value="{html.escape(v)}">\n'
        for n, v in request.hidden_fields().items())
    choices = "".join(
        f'<label for="user-{i}"><input type="radio" id="user-{i}" name="sub" '
        f'value="{html.escape(user.sub)}" required> {html.escape(user.label())}</label>\n'
        for i, user in enumerate(users))
    if not users:
        choices = "<p>Ingen testbrukere er registrert (POST /admin/users).</p>\n"
    body = (
        f'<h1 lang="en">{html.escape(PAGE_TITLE)}</h1>\n'
        f"<p>Innlogging for <strong>{html.escape(request.client_id)}</strong>.</p>\n"
        '<form method="post" action="/authorize">\n' + hidden +
        "<fieldset>\n<legend>Velg testbruker</legend>\n" + choices + "</fieldset>\n"
        '<button type="submit">Logg inn</button>\n</form>\n')
    return page(PAGE_TITLE, body)


def message_page(heading: str, text: str) -> str:
    return page(f"{heading} — {PAGE_TITLE}",
                f'<h1>{html.escape(heading)}</h1>\n<p role="alert">{html.escape(text)}</p>\n'
                f'<p lang="en">{html.escape(PAGE_TITLE)}</p>\n')


# --------------------------------------------------------------------------
# HTTP


class Handler(BaseHTTPRequestHandler):
    """Thin: parses, routes, presents errors. All decisions are Provider's."""

    protocol_version = "HTTP/1.1"  # keep-alive; every answer has a Content-Length
    server_version = "VardeTestOIDC/1"
    timeout = 30  # an idle keep-alive connection must not pin a thread forever
    server: ProviderServer

    PUBLIC_ROUTES: dict[str, tuple[str, dict[str, str]]] = {
        "/.well-known/openid-configuration": ("discovery", {"GET": "discovery"}),
        "/jwks": ("jwks", {"GET": "jwks"}),
        "/authorize": ("authorize", {"GET": "authorize", "POST": "authorize"}),
        "/token": ("token", {"POST": "token"}),
        "/logout": ("logout", {"GET": "logout"}),
    }
    ADMIN_ROUTES: dict[str, dict[str, str]] = {
        "/admin/clients": {"POST": "put_client"},
        "/admin/users": {"POST": "put_user"},
        "/admin/next-login": {"POST": "set_next_login"},
        "/admin/token": {"POST": "mint_token"},
        "/admin/rotate": {"POST": "rotate"},
        "/admin/outage": {"POST": "set_outage"},
        "/admin/settings": {"POST": "update_settings"},
        "/admin/stats": {"GET": "stats"},
        "/admin/expire-codes": {"POST": "expire_codes"},
    }

    @property
    def provider(self) -> Provider:
        return self.server.provider

    def do_GET(self) -> None:
        self.dispatch("GET")

    def do_POST(self) -> None:
        self.dispatch("POST")

    def dispatch(self, method: str) -> None:
        url = urlsplit(self.path)
        try:
            body = self.read_body() if method == "POST" else b""
            if body is None:
                return
            if url.path.startswith("/admin/"):
                self.admin(method, url.path, body)
            else:
                self.public(method, url.path, url.query, body)
        except Exception:  # a provider bug must show up in the test's log
            traceback.print_exc(file=sys.stderr)
            self.send_json(500, {"error": "server_error"})

    def read_body(self) -> bytes | None:
        # RFC 9112 §6.3: a request with neither header has an empty body.
        length = self.headers.get("Content-Length", "0")
        if self.headers.get("Transfer-Encoding") or not length.isdigit():
            self.close_connection = True  # the rest of the stream is unreadable
            self.send_json(411, {"error": "invalid_request",
                                 "error_description": "a Content-Length body is required"})
            return None
        if int(length) > MAX_BODY:
            self.close_connection = True
            self.send_json(413, {"error": "invalid_request", "error_description": "body too large"})
            return None
        return self.rfile.read(int(length))

    # ---- public endpoints --------------------------------------------------

    def public(self, method: str, path: str, query: str, body: bytes) -> None:
        route = self.PUBLIC_ROUTES.get(path)
        if route:
            self.provider.count(route[0])  # also while down: retries are what tests count
        if self.provider.is_down():
            self.send_json(503, {"error": "temporarily_unavailable",
                                 "error_description": "simulated outage (/admin/outage)"},
                           {"Retry-After": "1"})
            return
        if route is None:
            self.send_json(404, {"error": "not_found"})
            return
        action = route[1].get(method)
        if action is None:
            self.send_json(405, {"error": "method_not_allowed"}, {"Allow": ", ".join(route[1])})
            return
        getattr(self, "handle_" + action)(method, query, body)

    def handle_discovery(self, method: str, query: str, body: bytes) -> None:
        self.send_json(200, self.provider.discovery())

    def handle_jwks(self, method: str, query: str, body: bytes) -> None:
        self.send_json(200, self.provider.jwks(), content_type="application/jwk-set+json")

    def handle_authorize(self, method: str, query: str, body: bytes) -> None:
        # OIDC Core §3.1.2.1 allows the request by POST too; the sign-in form
        # posts the same parameters plus the chosen `sub`.
        if method == "POST":
            if not self.is_form():
                self.send_page(400, message_page("Ugyldig forespørsel",
                                                 "expected an HTML form post"))
                return
            query = body.decode("utf-8", "replace")
        params = parse_qs(query, keep_blank_values=True)
        try:
            # RFC 9700 §4.12: answer a POST with 303, so no browser re-posts
            # the form (and its fields) to the client.
            status = 303 if method == "POST" else 302
            if method == "POST" and "sub" in params:
                sub = params.pop("sub")[0]
                self.redirect(self.provider.complete_authorization(params, sub), status)
                return
            request, location, users = self.provider.begin_authorization(params)
        except AuthorizeError as error:
            self.authorize_error(error, status)
            return
        if location:
            self.redirect(location, status)
        else:
            self.send_page(200, sign_in_page(request, users))

    def authorize_error(self, error: AuthorizeError, status: int) -> None:
        if error.redirect_uri is None:
            self.send_page(400, message_page("Ugyldig innloggingsforespørsel",
                                             f"{error.error}: {error.description}"))
            return
        params = {"error": error.error, "error_description": error.description}
        if error.state:
            params["state"] = error.state
        params["iss"] = self.provider.issuer
        self.redirect(add_query(error.redirect_uri, params), status)

    def handle_token(self, method: str, query: str, body: bytes) -> None:
        no_store = {"Cache-Control": "no-store", "Pragma": "no-cache"}
        try:
            self.send_json(200, self.provider.exchange_code(self.token_form(body)), no_store)
        except OAuthError as error:
            self.send_json(error.status, {"error": error.error,
                                          "error_description": error.description}, no_store)

    def token_form(self, body: bytes) -> dict[str, list[str]]:
        if not self.is_form():
            raise OAuthError("invalid_request",
                             "Content-Type must be application/x-www-form-urlencoded")
        try:
            return parse_qs(body.decode("utf-8"), keep_blank_values=True,
                            strict_parsing=bool(body))
        except ValueError:  # also UnicodeDecodeError
            raise OAuthError("invalid_request", "malformed form body") from None

    def handle_logout(self, method: str, query: str, body: bytes) -> None:
        try:
            location = self.provider.logout_redirect(parse_qs(query, keep_blank_values=True))
        except ValueError as error:
            self.send_page(400, message_page("Utlogging", f"Ikke videresendt: {error}"))
            return
        if location:
            self.redirect(location, 302)
        else:
            self.send_page(200, message_page("Utlogget", "Du er logget ut av testleverandøren."))

    def is_form(self) -> bool:
        content_type = self.headers.get("Content-Type", "")
        return content_type.split(";")[0].strip().lower() == "application/x-www-form-urlencoded"

    # ---- admin --------------------------------------------------------------

    def admin(self, method: str, path: str, body: bytes) -> None:
        routes = self.ADMIN_ROUTES.get(path)
        if routes is None:
            self.send_json(404, {"error": f"no admin endpoint {path}"})
            return
        action = routes.get(method)
        if action is None:
            self.send_json(405, {"error": "method not allowed"}, {"Allow": ", ".join(routes)})
            return
        try:
            payload = json.loads(body or b"{}")
            if not isinstance(payload, dict):
                raise AdminError("the body must be a JSON object")
            result = getattr(self.provider, action)(payload)
        except json.JSONDecodeError as error:
            self.send_json(400, {"error": f"invalid JSON: {error}"})
            return
        except AdminError as error:
            self.send_json(error.status, {"error": error.message})
            return
        self.send_json(200, result)

    # ---- responses ----------------------------------------------------------

    def send_body(self, status: int, body: bytes, content_type: str,
                  headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, status: int, obj: Any, headers: dict[str, str] | None = None,
                  content_type: str = "application/json") -> None:
        self.send_body(status, json.dumps(obj).encode("utf-8"), content_type, headers)

    def send_page(self, status: int, text: str) -> None:
        self.send_body(status, text.encode("utf-8"), "text/html; charset=utf-8",
                       # No form-action: browsers apply it to the redirect after
                       # the post too, and redirect URIs may be anywhere.
                       {"Cache-Control": "no-store", "Content-Security-Policy":
                        "default-src 'none'; style-src 'unsafe-inline'"})

    def redirect(self, location: str, status: int) -> None:
        self.send_body(status, b"", "text/plain", {"Location": location,
                                                   "Cache-Control": "no-store"})

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.quiet:
            sys.stderr.write(f"oidc-provider: {self.address_string()} {format % args}\n")


class ProviderServer(ThreadingHTTPServer):
    daemon_threads = True  # open keep-alive connections must not block exit

    def __init__(self, address: tuple[str, int], provider: Provider, quiet: bool):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.provider, self.quiet = provider, quiet
        super().__init__(address, Handler)

    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


# --------------------------------------------------------------------------
# Command line


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--config", help="JSON: {clients: [...], users: [...], audience: ...}")
    parser.add_argument("--state-file",
                        help="keeps keys, clients, users and settings across restarts")
    parser.add_argument("--quiet", action="store_true", help="no per-request log lines")
    return parser.parse_args(argv)


def build_provider(args: argparse.Namespace) -> Provider:
    provider = Provider(state_path=args.state_file)
    if args.config:
        with open(args.config, encoding="utf-8") as file:
            provider.apply_config(json.load(file))
    provider.save_state()
    return provider


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    try:
        provider = build_provider(args)
    except (OSError, ValueError, KeyError, TypeError, AdminError) as error:
        print(f"oidc-provider: cannot start: {error}", file=sys.stderr)
        return 2
    server = ProviderServer((args.host, args.port), provider, args.quiet)
    provider.issuer = server.base_url()

    # serve_forever runs in a thread because shutdown() blocks until the loop
    # notices, which would deadlock if called from a signal handler on the
    # serving thread itself. The short poll makes that notice quick: suites
    # start and stop many providers.
    stop = threading.Event()
    # A parent may hand down a mask that blocks them (a Swift test process
    # does): unblock, or SIGTERM would never reach the handler.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                               name="serve", daemon=True)
    serving.start()
    print(f"READY {provider.issuer}", flush=True)
    print(f"oidc-provider: issuer {provider.issuer}", file=sys.stderr, flush=True)
    stop.wait()
    server.shutdown()
    server.server_close()
    print("oidc-provider: stopped", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
