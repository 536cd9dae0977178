"""The LLM client's small rules: which errors are retried, how long Retry-After makes it wait, local servers."""

from __future__ import annotations

import email.utils
import time
from types import SimpleNamespace

import pytest

from rationale.llm.client import RETRY_AFTER_CAP_SECONDS, is_local_api_base, is_transient, retry_after_seconds


def error_with(status: int | None = None, headers: dict | None = None) -> Exception:
    exc = Exception("boom")
    exc.status_code = status  # type: ignore[attr-defined]
    exc.response = SimpleNamespace(headers=headers or {}, status_code=status)  # type: ignore[attr-defined]
    return exc


def test_retry_after_in_seconds_is_honoured():
    assert retry_after_seconds(error_with(429, {"retry-after": "2.5"})) == 2.5


def test_retry_after_as_an_http_date_becomes_seconds_from_now():
    when = email.utils.formatdate(time.time() + 10, usegmt=True)
    assert 8 <= retry_after_seconds(error_with(429, {"Retry-After": when})) <= 10


def test_a_huge_retry_after_is_capped():
    assert retry_after_seconds(error_with(429, {"retry-after": "86400"})) == RETRY_AFTER_CAP_SECONDS


def test_no_retry_after_means_backoff_decides():
    assert retry_after_seconds(error_with(500)) is None


@pytest.mark.parametrize(("status", "transient"), [(429, True), (500, True), (503, True), (408, True), (400, False),
                                                    (401, False), (404, False)])
def test_rate_limits_server_errors_and_timeouts_are_retried_client_errors_are_not(status, transient):
    assert is_transient(error_with(status)) is transient


def test_a_timeout_is_retried():
    assert is_transient(TimeoutError())


@pytest.mark.parametrize(
    ("api_base", "local"),
    [("http://127.0.0.1:8080/v1", True), ("http://localhost:11434", True), ("http://[::1]:8000/v1", True),
     ("https://api.openai.com/v1", False), ("http://10.0.0.5:8000/v1", False), (None, False)],
)
def test_only_loopback_servers_count_as_local(api_base, local):
    assert is_local_api_base(api_base) is local


def test_what_litellm_leaves_alive_after_its_import_is_never_walked_by_the_garbage_collector():
    import gc

    from rationale.llm.client import import_litellm

    litellm = import_litellm()
    # Frozen objects are out of every generation: a full collection during a batch does not walk the price list.
    assert gc.get_freeze_count() > 0
    assert not gc.is_tracked(litellm.model_cost) or all(o is not litellm.model_cost for o in gc.get_objects())
