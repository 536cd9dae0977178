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
import email.utils
import os
import random
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "0.0.0.0"})
PLACEHOLDER_LOCAL_KEY = "no-key-needed-for-a-local-server"
RETRY_AFTER_CAP_SECONDS = 60.0
OUTPUT_MODES = {
    "auto": "the JSON Schema as response_format where litellm says the model supports it, else JSON mode",
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


def import_litellm() -> Any:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm

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


def _has_price(litellm: Any, model: str) -> bool:
    """Whether litellm's price list knows the model (asked once per batch: the lookup is not cheap)."""
    try:
        info = litellm.get_model_info(model=model)
    except Exception:
        return False
    return bool(info.get("input_cost_per_token") or info.get("output_cost_per_token"))


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
    status = _status_of(exc)
    text = " ".join(str(exc).split())
    if len(text) > 200:
        text = text[:197] + "..."
    prefix = f"HTTP {status} " if status else ""
    return f"{prefix}{type(exc).__name__}: {text}" if text else f"{prefix}{type(exc).__name__}"


@dataclass
class LLMClient:
    """Sends chat requests with a concurrency limit, retries with backoff, a per-call timeout and a budget."""

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
    _semaphore: asyncio.Semaphore | None = None
    _reserved: float = 0.0
    _exhausted: str = ""

    def __post_init__(self) -> None:
        self._litellm = import_litellm()
        if self.output_mode not in OUTPUT_MODES:
            raise LLMSetupError(f"unknown output mode {self.output_mode!r}; choose from {', '.join(OUTPUT_MODES)}")
        self._priced = _has_price(self._litellm, self.model)
        self.use_response_schema = self.output_mode == "schema" or (
            self.output_mode == "auto" and supports_response_schema(self.model)
        )

    @property
    def priced(self) -> bool:
        return self._priced

    def response_format(self, name: str, schema: dict[str, Any]) -> dict[str, Any]:
        if self.output_mode == "grammar":
            # llama-cpp-python's server extension: JSON mode constrained to the schema by a grammar.
            return {"type": "json_object", "schema": schema}
        if self.use_response_schema:
            return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": False}}
        return {"type": "json_object"}

    def request_body(self, messages: list[dict[str, str]], response_format: dict[str, Any]) -> dict[str, Any]:
        """What the model is asked, without transport or keys: a synchronous call and a provider batch line alike."""
        return {"model": self.model, "messages": messages, "response_format": response_format, "temperature": 0,
                "max_tokens": self.max_tokens}

    def _estimate_cost(self, prompt_chars: int) -> float:
        """A pessimistic price for the next request: the prompt at ~4 characters a token, max_tokens out."""
        if not self._priced:
            return 0.0
        try:
            cin, cout = self._litellm.cost_per_token(
                model=self.model, prompt_tokens=prompt_chars // 4 + 1, completion_tokens=self.max_tokens
            )
            return float(cin) + float(cout)
        except Exception:
            return 0.0

    def _reserve(self, prompt_chars: int) -> float:
        if self.budget is None:
            return 0.0
        if self._exhausted:
            raise BudgetExhausted(self._exhausted)
        estimate = self._estimate_cost(prompt_chars)
        if self.spend.cost + self._reserved + estimate > self.budget:
            # Sticky: once one request is refused, later (even smaller) ones are too, so a batch stops cleanly.
            self._exhausted = (
                f"budget ${self.budget:.4f}: spent ${self.spend.cost:.4f}, next request could cost ${estimate:.4f}"
            )
            raise BudgetExhausted(self._exhausted)
        self._reserved += estimate
        return estimate

    async def complete(self, messages: list[dict[str, str]], response_format: dict[str, Any]) -> Completion:
        """One chat completion, retried on transient errors; raises CallFailed or BudgetExhausted."""
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.concurrency)
        prompt_chars = sum(len(m["content"]) for m in messages)
        last_error = "no attempt made"
        for attempt in range(1, self.max_attempts + 1):
            async with self._semaphore:
                reserved = self._reserve(prompt_chars)
                started = time.monotonic()
                try:
                    response = await asyncio.wait_for(
                        self._litellm.acompletion(
                            **self.request_body(messages, response_format),
                            api_base=self.api_base,
                            timeout=self.timeout,
                            num_retries=0,  # retries are ours, with Retry-After and jitter
                            max_retries=0,
                            **self.extra,
                        ),
                        # litellm's own timeout should fire first; this is the backstop.
                        timeout=self.timeout + 5,
                    )
                except Exception as exc:
                    self._reserved -= reserved
                    last_error = describe(exc)
                    if not is_transient(exc) or attempt == self.max_attempts:
                        raise CallFailed(f"{last_error} (after {attempt} attempt{'s' if attempt > 1 else ''})") from None
                    wait = retry_after_seconds(exc)
                else:
                    self._reserved -= reserved
                    return self._account(response, time.monotonic() - started, attempt)
            if wait is None:
                # Full jitter: spread the retries of a burst of concurrent calls.
                wait = random.uniform(0, min(self.backoff_cap, self.backoff_base * 2 ** (attempt - 1)))
            await asyncio.sleep(wait)
        raise CallFailed(last_error)

    def _account(self, response: Any, latency: float, attempts: int) -> Completion:
        try:
            text = response.choices[0].message.content or ""
        except (AttributeError, IndexError, TypeError):
            raise CallFailed("the reply has no message content") from None
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
