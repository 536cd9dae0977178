"""Benchmark `rationale import hh-rlhf` on generated hh-rlhf-shaped data.

Generates N pairs (gzip JSON Lines, the shape of Anthropic's hh-rlhf files:
multi-turn `chosen`/`rejected` transcripts sharing a prefix) and imports
them, each run in a fresh process so its peak RSS is its own. Printed next
to two baselines measured in the same run on the same file:

* parse-only: stream the gzip file and json.loads every line, keeping nothing
  (the floor any streaming importer pays);
* load-all: read every row into a list first (what a non-streaming importer
  would hold);
* startup: only import the importer's modules (pydantic, the models), the
  fixed part of the import's peak.

Memory is flat when the import's peak RSS at 160k is about its peak at 20k,
while load-all grows with N.

    .venv/bin/python bench/import_bench.py            # 20,000 and 160,000 pairs
    .venv/bin/python bench/import_bench.py 5000 40000
"""

from __future__ import annotations

import gzip
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = (
    "the a to and of I you it is that for can what how do not be with your this are have on "
    "help people some would could about like know think sure make time way good want need one "
    "water money car house friend work school law police food phone dog cat doctor question "
    "answer because maybe really here there never always usually happy sorry please thanks"
).split()

CHILD = r"""
import json, resource, sys, time
mode, source, out = sys.argv[1], sys.argv[2], sys.argv[3]
start = time.perf_counter()
if mode == "import":
    from rationale.importers import import_source
    summary = import_source("hh-rlhf", [source], out, seed=0)
    count = summary.items
elif mode == "parse-only":
    import gzip
    count = 0
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        for line in handle:
            json.loads(line)
            count += 1
elif mode == "startup":
    import rationale.importers.hh_rlhf  # noqa: F401  (pydantic and the models: the import's fixed cost)
    count = None
else:  # load-all
    import gzip
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    count = len(rows)
seconds = time.perf_counter() - start
print(json.dumps({"count": count, "seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def generate(path: Path, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as handle:
        for _ in range(n):
            turns = []
            for _ in range(rng.randint(1, 3)):
                turns.append(f"\n\nHuman: {sentence(rng, rng.randint(6, 25))}")
                turns.append(f"\n\nAssistant: {sentence(rng, rng.randint(10, 40))}")
            prefix = "".join(turns[:-1])
            chosen = f"{prefix}\n\nAssistant: {sentence(rng, rng.randint(10, 60))}"
            rejected = f"{prefix}\n\nAssistant: {sentence(rng, rng.randint(10, 60))}"
            handle.write(json.dumps({"chosen": chosen, "rejected": rejected}) + "\n")


def run(mode: str, source: Path, out: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, mode, str(source), str(out)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main(sizes: list[int]) -> None:
    print(f"{'pairs':>8}  {'what':<12} {'seconds':>8}  {'rows/s':>8}  {'peak RSS MB':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            source = Path(tmp) / f"hh-{n}.jsonl.gz"
            started = time.perf_counter()
            generate(source, n)
            size_mb = source.stat().st_size / 1e6
            print(f"{n:>8,}  generated {size_mb:.1f} MB gzip in {time.perf_counter() - started:.1f} s")
            for mode in ("startup", "parse-only", "load-all", "import"):
                result = run(mode, source, Path(tmp) / f"out-{n}")
                if mode == "startup":
                    print(f"{n:>8,}  {mode:<12} {result['seconds']:>8.2f}  {'':>8}  {result['peak_mb']:>11.1f}")
                    continue
                assert result["count"] == n, result
                print(
                    f"{n:>8,}  {mode:<12} {result['seconds']:>8.2f}  {n / result['seconds']:>8,.0f}  {result['peak_mb']:>11.1f}"
                )
            out_mb = sum(f.stat().st_size for f in (Path(tmp) / f"out-{n}").iterdir()) / 1e6
            print(f"{n:>8,}  wrote {out_mb:.1f} MB of items.jsonl + gold.jsonl")
            source.unlink()
            for f in (Path(tmp) / f"out-{n}").iterdir():
                f.unlink()


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [20_000, 160_000])
