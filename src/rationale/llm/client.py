"""Calling chat models through litellm: keys, retries, timeouts, concurrency, cost.

litellm is imported only inside the functions here that talk to a model
(`import_litellm`), so commands that never call an LLM start fast and never
trigger litellm's import-time work. `LITELLM_LOCAL_MODEL_COST_MAP` is set
before that import so litellm reads its bundled price list instead of
downloading one.

Keys come from the providers' usual environment variables only; they are
never stored, logged or recorded. A local OpenAI-compatible server (llama.cpp,
vLLM on 127.0.0.1/localhost) usually needs no key, so for `openai/...` models
with a loopback `--api-base` and no `OPENAI_API_KEY` a placeholder key is
passed with the request (not set in the environment). Any other missing key is
a one-line `LLMSetupError` naming the variable, raised before any work.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import email.utils
import gc
import os
import random
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from ..redact import redact, redact_url, secret_values

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "0.0.0.0"})
PLACEHOLDER_LOCAL_KEY = "no-key-needed-for-a-local-server"
RETRY_AFTER_CAP_SECONDS = 60.0
LOOKAHEAD_SHARE = 4  # one request prepared ahead of a free connection per this many allowed in flight (see `pooled`)
UNREAD_PRICE = 1e-12  # the custom price that spares litellm a price search for an unpriced model; never reported
OUTPUT_MODES = {
    "auto": "the JSON Schema as response_format where litellm says the model supports it; with --api-base"
    " (an OpenAI-compatible server) JSON mode with the schema attached (grammar); else JSON mode",
    "schema": "always send the JSON Schema as response_format (OpenAI structured outputs)",
    "json": "JSON mode; the reply is validated against the schema afterwards",
    "grammar": "JSON mode with the schema attached, which llama.cpp's server enforces with a grammar",
}


class LLMSetupError(Exception):
    """The model cannot be called at all (a missing key, an unknown provider)."""


class CallFailed(Exception):
    """One request failed for good (after its retries); `reason` says why in one line."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class BudgetExhausted(Exception):
    """Sending the next request could spend more than `--budget` allows."""


_import_frozen = False  # whether the objects alive after litellm's import were frozen (once per process)


def import_litellm() -> Any:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    global _import_frozen
    import litellm

    if not _import_frozen:
        _import_frozen = True
        # litellm's import leaves ~450,000 long-lived objects (its price list, provider tables, pydantic models).
        # Every full collection of the garbage collector walks them all: a ~0.2 s pause of the event loop, with
        # every request in flight, a few times a batch. Frozen, they are never walked (they live as long as the
        # process anyway); objects made later are collected as usual.
        gc.freeze()
    litellm.suppress_debug_info = True
    litellm.telemetry = False
    return litellm


def is_local_api_base(api_base: str | None) -> bool:
    if not api_base:
        return False
    return (urlparse(api_base).hostname or "") in LOCAL_HOSTS


def provider_of(model: str) -> str:
    return model.split("/", 1)[0] if "/" in model else "openai"


def call_credentials(model: str, api_base: str | None) -> dict[str, str]:
    """Check the environment for the model's key; return extra call arguments (a local placeholder key).

    Raises LLMSetupError naming the missing variable. Variables that only name a
    server address (`*_API_BASE`, `*_BASE_URL`) are not required: `--api-base`
    or the provider's default address stands in for them.
    """
    litellm = import_litellm()
    try:
        litellm.get_llm_provider(model=model, api_base=api_base)
        env = litellm.validate_environment(model=model, api_base=api_base)
    except Exception:  # litellm raises for providers it does not know
        raise LLMSetupError(
            f"litellm does not know which provider serves {model!r}: name it as provider/model,"
            " e.g. openai/gpt-4o-mini, or openai/NAME with --api-base for an OpenAI-compatible server"
        ) from None
    missing = [k for k in env.get("missing_keys", []) if not k.endswith(("_API_BASE", "_BASE_URL"))]
    if not missing:
        return {}
    if missing == ["OPENAI_API_KEY"] and provider_of(model) == "openai" and is_local_api_base(api_base):
        return {"api_key": PLACEHOLDER_LOCAL_KEY}
    raise LLMSetupError(f"{missing[0]} is not set: model {model} needs it (export {missing[0]}=...)")


def supports_response_schema(model: str) -> bool:
    litellm = import_litellm()
    try:
        return bool(litellm.supports_response_schema(model=model))
    except Exception:
        return False


def model_has_price(litellm: Any, model: str) -> bool:
    """Whether litellm's price list knows the model (asked once per batch: the lookup is not cheap)."""
    try:
        info = litellm.get_model_info(model=model)
    except Exception:
        return False
    return bool(info.get("input_cost_per_token") or info.get("output_cost_per_token"))


def shipped_price(model: str) -> tuple[float, float] | None:
    """(USD per input token, per output token) from the price list inside the installed litellm, else None.

    Found with importlib's spec, so litellm itself is not imported (a dry run and `--help` stay fast).
    """
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.find_spec("litellm")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "model_prices_and_context_window_backup.json"
    try:
        prices = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for name in (model, model.split("/", 1)[-1]):
        entry = prices.get(name)
        if isinstance(entry, dict) and (entry.get("input_cost_per_token") or entry.get("output_cost_per_token")):
            return float(entry.get("input_cost_per_token") or 0.0), float(entry.get("output_cost_per_token") or 0.0)
    return None


@dataclass
class Completion:
    text: str
    tokens_in: int
    tokens_out: int
    cost: float | None
    latency: float
    attempts: int


@dataclass
class Spend:
    """Running totals for the progress line and the budget."""

    calls: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost: float = 0.0
    priced: bool = True  # false once any call had no litellm price


def retry_after_seconds(exc: BaseException) -> float | None:
    """The server's Retry-After (seconds or an HTTP date), capped, if the error carries one."""
    headers: Any = None
    response = getattr(exc, "response", None)
    if response is not None:
        headers = getattr(response, "headers", None)
    for attr in ("litellm_response_headers", "headers"):
        if not headers:
            headers = getattr(exc, attr, None)
    if not headers:
        return None
    try:
        value = headers.get("retry-after") or headers.get("Retry-After")
    except AttributeError:
        return None
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        if parsed is None:
            return None
        seconds = parsed.timestamp() - time.time()
    return max(0.0, min(seconds, RETRY_AFTER_CAP_SECONDS))


def _status_of(exc: BaseException) -> int | None:
    status = getattr(exc, "status_code", None)
    if isinstance(status, int):
        return status
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    return status if isinstance(status, int) else None


def is_transient(exc: BaseException) -> bool:
    """429, 5xx, timeouts and dropped or garbled connections are worth another try; 4xx are not."""
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError, ConnectionError)):
        return True
    status = _status_of(exc)
    if status is not None:
        return status == 429 or status == 408 or status >= 500
    name = type(exc).__name__
    return name in {"Timeout", "APITimeoutError", "APIConnectionError", "RateLimitError", "InternalServerError",
                    "ServiceUnavailableError", "APIError", "APIResponseValidationError", "JSONDecodeError"}


def describe(exc: BaseException) -> str:
    """One line for an error, with anything that looks like a credential redacted (401 replies echo keys)."""
    status = _status_of(exc)
    text = redact(" ".join(str(exc).split()))
    if len(text) > 200:
        text = text[:197] + "..."
    prefix = f"HTTP {status} " if status else ""
    return f"{prefix}{type(exc).__name__}: {text}" if text else f"{prefix}{type(exc).__name__}"


def server_parallelism(api_base: str, timeout: float = 2.0) -> int | None:
    """How many requests a local server serves at once, where it says so (llama.cpp's `/props` or `/slots`).

    llama.cpp's own server reports `total_slots`; llama-cpp-python's and most
    others say nothing, and None is returned. Only loopback addresses are asked.
    """
    import json
    import urllib.request

    if not is_local_api_base(api_base):
        return None
    root = api_base.rstrip("/")
    root = root[: -len("/v1")] if root.endswith("/v1") else root
    for path in ("/props", "/slots"):
        try:
            with urllib.request.urlopen(root + path, timeout=timeout) as response:  # noqa: S310 - loopback only
                data = json.load(response)
        except Exception:
            continue
        if isinstance(data, dict) and isinstance(data.get("total_slots"), int) and data["total_slots"] > 0:
            return int(data["total_slots"])
        if isinstance(data, list) and data:
            return len(data)
    return None


_sent_at: contextvars.ContextVar[list[float] | None] = contextvars.ContextVar("rationale_sent_at", default=None)


async def _headers_sent(session: Any, context: Any, params: Any) -> None:
    """aiohttp's trace hook: the request's headers are on the wire (a connection of the pool is its own)."""
    holder = _sent_at.get()
    if holder is not None:
        holder.append(time.monotonic())


def _pooled_session(limit: int) -> Any:
    """An aiohttp session whose pool has `limit` connections: at most that many requests on the wire at once.

    Like litellm's own session: no cookies kept between requests, proxies from the environment only where litellm
    would read them (`litellm.aiohttp_trust_env` or AIOHTTP_TRUST_ENV); litellm's transport applies TLS settings per
    request. None when aiohttp (litellm's transport) is not there.
    """
    try:
        import aiohttp
    except ImportError:
        return None
    litellm = import_litellm()
    trust_env = bool(getattr(litellm, "aiohttp_trust_env", False)) or os.environ.get(
        "AIOHTTP_TRUST_ENV", "").strip().lower() in {"1", "true", "yes", "on"}
    trace = aiohttp.TraceConfig()
    trace.on_request_headers_sent.append(_headers_sent)
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=limit), cookie_jar=aiohttp.DummyCookieJar(),
                                 trust_env=trust_env, trace_configs=[trace])


@dataclass
class LLMClient:
    """Sends chat requests with a concurrency limit, retries with backoff, a per-call timeout and a budget.

    `on_event` (if given) is told, in one line each, about every retry, timeout
    and request that failed for good, as it happens. A request that timed out
    against a local server is not sent again: the server is still working on
    it, and a twin would only queue behind it.

    Inside `pooled()`, the limit of `concurrency` requests at once is kept by
    the connection pool itself, and `lookahead` more requests may be prepared
    by litellm meanwhile (see `pooled`).
    """

    model: str
    api_base: str | None = None
    concurrency: int = 4
    timeout: float = 120.0
    max_attempts: int = 4
    backoff_base: float = 0.5
    backoff_cap: float = 20.0
    max_tokens: int = 1200
    budget: float | None = None
    output_mode: str = "auto"  # auto | schema | json | grammar (see OUTPUT_MODES)
    extra: dict[str, Any] = field(default_factory=dict)
    spend: Spend = field(default_factory=Spend)
    on_event: Callable[[str], None] | None = None
    resend_timed_out: bool | None = None  # None: only to a remote server (a local one is still working on it)
    lookahead: int | None = None  # None: concurrency // LOOKAHEAD_SHARE
    _semaphore: asyncio.Semaphore | None = None
    _reserved: float = 0.0
    _exhausted: str = ""
    _pool: Any = None  # the pooled aiohttp session, inside `pooled()`
    _widened: bool = False  # whether the lookahead permits were added (a request was seen going through the pool)
    through_pool: int = 0  # requests seen on the wire through the pooled session (aiohttp's trace hook), all batches

    def __post_init__(self) -> None:
        self._litellm = import_litellm()
        if self.output_mode not in OUTPUT_MODES:
            raise LLMSetupError(f"unknown output mode {self.output_mode!r}; choose from {', '.join(OUTPUT_MODES)}")
        self._priced = model_has_price(self._litellm, self.model)
        self.mode = self.output_mode
        if self.mode == "auto":
            if supports_response_schema(self.model):
                self.mode = "schema"
            else:
                # An OpenAI-compatible server: llama.cpp enforces the attached schema with a grammar; others ignore it.
                self.mode = "grammar" if self.api_base else "json"
        self.use_response_schema = self.mode == "schema"
        self.local = is_local_api_base(self.api_base)
        if self.resend_timed_out is None:
            self.resend_timed_out = not self.local
        if self.lookahead is None:
            self.lookahead = (self.concurrency or 1) // LOOKAHEAD_SHARE  # a provider batch leaves it unset
        self._where = redact_url(self.api_base) or self.model
        self._secrets = secret_values()  # read once: a reply is checked against the keys the batch started with
        self._kwargs = {"api_base": self.api_base, "timeout": self.timeout,
                        "num_retries": 0, "max_retries": 0, **self.extra}  # retries are ours, with Retry-After and jitter
        if not self._priced:
            # litellm prices every response; for a model its list does not know, that is a fruitless search of
            # the whole list and then a "zero cost" diagnosis (about a fifth of the client's CPU per request).
            # A custom price skips both. It must not be zero (zero triggers the diagnosis), and it is never read:
            # the cost of an unpriced model stays unknown here (`Spend.priced`), never "$0".
            self._kwargs.update(input_cost_per_token=UNREAD_PRICE, output_cost_per_token=UNREAD_PRICE)

    @property
    def priced(self) -> bool:
        return self._priced

    @contextlib.asynccontextmanager
    async def pooled(self) -> AsyncIterator[None]:
        """Within this (one event loop): requests go through one session whose pool holds `concurrency` connections.

        litellm prepares a request (building it, pricing the reply, its logging) on the event loop before and after
        the request is on the wire. Counted against `concurrency`, that work leaves fewer requests in flight than
        allowed whenever the loop is busy: at concurrency 20 the server saw 12.7-14.2 on average. Here the pool keeps
        the limit instead (a request waits for a free connection), and `lookahead` more requests may be prepared
        meanwhile, so a freed connection is taken at once. The extra permits are added only after a request was
        seen going through the pool (aiohttp's trace hook); where litellm does not use the session (another
        transport), nothing changes: at most `concurrency` requests are prepared or in flight, as outside.
        """
        session = _pooled_session(self.concurrency) if self.lookahead else None
        self._semaphore, self._widened, self._pool = asyncio.Semaphore(self.concurrency), False, session
        if session is not None:
            self._kwargs["shared_session"] = session
        try:
            yield
        finally:
            self._kwargs.pop("shared_session", None)
            self._semaphore, self._widened, self._pool = None, False, None
            if session is not None:
                await session.close()

    def _widen(self, sent: list[float]) -> None:
        """Once a request went through the pool, let `lookahead` more be prepared while the pool is full."""
        if not sent:
            return
        self.through_pool += 1
        if not self._widened and self._pool is not None and self._semaphore is not None:
            self._widened = True
            for _ in range(self.lookahead or 0):
                self._semaphore.release()

    def _event(self, message: str) -> None:
        if self.on_event is not None:
            self.on_event(message)

    def response_format(self, name: str, schema: dict[str, Any]) -> dict[str, Any]:
        if self.mode == "grammar":
            # llama-cpp-python's server extension: JSON mode constrained to the schema by a grammar.
            return {"type": "json_object", "schema": schema}
        if self.use_response_schema:
            return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": False}}
        return {"type": "json_object"}

    def request_body(self, messages: list[dict[str, str]], response_format: dict[str, Any],
                     max_tokens: int | None = None) -> dict[str, Any]:
        """What the model is asked, without transport or keys: a synchronous call and a provider batch line alike."""
        return {"model": self.model, "messages": messages, "response_format": response_format, "temperature": 0,
                "max_tokens": max_tokens or self.max_tokens}

    def _estimate_cost(self, prompt_chars: int, max_tokens: int) -> float:
        """A pessimistic price for the next request: the prompt at ~4 characters a token, max_tokens out."""
        if not self._priced:
            return 0.0
        try:
            cin, cout = self._litellm.cost_per_token(
                model=self.model, prompt_tokens=prompt_chars // 4 + 1, completion_tokens=max_tokens
            )
            return float(cin) + float(cout)
        except Exception:
            return 0.0

    def _reserve(self, prompt_chars: int, max_tokens: int) -> float:
        if self.budget is None:
            return 0.0
        if self._exhausted:
            raise BudgetExhausted(self._exhausted)
        estimate = self._estimate_cost(prompt_chars, max_tokens)
        if self.spend.cost + self._reserved + estimate > self.budget:
            # Sticky: once one request is refused, later (even smaller) ones are too, so a batch stops cleanly.
            self._exhausted = (
                f"budget ${self.budget:.4f}: spent ${self.spend.cost:.4f}, next request could cost ${estimate:.4f}"
            )
            raise BudgetExhausted(self._exhausted)
        self._reserved += estimate
        return estimate

    def _too_slow(self) -> str:
        fewer = " or send fewer requests at once (--concurrency 1)" if self.concurrency > 1 else ""
        return (f"no reply within {self.timeout:g} s from {self._where}; not sent again (the server is still working"
                f" on it). This server is too slow for the timeout: raise --timeout (e.g. --timeout"
                f" {max(self.timeout * 4, 600):g}){fewer}, or lower the reply cap (--max-tokens)")

    async def complete(self, messages: list[dict[str, str]], response_format: dict[str, Any],
                       max_tokens: int | None = None, label: str = "request") -> Completion:
        """One chat completion, retried on transient errors; raises CallFailed or BudgetExhausted."""
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.concurrency)
        cap = max_tokens or self.max_tokens
        prompt_chars = sum(len(m["content"]) for m in messages)
        last_error = "no attempt made"
        for attempt in range(1, self.max_attempts + 1):
            async with self._semaphore:
                reserved = self._reserve(prompt_chars, cap)
                started = time.monotonic()
                sent: list[float] = []  # when the request went on the wire (the trace hook of `pooled`)
                token = _sent_at.set(sent)
                # litellm's own timeout should fire first; this is the backstop (plus, when requests may wait for a
                # free connection, as long again for that wait). A timeout scope, not `wait_for`: the call runs in
                # this task rather than a new one, two event-loop hops fewer.
                backstop = self.timeout + 5 + (self.timeout if self._widened else 0)
                try:
                    async with asyncio.timeout(backstop):
                        response = await self._litellm.acompletion(
                            **self.request_body(messages, response_format, cap), **self._kwargs
                        )
                except Exception as exc:
                    self._reserved -= reserved
                    last_error = describe(exc)
                    timed_out = _is_timeout(exc)
                    if timed_out and not self.resend_timed_out:
                        message = self._too_slow()
                        self._event(f"{label}: {message}")
                        raise CallFailed(message) from None
                    if not is_transient(exc) or attempt == self.max_attempts:
                        reason = f"{last_error} (after {attempt} attempt{'s' if attempt > 1 else ''})"
                        raise CallFailed(reason) from None
                    wait = retry_after_seconds(exc)
                else:
                    self._reserved -= reserved
                    self._widen(sent)
                    # The server's time: from the request on the wire, not from a wait for a free connection.
                    return self._account(response, time.monotonic() - (sent[0] if sent else started), attempt)
                finally:
                    _sent_at.reset(token)
            if wait is None:
                # Full jitter: spread the retries of a burst of concurrent calls.
                wait = random.uniform(0, min(self.backoff_cap, self.backoff_base * 2 ** (attempt - 1)))
            what = f"timed out after {self.timeout:g} s" if timed_out else last_error
            self._event(f"{label}: attempt {attempt} of {self.max_attempts} {what}; retrying in {wait:.1f} s")
            await asyncio.sleep(wait)
        raise CallFailed(last_error)

    def _account(self, response: Any, latency: float, attempts: int) -> Completion:
        try:
            text = response.choices[0].message.content or ""
        except (AttributeError, IndexError, TypeError):
            raise CallFailed("the reply has no message content") from None
        text = redact(text, self._secrets)  # a model that repeats a key does not get it stored, printed or exported
        usage = getattr(response, "usage", None)
        tokens_in = int(getattr(usage, "prompt_tokens", 0) or 0)
        tokens_out = int(getattr(usage, "completion_tokens", 0) or 0)
        cost: float | None = None  # null where the model is not in litellm's price list
        if self._priced:
            # litellm has already priced the response; ask again only if it did not say.
            hidden = getattr(response, "_hidden_params", None) or {}
            known = hidden.get("response_cost") if isinstance(hidden, dict) else None
            cost = float(known) if isinstance(known, (int, float)) else None
            if cost is None:
                try:
                    cost = float(self._litellm.completion_cost(completion_response=response, model=self.model))
                except Exception:
                    cost = None
        self.spend.calls += 1
        self.spend.tokens_in += tokens_in
        self.spend.tokens_out += tokens_out
        if cost is None:
            self.spend.priced = False
        else:
            self.spend.cost += cost
        return Completion(text, tokens_in, tokens_out, cost, latency, attempts)


def _is_timeout(exc: BaseException) -> bool:
    return isinstance(exc, (asyncio.TimeoutError, TimeoutError)) or type(exc).__name__ in {"Timeout", "APITimeoutError"}
