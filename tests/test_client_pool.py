"""The reviewer client keeps its concurrency on the wire: the connection pool holds the limit, litellm prepares ahead."""

from __future__ import annotations

import asyncio
import signal
import threading
import time

import pytest

from fake_openai import FakeOpenAI
from rationale.llm.client import PLACEHOLDER_LOCAL_KEY, LLMClient

pytestmark = pytest.mark.usefixtures("loopback_only")

JSON_MODE = {"type": "json_object"}


class CountingFake(FakeOpenAI):
    """The fake server, counting how many chat requests it is answering at once."""

    def __init__(self, **kwargs: object):
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.now = self.most = 0
        self._gauge = threading.Lock()

    def _handle(self, handler, raw):  # type: ignore[no-untyped-def]
        with self._gauge:
            self.now += 1
            self.most = max(self.most, self.now)
        try:
            super()._handle(handler, raw)
        finally:
            with self._gauge:
                self.now -= 1


def client_for(api_base: str, concurrency: int, **overrides: object) -> LLMClient:
    return LLMClient(model="openai/fake-reviewer", api_base=api_base, concurrency=concurrency, timeout=10.0,
                     max_attempts=1, extra={"api_key": PLACEHOLDER_LOCAL_KEY}, **overrides)  # type: ignore[arg-type]


def send(client: LLMClient, requests: int) -> list:
    """`requests` distinct requests at once through the client's pool, as a batch sends them."""

    async def batch() -> list:
        async with client.pooled():
            return await asyncio.gather(*(
                client.complete([{"role": "system", "content": "Review."},
                                 {"role": "user", "content": f"TASK: verdict {n}"}], JSON_MODE)
                for n in range(requests)
            ))

    return asyncio.run(batch())


def test_the_server_never_sees_more_requests_at_once_than_the_concurrency_allows():
    with CountingFake(latency=0.05) as fake:
        client = client_for(fake.api_base, concurrency=4, lookahead=4)
        replies = send(client, 32)
    assert len(replies) == 32 and fake.calls() == 32
    assert fake.most == 4  # the limit was reached, never passed, with four more requests prepared meanwhile


def test_litellm_sends_through_the_pooled_session_so_requests_are_prepared_ahead():
    # Pins litellm's use of `shared_session` (its aiohttp transport): if an upgrade stops sending through the
    # session passed, the lookahead is never switched on (the limit still holds, the speed-up is gone) and this fails.
    with FakeOpenAI(latency=0.02) as fake:
        client = client_for(fake.api_base, concurrency=4)
        send(client, 8)
    assert client.lookahead == 1  # a quarter of the concurrency
    assert client.through_pool == 8


def test_no_request_is_prepared_ahead_at_a_concurrency_below_four():
    with FakeOpenAI() as fake:
        client = client_for(fake.api_base, concurrency=1)
        send(client, 3)
    assert client.lookahead == 0 and client.through_pool == 0


def test_latency_is_the_servers_time_not_the_wait_for_a_free_connection():
    with FakeOpenAI(latency=0.2) as fake:
        client = client_for(fake.api_base, concurrency=1, lookahead=1)
        replies = send(client, 3)  # one on the wire at a time: the later ones wait ~0.2 s and ~0.4 s for it
    assert all(0.2 <= r.latency < 0.35 for r in replies), [r.latency for r in replies]


def test_the_pool_is_closed_when_the_batch_ends_or_is_cancelled_and_the_client_is_usable_again():
    with FakeOpenAI(latency=0.5) as fake:
        client = client_for(fake.api_base, concurrency=4)
        sessions = []

        async def cancelled_batch() -> None:
            async def batch() -> None:
                async with client.pooled():
                    sessions.append(client._kwargs["shared_session"])
                    await client.complete([{"role": "user", "content": "TASK: verdict"}], JSON_MODE)

            task = asyncio.create_task(batch())
            await asyncio.sleep(0.1)  # the request is on the wire
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

        asyncio.run(cancelled_batch())
        assert sessions[0].closed and "shared_session" not in client._kwargs
        assert len(send(client, 2)) == 2  # a second event loop gets a pool of its own


# litellm leaves one of its internal coroutines unawaited when the batch is cancelled.
@pytest.mark.filterwarnings("ignore:coroutine 'OpenAIChatCompletion.acompletion' was never awaited:RuntimeWarning")
def test_ctrl_c_while_requests_wait_for_a_connection_keeps_what_finished_and_the_next_run_resumes(critique_judgment, critique_options, db_rows, fill_db, tmp_path):
    from rationale.critique.batch import critique_stored

    db = tmp_path / "critique.db"
    fill_db(db, [critique_judgment(f"q{n % 3 + 1}", f"A is right ({n}).", annotator=f"a{n}") for n in range(12)])

    def press_ctrl_c(report):  # type: ignore[no-untyped-def]
        signal.raise_signal(signal.SIGINT)  # after the first critique is saved, with others on the wire and waiting

    with CountingFake(latency=0.05) as fake:
        with pytest.raises(KeyboardInterrupt):
            critique_stored(db, critique_options(fake.api_base, concurrency=4), progress=press_ctrl_c)
        interrupted_most = fake.most
        saved = len(db_rows(db, "select id from critiques where status = 'ok'"))
        time.sleep(0.2)  # the fake finishes answering the requests the interrupted run left (its threads go on)
        fake.most = 0
        resumed = critique_stored(db, critique_options(fake.api_base, concurrency=4))
    assert saved >= 1 and resumed.already_done == saved and resumed.succeeded == 12 - saved
    assert interrupted_most <= 4 and fake.most <= 4
