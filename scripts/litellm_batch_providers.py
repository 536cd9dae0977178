"""Which providers the installed litellm's create_batch / retrieve_batch dispatch, checked offline.

Each provider is called with a placeholder batch against a closed port on
127.0.0.1 (nothing leaves the machine). "dispatched" means litellm accepted the
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
from importlib.metadata import version

PROVIDERS = ["openai", "azure", "hosted_vllm", "litellm_proxy", "xai", "vertex_ai", "bedrock", "mistral",
             "gemini", "anthropic", "groq", "together_ai", "deepseek"]
CALLS = {
    "create_batch": {"completion_window": "24h", "endpoint": "/v1/chat/completions", "input_file_id": "file-x"},
    "retrieve_batch": {"batch_id": "batch-x"},
}


def outcome(litellm, fn: str, provider: str, with_model: bool) -> str:  # type: ignore[no-untyped-def]
    extra = {"model": f"{provider}/x"} if with_model else {}
    try:
        getattr(litellm, fn)(custom_llm_provider=provider, api_base="http://127.0.0.1:9/v1", api_key="k",
                             timeout=2, max_retries=0, **CALLS[fn], **extra)
    except Exception as exc:  # the point is which exception
        return "unsupported" if "support" in str(exc) else "dispatched"
    return "dispatched"


def main() -> None:
    os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
    import litellm

    litellm.suppress_debug_info = True
    logging.disable(logging.CRITICAL)
    print(f"litellm {version('litellm')}")
    print(f"{'provider':14} {'create_batch':26} {'retrieve_batch':26}")
    for provider in PROVIDERS:
        cells = []
        for fn in CALLS:
            plain, with_model = outcome(litellm, fn, provider, False), outcome(litellm, fn, provider, True)
            cells.append(plain if plain == with_model else f"{plain} ({with_model} with model)")
        print(f"{provider:14} {cells[0]:26} {cells[1]:26}")


if __name__ == "__main__":
    main()
