"""Throughput of `rationale critique` against a fake OpenAI-compatible server with fixed latency.

Prints the measured wall time next to the ideal for the same run:
ideal = requests x latency / concurrency (the swapped verdict requests counted),
i.e. what a client with zero overhead and perfect packing would take, and how
many requests the fake server was answering on average over the run (the
client's concurrency kept on the wire; ideal: all of them). Then a
second run over the same database, which must send zero requests, and the
prompt's make-up: tokens per critique and the share of the prompt that is the
shared static prefix (instructions + rubric + reply schemas) that providers'
prompt caching can reuse.

    .venv/bin/python bench/critique_bench.py [--critiques 200] [--concurrency 20] [--latency 0.2]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.pop("OPENAI_API_KEY", None)

from rationale import store  # noqa: E402
from rationale.critique.batch import CritiqueOptions, critique_stored  # noqa: E402
from rationale.store import open_db  # noqa: E402
from rationale.models import GoldAnswer, Item, Judgment  # noqa: E402

from conftest import CRITIQUE_RUBRIC as RUBRIC  # noqa: E402  (the critique tests' two-criterion rubric)


def fill(db_path: Path, n: int) -> None:
    items = {}
    gold = {}
    judgments = []
    for i in range(n):
        item_id = f"b{i:04d}"
        items[item_id] = Item(
            id=item_id,
            prompt=f"Question {i}: how many legs does a spider have, and why does it matter for question {i}?",
            response_a=f"Spiders have eight legs (question {i}); insects have six, which is how you tell them apart.",
            response_b=f"Six legs (question {i}).",
        )
        gold[item_id] = GoldAnswer(item_id=item_id, preference="A", strength=-2,
                                   reference_rationale="A is correct: spiders have eight legs; B says six.")
        judgments.append(Judgment(item_id=item_id, annotator="bench", preference="A", strength=-1, criteria=["honesty"],
                                  rationale=f'A is right: "Spiders have eight legs"; B says six, which is false ({i}).'))
    db = open_db(db_path)
    with db.conn:
        rubric_hash = store.save_rubric(db, RUBRIC)
        run_id = store.start_run(db, "bench", {}, rubric_hash)
        hashes = store.save_items(db, items)
        store.save_gold(db, gold, hashes)
        db.conn.executemany(
            "insert into judgments (hash, item_id, item_hash, annotator, version, preference, strength, criteria,"
            " rationale, run_id) values (?, ?, ?, ?, 1, ?, ?, '[\"honesty\"]', ?, ?)",
            [(j.content_hash, j.item_id, hashes[j.item_id], j.annotator, j.preference, j.strength, j.rationale, run_id)
             for j in judgments],
        )
    db.conn.close()


class FakeServerProcess:
    """The fake server in its own process, so its request handling does not share the client's GIL."""

    def __init__(self, latency: float):
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "fake_openai.py"), "--latency", str(latency)],
            stdout=subprocess.PIPE, text=True,
        )
        self.api_base = self.process.stdout.readline().strip()  # type: ignore[union-attr]

    def stats(self) -> dict:
        with urllib.request.urlopen(self.api_base.rsplit("/v1", 1)[0] + "/stats", timeout=5) as response:
            return json.load(response)

    def calls(self) -> int:
        return self.stats()["calls"]

    def __enter__(self) -> "FakeServerProcess":
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def raw_http_baseline(api_base: str, requests: int, concurrency: int) -> float:
    """The same number of requests with a bare httpx client (no litellm, no parsing, no database)."""
    import asyncio

    import httpx

    from rationale.critique import critique_messages

    item = Item(id="raw", prompt="How many legs does a spider have?", response_a="Eight.", response_b="Six.")
    judgment = Judgment(item_id="raw", annotator="bench", preference="A", strength=-1, rationale="A is right.")
    messages = critique_messages(RUBRIC, item, judgment)

    async def run() -> float:
        gate = asyncio.Semaphore(concurrency)
        async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=concurrency * 2)) as client:
            async def one(i: int) -> None:
                async with gate:
                    body = {"model": "raw", "messages": [*messages, {"role": "user", "content": f"TASK: verdict {i}"}]}
                    response = await client.post(api_base + "/chat/completions", json=body)
                    response.json()

            started = time.perf_counter()
            await asyncio.gather(*(one(i) for i in range(requests)))
            return time.perf_counter() - started

    return asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--critiques", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.2)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, FakeServerProcess(args.latency) as fake:
        db_path = Path(tmp) / "bench.db"
        fill(db_path, args.critiques)
        options = CritiqueOptions(model="openai/bench", api_base=fake.api_base, concurrency=args.concurrency,
                                  timeout=30, max_attempts=3)

        # Warm up litellm's import and first-call set-up outside the timing, on a separate database.
        warm = Path(tmp) / "warm.db"
        fill(warm, 1)
        critique_stored(warm, options)
        planned = critique_stored(db_path, dataclasses.replace(options, dry_run=True))

        before = fake.stats()
        started = time.perf_counter()
        first = critique_stored(db_path, options)
        elapsed = time.perf_counter() - started
        after = fake.stats()
        requests = after["calls"] - before["calls"]
        in_flight = (after["busy_seconds"] - before["busy_seconds"]) / elapsed
        ideal = requests * args.latency / args.concurrency

        raw = raw_http_baseline(fake.api_base, requests, args.concurrency)

        sent_before = fake.calls()
        started = time.perf_counter()
        second = critique_stored(db_path, options)
        second_elapsed = time.perf_counter() - started
        second_requests = fake.calls() - sent_before

    # The client's own cost per request (litellm + the OpenAI SDK + ours), measured on a near-zero-latency
    # server: no amount of concurrency can make the batch faster than this floor.
    with tempfile.TemporaryDirectory() as tmp, FakeServerProcess(0.0) as instant:
        floor_db = Path(tmp) / "floor.db"
        fill(floor_db, args.critiques)
        started, cpu_started = time.perf_counter(), time.process_time()
        floor_run = critique_stored(floor_db, dataclasses.replace(options, api_base=instant.api_base))
        floor = time.perf_counter() - started
        cpu_per_request = 1000 * (time.process_time() - cpu_started) / max(floor_run.calls_sent, 1)

    done = first.succeeded + first.failed
    print(f"critique bench: {args.critiques} critiques, concurrency {args.concurrency}, fake latency {args.latency * 1000:.0f} ms")
    print(f"  first run   : {elapsed:6.2f} s for {requests} requests ({first.succeeded} ok, {first.failed} failed)")
    print(f"  ideal       : {ideal:6.2f} s  (= {requests} requests x {args.latency:g} s / {args.concurrency})")
    print(f"  ratio       : {elapsed / ideal:6.2f} x ideal (target <= 1.20)")
    print(f"  in flight   : {in_flight:6.2f} requests being answered at the server on average, of {args.concurrency} allowed")
    print(f"  baseline    : {raw:6.2f} s = {raw / ideal:.2f} x ideal for {requests} bare httpx requests at the same"
          " concurrency (the fake server's and this machine's own overhead)")
    print(f"  client floor: {floor:6.2f} s for the same batch against a zero-latency fake"
          f" ({1000 * floor / max(requests, 1):.1f} ms of wall time per request)")
    print(f"  client CPU  : {cpu_per_request:6.2f} ms per request (this process's CPU time in that run, all threads;"
          " target <= 5)")
    print(f"  second run  : {second_elapsed:6.2f} s, {second_requests} HTTP requests, {second.already_done} already critiqued")
    print(f"  tokens/critique: {(first.tokens_in + first.tokens_out) / max(done, 1):,.0f}"
          f" ({first.tokens_in / max(done, 1):,.0f} in, {first.tokens_out / max(done, 1):,.0f} out; the fake counts chars/4)")
    print(f"  dry-run estimate beforehand: {planned.estimated_calls} requests, ~{planned.estimated_prompt_tokens:,} prompt tokens")
    print(f"  static prefix share of the prompt: {100 * (planned.static_prefix_share or 0):.1f}% of characters")


if __name__ == "__main__":
    main()
