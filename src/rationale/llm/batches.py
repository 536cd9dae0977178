"""Provider batch jobs through litellm's files and batches API: upload, create, poll, read; batch prices.

litellm is imported only when a `ProviderBatches` is made. The calls are
litellm's `create_file(purpose="batch")`, `create_batch`, `retrieve_batch`,
`cancel_batch`, `list_batches` (to refuse a server without the batch API
before uploading) and `file_content`; their errors become one-line `BatchJobError`s.
`scripts/litellm_batch_providers.py` shows which providers the installed
litellm serves (docs/CRITIQUE.md, Batch jobs).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ENDPOINT = "/v1/chat/completions"
COMPLETION_WINDOW = "24h"
OPENAI_MAX_REQUESTS = 50_000
OPENAI_MAX_BYTES = 200 * 1000 * 1000
TERMINAL = frozenset({"completed", "expired", "failed", "cancelled"})

BATCH_PROVIDERS = frozenset({"openai"})
"""Providers this tool submits batches to: OpenAI's batch API (api.openai.com, or a server with the same API).

litellm's create_batch serves more (see UNSUPPORTED), but their request lines or endpoints differ
(Azure's url is /chat/completions; Vertex, Bedrock, Mistral and Gemini take their own formats) and
none of them was tried here.
"""

UNSUPPORTED = (
    "provider {provider!r} cannot take a batch here: this tool submits batches to OpenAI's batch API"
    " (openai/... models, or an OpenAI-compatible server with /v1/batches through --api-base); litellm"
    " {version}'s create_batch has no route at all for anthropic, groq, together_ai or deepseek."
    " Run without --batch to send the requests one by one."
)


class BatchJobError(Exception):
    """The provider's files or batches API refused or failed; a one-line message for the CLI."""


def litellm_version() -> str:
    from importlib.metadata import version

    return version("litellm")


def check_provider(model: str) -> str:
    """The model's provider, or LLMSetupError when this tool cannot batch it."""
    from .client import LLMSetupError, provider_of

    provider = provider_of(model)
    if provider not in BATCH_PROVIDERS:
        raise LLMSetupError(UNSUPPORTED.format(provider=provider, version=litellm_version()))
    return provider


class ProviderBatches:
    """litellm's files and batches calls for one provider and server; errors become one-line BatchJobError."""

    def __init__(self, provider: str, api_base: str | None, credentials: dict[str, str]):
        from .client import import_litellm

        self.litellm = import_litellm()
        self.provider = provider
        self.api_base = api_base
        self.kwargs: dict[str, Any] = {"custom_llm_provider": provider, **credentials}
        if api_base:
            self.kwargs["api_base"] = api_base

    def _call(self, what: str, fn: Callable[[], Any]) -> Any:
        from .client import _status_of, describe

        try:
            return fn()
        except Exception as exc:
            if _status_of(exc) == 404 and self.api_base:
                raise BatchJobError(self.no_batches_message()) from None
            raise BatchJobError(f"{what} failed: {describe(exc)}") from None

    def model_name(self, model: str) -> str:
        """The provider's own name for a litellm model name (`openai/gpt-4o-mini` -> `gpt-4o-mini`)."""
        try:
            return str(self.litellm.get_llm_provider(model=model)[0])
        except Exception:
            return model.split("/", 1)[-1]

    def no_batches_message(self) -> str:
        return (
            f"the server at {self.api_base} has no OpenAI batch API (/v1/files, /v1/batches): local servers such as"
            " llama.cpp's or vLLM's usually do not; run without --batch to send the requests one by one"
        )

    def check_server(self) -> None:
        """Refuse a server without /v1/batches before uploading anything (asked only of a custom --api-base)."""
        if self.api_base:
            self._call("listing batches", lambda: self.litellm.list_batches(limit=1, **self.kwargs))

    def upload(self, data: bytes, name: str) -> str:
        created = self._call(
            "uploading the batch file",
            lambda: self.litellm.create_file(file=(name, data, "application/jsonl"), purpose="batch", **self.kwargs),
        )
        return str(created.id)

    def create(self, input_file_id: str) -> Any:
        return self._call(
            "creating the batch",
            lambda: self.litellm.create_batch(completion_window=COMPLETION_WINDOW, endpoint=ENDPOINT,
                                              input_file_id=input_file_id, **self.kwargs),
        )

    def retrieve(self, batch_id: str) -> Any:
        return self._call(f"polling batch {batch_id}",
                          lambda: self.litellm.retrieve_batch(batch_id=batch_id, **self.kwargs))

    def cancel(self, batch_id: str) -> Any:
        """Ask the provider to cancel a batch (OpenAI: POST /v1/batches/ID/cancel); the batch as it answers."""
        return self._call(f"cancelling batch {batch_id}",
                          lambda: self.litellm.cancel_batch(batch_id=batch_id, **self.kwargs))

    def content(self, file_id: str) -> str:
        got = self._call(f"reading file {file_id}", lambda: self.litellm.file_content(file_id=file_id, **self.kwargs))
        data = getattr(got, "content", got)
        return data.decode("utf-8") if isinstance(data, bytes) else str(data)


# --------------------------------------------------------------------------- prices


@dataclass
class BatchPrices:
    """USD per token for batch requests, from litellm's price list; None when the model is not priced."""

    per_token_in: float | None = None
    per_token_out: float | None = None
    source: str | None = None

    @classmethod
    def of(cls, litellm: Any, model: str) -> BatchPrices:
        try:
            info = litellm.get_model_info(model=model)
        except Exception:
            return cls()
        batch_in, batch_out = info.get("input_cost_per_token_batches"), info.get("output_cost_per_token_batches")
        if batch_in or batch_out:
            return cls(float(batch_in or 0), float(batch_out or 0), "litellm's batch prices")
        sync_in, sync_out = info.get("input_cost_per_token"), info.get("output_cost_per_token")
        if sync_in or sync_out:
            # No batch price listed: the synchronous price is an upper bound (batches are not dearer).
            return cls(float(sync_in or 0), float(sync_out or 0), "litellm's synchronous prices (no batch price listed)")
        return cls()

    @property
    def known(self) -> bool:
        return self.per_token_in is not None

    def cost(self, tokens_in: int, tokens_out: int) -> float | None:
        if self.per_token_in is None or self.per_token_out is None:
            return None
        return tokens_in * self.per_token_in + tokens_out * self.per_token_out

    def estimate(self, prompt_chars: int, max_tokens: int) -> float | None:
        """Pessimistic, as the synchronous budget: the prompt at ~4 characters a token, max_tokens out."""
        return self.cost(prompt_chars // 4 + 1, max_tokens)
