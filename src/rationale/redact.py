"""Keeping credentials out of everything `rationale` stores, prints or exports.

One function, `redact`, replaces with ``[REDACTED]``:

* the value of every environment variable whose name says it holds a secret
  (``*KEY*``, ``*TOKEN*``, ``*SECRET*``, ``*PASSWORD*``, ``*CREDENTIAL*``,
  ``*AUTH*``), read when called, so a key exported after start-up is covered;
* anything shaped like a credential: provider keys (``sk-…``, ``sk-ant-…``,
  ``AIza…``, ``AKIA…``, ``hf_…``, ``gh?_…``, ``xox?-…``), ``Bearer …``, the
  password in a URL (``https://user:secret@host``), and ``api_key=…``-style
  query parameters or JSON fields.

It is applied where text from outside enters (the LLM client's replies and
error messages) and again where anything is written (`store.critiques`,
`store.runs`), so a provider's 401 reply that echoes the key, a model that
repeats it, or a key inside ``--api-base`` never reaches the database, the
terminal, an export or a cassette. It has no dependencies: every layer may use it.
"""

from __future__ import annotations

import functools
import os
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

REDACTED = "[REDACTED]"
MIN_SECRET_LENGTH = 8  # shorter values ("1", "true") are settings, and redacting them would garble text

_SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH", re.IGNORECASE)
_NOT_SECRET_NAME = re.compile(r"^XAUTHORITY$|_(BASE|URL|PATH|FILE|DIR|SOCK)$", re.IGNORECASE)
_SENSITIVE_FIELD = r"(?:api[_-]?key|apikey|access[_-]?token|auth[_-]?token|token|secret|password|passwd|key)"
# Each pattern with what any text it matches must contain, once case-folded: every group in the tuple, each group
# by one of its words. A text without them is not searched with that pattern: most text has no credential, and one
# regular-expression search of a 1.6 kB critique for all the shapes at once cost about half a millisecond.
_PATTERNS: list[tuple[re.Pattern[str], tuple[tuple[str, ...], ...]]] = [
    (re.compile(r"\bsk-[A-Za-z0-9_\-]{8,}"), (("sk-",),)),  # OpenAI, Anthropic (sk-ant-...), DeepSeek, ...
    (re.compile(r"\bAIza[0-9A-Za-z_\-]{20,}"), (("aiza",),)),  # Google
    (re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), (("akia", "asia"),)),  # AWS access key ids
    (re.compile(r"\bhf_[A-Za-z0-9]{20,}"), (("hf_",),)),  # Hugging Face
    (re.compile(r"\bgh[pousr]_[A-Za-z0-9]{20,}"), (("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),)),  # GitHub
    (re.compile(r"\bxox[abprs]-[A-Za-z0-9\-]{10,}"), (("xox",),)),  # Slack
    (re.compile(r"(?i)(?<=\bBearer )[A-Za-z0-9._~+/=\-]{8,}"), (("bearer ",),)),
    (re.compile(r"(?i)(?<=\bBasic )[A-Za-z0-9+/=]{8,}"), (("basic ",),)),
    # user:password@ in a URL
    (re.compile(r"(?<=://)[^/\s:@\"'<>\\]*:[^/\s@\"'<>\\]+(?=@)"), (("://",), ("@",))),
    # ?api_key=..., &token=..., "api_key": "...", api-key: ...
    (re.compile(rf"(?i)(?<=[?&;]){_SENSITIVE_FIELD}=([^&\s\"'<>#\\]+)"), (("?", "&", ";"), ("key=", "token=", "secret=", "password=", "passwd="))),
    (re.compile(rf"(?i)([\"']?\b(?:api[_-]?key|apikey|access[_-]?token|auth[_-]?token|secret|password)[\"']?\s*[:=]\s*[\"']?)([^\s\"'<>,;&}}\\]{{6,}})"),
     ((":", "="), ("apikey", "api_key", "api-key", "accesstoken", "access_token", "access-token", "authtoken",
                   "auth_token", "auth-token", "secret", "password"))),
]


def _could_match(folded: str, needs: tuple[tuple[str, ...], ...]) -> bool:
    return all(any(word in folded for word in group) for group in needs)


def _folded(text: str) -> str:
    """The text as a case-insensitive pattern sees it: case-folded, with the two Turkish i's (which `(?i)i`
    matches, and which case-fold to something else) as i. The Kelvin sign and the long s case-fold to k and s."""
    return text.replace("\u0130", "i").casefold().replace("\u0131", "i")


@functools.lru_cache(maxsize=4096)
def _is_secret_name(name: str) -> bool:
    """Whether a variable's name says it holds a secret (decided once per name: the values are read every time)."""
    return bool(_SECRET_NAME.search(name)) and not _NOT_SECRET_NAME.search(name)


def secret_values(environ: Any = None) -> list[str]:
    """The values of the environment's secret-named variables, longest first."""
    env = os.environ if environ is None else environ
    values = {
        value
        for name, value in env.items()
        if value and len(value) >= MIN_SECRET_LENGTH and _is_secret_name(name)
    }
    return sorted(values, key=len, reverse=True)


def _pattern_sub(pattern: re.Pattern[str], text: str) -> str:
    if pattern.groups == 2:  # "field: value": keep the field's name
        return pattern.sub(lambda m: m.group(1) + REDACTED, text)
    if pattern.groups == 1:  # query parameter: keep the name and "="
        return pattern.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)] + REDACTED, text)
    return pattern.sub(REDACTED, text)


def redact(text: str, secrets: list[str] | None = None) -> str:
    """`text` with every secret value and credential-shaped string replaced by ``[REDACTED]``."""
    if not text:
        return text
    for value in secret_values() if secrets is None else secrets:
        if value in text:
            text = text.replace(value, REDACTED)
    folded = _folded(text)
    for pattern, needs in _PATTERNS:
        # A replacement ("[REDACTED]", bracketed) never brings in a word another pattern needs.
        if _could_match(folded, needs):
            replaced = _pattern_sub(pattern, text)
            if replaced != text:
                text, folded = replaced, _folded(replaced)
    return text


def redact_data(value: Any, secrets: list[str] | None = None) -> Any:
    """`redact` applied to every string inside nested dicts, lists and tuples (keys included)."""
    if secrets is None:
        secrets = secret_values()
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, dict):
        return {redact_data(k, secrets): redact_data(v, secrets) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(redact_data(v, secrets) for v in value)
    return value


def redact_url(url: str | None) -> str | None:
    """A URL without its user:password and without credential query parameters, for recording."""
    if not url:
        return url
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    query = urlencode(
        [(k, REDACTED if re.fullmatch(_SENSITIVE_FIELD, k, re.IGNORECASE) else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)],
        safe="[]",
    )
    return redact(urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment)))
