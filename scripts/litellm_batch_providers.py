"""Which providers the installed litellm's create_batch / retrieve_batch / cancel_batch dispatch, checked offline.

Each provider is called with a placeholder batch against a closed port on
127.0.0.1; every connection elsewhere is refused and counted (nothing leaves
the machine). "dispatched" means litellm accepted the
provider and tried to reach it (a connection or credentials error follows);
"unsupported" means litellm refused the provider itself ("LiteLLM doesn't
support ..."). Bedrock, Mistral and Gemini are dispatched only when a `model`
is passed (litellm picks their batch config by model), so each provider is
tried without and with `model="PROVIDER/x"`.

    .venv/bin/python scripts/litellm_batch_providers.py
"""

from __future__ import annotations

import logging
import os
import socket
from importlib.metadata import version

PROVIDERS = ["openai", "azure", "hosted_vllm", "litellm_proxy", "xai", "vertex_ai", "bedrock", "mistral",
             "gemini", "anthropic", "groq", "together_ai", "deepseek"]
CALLS = {
    "create_batch": {"completion_window": "24h", "endpoint": "/v1/chat/completions", "input_file_id": "file-x"},
    "retrieve_batch": {"batch_id": "batch-x"},
    "cancel_batch": {"batch_id": "batch-x"},
}


def outcome(litellm, fn: str, provider: str, with_model: bool) -> str:  # type: ignore[no-untyped-def]
    extra = {"model": f"{provider}/x"} if with_model else {}
    try:
        getattr(litellm, fn)(custom_llm_provider=provider, api_base="http://127.0.0.1:9/v1", api_key="k",
                             timeout=2, max_retries=0, **CALLS[fn], **extra)
    except Exception as exc:  # the point is which exception
        return "unsupported" if "support" in str(exc) else "dispatched"
    return "dispatched"


def loopback_only() -> list[object]:
    """Refuse every connection off 127.0.0.1 (credential look-ups included); return what was tried."""
    tried: list[object] = []
    connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if self.family != socket.AF_UNIX and host not in ("127.0.0.1", "::1"):
            tried.append(address)
            raise OSError(f"not on this machine: {address}")
        return connect(self, address)  # type: ignore[arg-type]

    socket.socket.connect = guarded  # type: ignore[method-assign]
    return tried


def main() -> None:
    tried = loopback_only()
    os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
    import litellm

    litellm.suppress_debug_info = True
    logging.disable(logging.CRITICAL)
    print(f"litellm {version('litellm')}")
    print(f"{'provider':14} {'create_batch':36} {'retrieve_batch':36} cancel_batch")
    for provider in PROVIDERS:
        cells = []
        for fn in CALLS:
            plain, with_model = outcome(litellm, fn, provider, False), outcome(litellm, fn, provider, True)
            cells.append(plain if plain == with_model else f"{plain} ({with_model} with model)")
        print(f"{provider:14} {cells[0]:36} {cells[1]:36} {cells[2]}")
    print(f"connections refused off 127.0.0.1: {len(tried)}")


if __name__ == "__main__":
    main()
