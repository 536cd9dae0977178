"""`critique --batch` / `--collect`: provider batch jobs against a fake files-and-batches server on 127.0.0.1."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

from fake_batches import FakeBatches
from fake_openai import FakeOpenAI
from rationale.critique.batch import critique_stored
from rationale.critique.provider_batch import BatchJobOptions, run_batch_jobs
from rationale.llm.batches import BatchJobError
from rationale.llm.client import LLMSetupError

pytestmark = pytest.mark.usefixtures("loopback_only")

FAST = {"poll_interval": 0.01}


@pytest.fixture
def fake():
    with FakeBatches() as server:
        yield server


@pytest.fixture
def db(tmp_path):
    return tmp_path / "batch.db"


@pytest.fixture
def stored(db_rows):  # type: ignore[no-untyped-def]
    """The stored critiques by annotator/item: (status, failure reason)."""

    def stored(db) -> dict[str, tuple[str, str | None]]:  # type: ignore[no-untyped-def]
        rows = db_rows(db, "select annotator, item_id, status, failure_reason from critiques")
        return {f"{r['annotator']}/{r['item_id']}": (r["status"], r["failure_reason"]) for r in rows}

    return stored


def submit(db, options, **jobs):  # type: ignore[no-untyped-def]
    return run_batch_jobs(db, options, BatchJobOptions(**{**FAST, **jobs}))


def collect(db, options, **jobs):  # type: ignore[no-untyped-def]
    return run_batch_jobs(db, options, BatchJobOptions(submit=False, **{**FAST, **jobs}))


# --------------------------------------------------------------------------- what is submitted


def test_each_request_is_one_jsonl_line_whose_custom_id_is_its_cache_key(critique_options, fill_db, three_judgments, fake, db, db_rows):
    fill_db(db, three_judgments())
    report = submit(db, critique_options(fake.api_base))
    assert report.requests_submitted == 6 and len(report.submitted) == 1
    lines = fake.input_lines(report.submitted[0].batch_id)
    assert len(lines) == 6
    assert all(line["method"] == "POST" and line["url"] == "/v1/chat/completions" for line in lines)
    recorded = db_rows(db, "select key, kind from llm_batch_requests")
    assert sorted(line["custom_id"] for line in lines) == sorted(r["key"] for r in recorded)
    assert sorted(r["kind"] for r in recorded) == ["critique"] * 3 + ["verdict"] * 3


def test_a_batch_line_carries_the_body_the_synchronous_path_sends(critique_options, fill_db, three_judgments, fake, db, tmp_path):
    fill_db(db, three_judgments())
    report = submit(db, critique_options(fake.api_base))
    batched = {json.dumps(line["body"]["messages"]): line["body"] for line in fake.input_lines(report.submitted[0].batch_id)}
    sync_db = tmp_path / "sync.db"
    fill_db(sync_db, three_judgments())
    with FakeOpenAI() as chat:
        critique_stored(sync_db, critique_options(chat.api_base))
        sent = [r.body for r in chat.requests]
    assert len(sent) == 6
    for body in sent:
        # Field for field what went over the wire: a parameter added to the synchronous call but not to
        # LLMClient.request_body would show here.
        assert batched[json.dumps(body["messages"])] == body
    assert set(body) == {"model", "messages", "response_format", "temperature", "max_tokens"}
    assert body["model"] == "fake-reviewer"  # the provider's name, without litellm's "openai/"


def test_files_are_split_at_the_request_limit(critique_options, fill_db, three_judgments, fake, db):
    fill_db(db, three_judgments())
    report = submit(db, critique_options(fake.api_base), max_requests=4)
    assert [job.requests for job in report.submitted] == [4, 2]
    assert fake.count("POST /v1/files") == 2 and fake.count("POST /v1/batches") == 2


def test_files_are_split_at_the_size_limit(critique_options, fill_db, three_judgments, fake, db):
    fill_db(db, three_judgments())
    report = submit(db, critique_options(fake.api_base), max_bytes=10_000)  # each line is about 7 kB
    assert [job.requests for job in report.submitted] == [1] * 6
    assert all(job.bytes <= 10_000 for job in report.submitted)


def test_the_files_and_batches_recorded_are_the_providers(critique_options, fill_db, three_judgments, fake, db, db_rows, reviewer_model):
    fill_db(db, three_judgments())
    submit(db, critique_options(fake.api_base))
    [row] = db_rows(db, "select * from llm_batches")
    assert row["batch_id"] in fake.batches and row["input_file_id"] == fake.batches[row["batch_id"]]["input_file_id"]
    assert (row["provider"], row["model"], row["api_base"], row["purpose"]) == ("openai", reviewer_model, fake.api_base, "first")
    assert row["requests"] == 6 and row["collected_at"] is None


def test_nothing_already_answered_or_already_in_a_batch_is_submitted_again(critique_options, fill_db, three_judgments, fake, db):
    fill_db(db, three_judgments())
    submit(db, critique_options(fake.api_base))
    again = submit(db, critique_options(fake.api_base))
    assert again.requests_submitted == 0 and again.critiques_waiting == 3
    assert fake.count("POST /v1/batches") == 1


def test_no_swap_submits_one_request_per_critique(critique_options, fill_db, three_judgments, fake, db):
    fill_db(db, three_judgments())
    report = submit(db, critique_options(fake.api_base, swap=False))
    assert report.requests_submitted == 3


# --------------------------------------------------------------------------- polling and collecting


def test_collect_follows_the_status_until_the_batch_completes(critique_options, fill_db, three_judgments, fake, db, stored):
    fill_db(db, three_judgments())
    options = critique_options(fake.api_base)
    assert submit(db, options).batches[0].status == "validating"
    seen = [collect(db, options).batches[0].status for _ in range(3)]
    assert seen == ["in_progress", "finalizing", "completed"]
    assert set(stored(db).values()) == {("ok", None)}


def test_an_open_batch_stores_no_critique_and_says_they_wait(critique_options, fill_db, three_judgments, fake, db, stored):
    fill_db(db, three_judgments())
    fake.hold = True
    options = critique_options(fake.api_base)
    submit(db, options)
    report = collect(db, options)
    assert report.critiques_waiting == 3 and report.critique.succeeded == 0
    assert stored(db) == {}


def test_collected_critiques_equal_the_synchronous_ones(critique_options, fill_db, three_judgments, fake, db, db_rows, tmp_path):
    fill_db(db, three_judgments())
    submit(db, critique_options(fake.api_base), wait=True)
    sync_db = tmp_path / "sync.db"
    fill_db(sync_db, three_judgments())
    with FakeOpenAI() as chat:
        critique_stored(sync_db, critique_options(chat.api_base))
    volatile = {"latency_seconds", "tokens_in", "tokens_out", "cost"}

    def bodies(path):  # type: ignore[no-untyped-def]
        rows = db_rows(path, "select id, body from critiques order by id")
        return [(r["id"], {k: v for k, v in json.loads(r["body"]).items() if k not in volatile}) for r in rows]

    assert bodies(db) == bodies(sync_db)


def test_collected_replies_fill_the_cache_so_a_synchronous_run_sends_nothing(critique_options, fill_db, three_judgments, fake, db, db_rows):
    fill_db(db, three_judgments())
    submit(db, critique_options(fake.api_base), wait=True)
    assert len(db_rows(db, "select key from llm_cache")) == 6
    with FakeOpenAI() as chat:
        report = critique_stored(db, critique_options(chat.api_base, retry_failed=True))
        assert chat.calls() == 0
    assert report.already_done == 3


def test_a_re_run_of_batch_collects_and_submits_nothing_new(critique_options, fill_db, three_judgments, fake, db, stored):
    fill_db(db, three_judgments())
    options = critique_options(fake.api_base)
    submit(db, options)
    for _ in range(3):
        report = submit(db, options)
    assert report.critique.succeeded == 3 and report.requests_submitted == 0
    assert fake.count("POST /v1/batches") == 1
    assert len(stored(db)) == 3


def test_an_error_line_becomes_a_failed_critique_with_its_reason(critique_options, critique_judgment, fill_db, fake, db, stored):
    fill_db(db, [critique_judgment("q1", "A is right. BATCHFAULT:error"), critique_judgment("q3", "A is right: the sun is a star.")])
    report = submit(db, critique_options(fake.api_base), wait=True)
    assert (report.critique.succeeded, report.critique.failed) == (1, 1)
    status, reason = stored(db)["ana/q1"]
    assert status == "failed"
    assert reason == "critique request: HTTP 500: server_error: The model crashed."
    assert stored(db)["ana/q3"] == ("ok", None)


def test_lines_an_expired_batch_never_ran_become_failed_critiques(critique_options, critique_judgment, fill_db, fake, db, stored):
    fill_db(db, [critique_judgment("q1", "A is right. BATCHFAULT:expire"), critique_judgment("q3", "A is right: the sun is a star.")])
    report = submit(db, critique_options(fake.api_base), wait=True)
    assert report.batches[0].status == "expired"
    status, reason = stored(db)["ana/q1"]
    assert status == "failed" and "batch_expired" in reason and "completion window expired" in reason
    assert stored(db)["ana/q3"] == ("ok", None)  # what ran before the window closed is kept


def test_a_batch_that_failed_validation_fails_every_critique_with_the_providers_errors(critique_options, fill_db, three_judgments, fake, db, stored):
    fill_db(db, three_judgments())
    fake.reject_batches = True
    report = submit(db, critique_options(fake.api_base), wait=True)
    assert report.batches[0].status == "failed" and report.critique.failed == 3
    for status, reason in stored(db).values():
        assert status == "failed"
        assert reason.startswith("critique request: batch batch-2 ended failed before this request ran (")
        assert "The model is not available for batches." in reason


def test_retry_failed_submits_the_failed_requests_again(critique_options, critique_judgment, fill_db, fake, db, stored):
    fill_db(db, [critique_judgment("q1", "A is right. BATCHFAULT:error")])
    options = critique_options(fake.api_base)
    submit(db, options, wait=True)
    assert submit(db, options).requests_submitted == 0  # failed before: skipped without --retry-failed
    again = submit(db, critique_options(fake.api_base, retry_failed=True), wait=True)
    assert again.requests_submitted == 1  # the critique request; its verdict request was answered
    assert stored(db)["ana/q1"][0] == "failed"  # the fake fails it every time


# --------------------------------------------------------------------------- repairs


def test_an_invalid_reply_is_repaired_synchronously_by_default(critique_options, critique_judgment, fill_db, fake, db, db_rows, stored):
    fill_db(db, [critique_judgment("q1", "A is right. BATCHFAULT:invalid")])
    report = submit(db, critique_options(fake.api_base), wait=True)
    assert report.repairs_sent == 1 and fake.count("POST /v1/chat/completions") == 1
    repair = fake.chat_bodies[0]["messages"]
    assert repair[-2] == {"role": "assistant", "content": "I prefer A; it reads better."}
    assert repair[-1]["content"].startswith("That reply is not valid: the reply is not JSON.")
    assert stored(db)["ana/q1"] == ("ok", None)
    body = json.loads(db_rows(db, "select body from critiques")[0]["body"])
    assert body["raw_responses"][0] == "I prefer A; it reads better."  # both replies are kept, as in the synchronous path
    assert len(body["raw_responses"]) == 3  # the invalid critique reply, its repair, the verdict


def test_an_invalid_reply_can_be_repaired_in_a_batch(critique_options, critique_judgment, fill_db, fake, db, stored):
    fill_db(db, [critique_judgment("q1", "A is right. BATCHFAULT:invalid")])
    report = submit(db, critique_options(fake.api_base), wait=True, repair="batch")
    assert fake.count("POST /v1/chat/completions") == 0
    assert [job.purpose for job in report.batches] == ["first", "repair"]
    [repair_batch] = [b for b in fake.batches if b != report.batches[0].batch_id]
    [line] = fake.input_lines(repair_batch)
    assert line["body"]["messages"][-2]["role"] == "assistant"
    assert stored(db)["ana/q1"] == ("ok", None)


@pytest.mark.parametrize("repair", ["sync", "batch"])
def test_a_reply_still_invalid_after_its_repair_fails_the_critique(critique_options, critique_judgment, fill_db, fake, db, stored, repair):
    fill_db(db, [critique_judgment("q1", "A is right. BATCHFAULT:invalid-always")])
    submit(db, critique_options(fake.api_base), wait=True, repair=repair)
    status, reason = stored(db)["ana/q1"]
    assert status == "failed"
    assert reason == "critique reply still invalid after one repair: the reply is not JSON"


# --------------------------------------------------------------------------- prices and refusals


def test_the_budget_is_spent_at_batch_prices(critique_options, fill_db, three_judgments, fake, db):
    fill_db(db, three_judgments())
    # gpt-4o-mini's batch prices are half its synchronous ones in litellm's list: this budget takes every
    # request at batch prices, and would take fewer at synchronous prices.
    options = critique_options(fake.api_base, model="openai/gpt-4o-mini", swap=False)
    full = submit(db, critique_options(fake.api_base, model="openai/gpt-4o-mini", swap=False, dry_run=True))
    assert full.price_source == "litellm's batch prices" and full.requests_submitted == 3
    budget = full.estimated_cost * 1.01
    report = submit(db, critique_options(fake.api_base, model="openai/gpt-4o-mini", swap=False, budget=budget))
    assert report.requests_submitted == 3 and report.requests_not_submitted == 0
    assert report.estimated_cost == pytest.approx(full.estimated_cost)
    assert options.model == report.model


def test_a_budget_below_the_batch_estimate_submits_fewer_requests_and_says_why(critique_options, fill_db, three_judgments, fake, db):
    fill_db(db, three_judgments())
    full = submit(db, critique_options(fake.api_base, model="openai/gpt-4o-mini", swap=False, dry_run=True))
    report = submit(db, critique_options(fake.api_base, model="openai/gpt-4o-mini", swap=False, budget=full.estimated_cost * 0.5))
    assert report.requests_submitted == 1 and report.requests_not_submitted == 2
    assert report.critique.not_started == 2
    assert report.critique.stopped.startswith("budget $")


def test_collected_costs_use_batch_prices(critique_options, fill_db, three_judgments, fake, db, db_rows):
    fill_db(db, three_judgments())
    submit(db, critique_options(fake.api_base, model="openai/gpt-4o-mini", swap=False), wait=True)
    import litellm

    info = litellm.get_model_info(model="openai/gpt-4o-mini")
    for row in db_rows(db, "select tokens_in, tokens_out, cost from llm_cache"):
        expected = row["tokens_in"] * info["input_cost_per_token_batches"] + row["tokens_out"] * info["output_cost_per_token_batches"]
        assert row["cost"] == pytest.approx(expected)


def test_a_server_without_the_batch_api_is_refused_before_anything_is_uploaded(critique_options, fill_db, three_judgments, db, db_rows):
    fill_db(db, three_judgments())
    with FakeBatches(batches_api=False) as plain:
        with pytest.raises(BatchJobError, match=r"has no OpenAI batch API \(/v1/files, /v1/batches\)"):
            submit(db, critique_options(plain.api_base))
        assert plain.count("POST") == 0
    assert db_rows(db, "select * from llm_batches") == []


def test_a_provider_litellm_cannot_batch_is_refused_with_the_version_checked(critique_options, fill_db, three_judgments, db):
    fill_db(db, three_judgments())
    with pytest.raises(LLMSetupError, match=r"provider 'anthropic' cannot take a batch here: .* litellm 1\.\d+\.\d+'s create_batch has no route at all for anthropic"):
        submit(db, critique_options(None, model="anthropic/claude-3-5-haiku-latest"))


# --------------------------------------------------------------------------- resuming


def _wait_for(condition, seconds: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _kill_when(model, fake, db, flag, condition) -> None:  # type: ignore[no-untyped-def]
    """Run `critique FLAG --wait` in another process and SIGKILL it once `condition()` holds (it must still run)."""
    command = [sys.executable, "-c", "from rationale.cli import main; main()", "critique", "--model", model,
               "--api-base", fake.api_base, "--db", str(db), flag, "--wait", "--poll-interval", "0.05"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for(lambda: condition() or process.poll() is not None)
        assert process.poll() is None, process.stderr.read().decode()  # type: ignore[union-attr]
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stderr.close()  # type: ignore[union-attr]
    assert process.returncode == -signal.SIGKILL


def test_a_collect_after_the_submitting_process_was_killed_stores_every_critique(critique_options, fill_db, three_judgments, fake, db, db_rows, stored, reviewer_model):
    fill_db(db, three_judgments())
    fake.hold = True  # the batch stays in_progress while the submitting process polls it
    _kill_when(reviewer_model, fake, db, "--batch", lambda: fake.count("GET /v1/batches/") > 0)
    assert stored(db) == {}
    assert [r["batch_id"] for r in db_rows(db, "select batch_id from llm_batches")] == list(fake.batches)

    fake.hold = False
    report = collect(db, critique_options(fake.api_base), wait=True)
    assert report.critique.succeeded == 3
    assert set(stored(db).values()) == {("ok", None)}
    assert fake.count("POST /v1/files") == 1 and fake.count("POST /v1/batches") == 1  # nothing sent twice


def test_a_file_uploaded_whose_batch_was_never_created_is_submitted_by_the_next_run(critique_options, fill_db, three_judgments, fake, db, db_rows, stored):
    fill_db(db, three_judgments())
    fake.refuse_create = True
    with pytest.raises(BatchJobError, match="creating the batch failed: HTTP 500"):
        submit(db, critique_options(fake.api_base))
    [row] = db_rows(db, "select * from llm_batches")
    assert (row["batch_id"], row["status"]) == (None, "uploaded")

    fake.refuse_create = False
    report = collect(db, critique_options(fake.api_base), wait=True)
    assert report.critique.succeeded == 3
    assert fake.count("POST /v1/files") == 1  # the file uploaded before is the one submitted


# --------------------------------------------------------------------------- the command line


def cli(db, api_base, *args):  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from rationale.cli import main

    return CliRunner().invoke(main, ["critique", "--model", "openai/fake-reviewer", "--api-base", api_base,
                                     "--db", str(db), *args])


def test_the_command_submits_then_collects_and_says_what_waits(fill_db, three_judgments, fake, db):
    fill_db(db, three_judgments())
    submitted = cli(db, fake.api_base, "--batch")
    assert submitted.exit_code == 0, submitted.output
    assert "submitted 6 requests in 1 batch job(s)" in submitted.stdout
    assert "batch batch-2 (first): validating, 0/6 done; open" in submitted.stdout
    assert "3 critiques wait for open batch jobs: run `rationale critique --collect --model openai/fake-reviewer` later" in submitted.stdout
    collected = cli(db, fake.api_base, "--collect", "--wait", "--poll-interval", "0.01")
    assert collected.exit_code == 0, collected.output
    assert "batch batch-2 (first): completed, 6/6 done; collected" in collected.stdout
    assert "critiqued 3/3 · ok 3 · failed 0" in collected.stdout
    assert "wait for open batch jobs" not in collected.stdout


def test_the_json_report_matches_its_schema(fill_db, three_judgments, fake, db):
    import jsonschema

    from rationale.schemas_gen import schema_for

    fill_db(db, three_judgments())
    result = cli(db, fake.api_base, "--batch", "--wait", "--poll-interval", "0.01", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    jsonschema.validate(payload, schema_for("critique-batch-jobs-report"))
    assert payload["critique"]["succeeded"] == 3 and payload["batches"][0]["collected"] is True


@pytest.mark.parametrize(("args", "message"), [
    (["--batch", "--collect"], "give one of them"),
    (["--wait"], "--wait is for --batch, --collect or --cancel"),
    (["--cancel", "--collect"], "give one of them"),
    (["--cancel", "--evaluate"], "--evaluate reads stored critiques: run it without --cancel"),
    (["--batch", "--evaluate"], "--evaluate reads stored critiques"),
])
def test_contradictory_batch_options_are_a_usage_error(fill_db, three_judgments, fake, db, args, message):
    fill_db(db, three_judgments())
    result = cli(db, fake.api_base, *args)
    assert result.exit_code == 2 and message in result.output
    assert fake.paths == []


def test_the_command_refuses_a_local_server_without_batches_in_one_line(fill_db, three_judgments, db, stored):
    fill_db(db, three_judgments())
    with FakeBatches(batches_api=False) as plain:
        result = cli(db, plain.api_base, "--batch")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: the server at {plain.api_base} has no OpenAI batch API (/v1/files, /v1/batches): local servers such as"
        " llama.cpp's or vLLM's usually do not; run without --batch to send the requests one by one"
    ]
    assert stored(db) == {}


# --------------------------------------------------------------------------- what litellm offers (docs/CRITIQUE.md)


def _create_batch_outcome(provider: str) -> str:
    import litellm

    try:
        litellm.create_batch(completion_window="24h", endpoint="/v1/chat/completions", input_file_id="file-x",
                             custom_llm_provider=provider, api_base="http://127.0.0.1:9/v1", api_key="k", timeout=2,
                             max_retries=0)
    except Exception as exc:
        return "unsupported" if "doesn't support" in str(exc) else "dispatched"
    return "dispatched"


def test_the_installed_litellm_batches_openai_but_not_anthropic_as_documented():
    from rationale.llm.client import import_litellm

    import_litellm()
    assert _create_batch_outcome("openai") == "dispatched"
    assert _create_batch_outcome("anthropic") == "unsupported"


def test_the_api_key_reaches_neither_the_batch_files_nor_the_database(critique_options, fill_db, three_judgments, fake, db, monkeypatch):
    secret = "sk-test-NEVER-STORE-THIS-0123456789"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    fill_db(db, three_judgments())
    submit(db, critique_options(fake.api_base), wait=True)
    assert fake.authorizations == {f"Bearer {secret}"}  # the key was used, on the wire only
    assert all(secret.encode() not in data for data in fake.files.values())
    for path in db.parent.glob(db.name + "*"):
        assert secret.encode() not in path.read_bytes()


# --------------------------------------------------------------------------- waiting


def test_a_failed_poll_stops_a_collect_that_does_not_wait(critique_options, fill_db, three_judgments, fake, db):
    fill_db(db, three_judgments())
    submit(db, critique_options(fake.api_base))
    fake.failing_polls = 3  # the OpenAI SDK under litellm tries a 500 three times before it gives up
    with pytest.raises(BatchJobError, match=r"polling batch batch-2 failed: HTTP 500"):
        collect(db, critique_options(fake.api_base))


def test_waiting_polls_again_after_a_failed_poll(critique_options, fill_db, three_judgments, fake, db, stored):
    fill_db(db, three_judgments())
    fake.failing_polls = 3  # one poll fails for good (the SDK's three tries)
    report = submit(db, critique_options(fake.api_base), wait=True)
    assert report.critique.succeeded == 3
    assert fake.count("GET /v1/batches/") == 3 + 3  # the failed poll, then validating -> ... -> completed


def test_waiting_stops_at_max_wait_and_says_so(critique_options, fill_db, three_judgments, fake, db, stored):
    fill_db(db, three_judgments())
    fake.hold = True
    report = submit(db, critique_options(fake.api_base), wait=True, max_wait=0.2)
    assert report.critiques_waiting == 3 and stored(db) == {}
    assert "stopped waiting after 0.2 s; batches are still open" in report.critique.notes


def test_progress_says_each_change_of_a_batch_once(critique_options, fill_db, three_judgments, fake, db):
    fill_db(db, three_judgments())
    fake.failing_polls = 3  # one poll fails for good: it is said, and the unchanged state is not said again
    lines: list[str] = []
    run_batch_jobs(db, critique_options(fake.api_base), BatchJobOptions(wait=True, **FAST), progress=lines.append)
    assert lines[1].startswith("polling batch batch-2 failed: HTTP 500 ") and lines[1].endswith("; polling again in 0.01 s")
    assert "upstream hiccup" in lines[1]
    assert lines[:1] + lines[2:] == [
        "batch batch-2 (first): validating, 0/6 done",
        "batch batch-2 (first): in_progress, 0/6 done",
        "batch batch-2 (first): finalizing, 0/6 done",
        "batch batch-2 (first): completed, 6/6 done",
    ]


def test_a_batch_job_on_gold_with_key_points_stores_the_reviewed_grade_as_the_synchronous_path_does(
    critique_options, fill_reviewed_db, reviewed_judgment, fake, db, db_rows, stored, tmp_path
):
    names = ("strong", "weak")
    fill_reviewed_db(db, [reviewed_judgment(name) for name in names])
    submit(db, critique_options(fake.api_base), wait=True)
    assert sorted(r["kind"] for r in db_rows(db, "select kind from llm_batch_requests")) == (
        ["critique"] * 2 + ["reading"] * 2 + ["verdict"]  # one swapped verdict: both answer the same item
    )
    assert set(stored(db).values()) == {("ok", None)}
    sync_db = tmp_path / "sync.db"
    fill_reviewed_db(sync_db, [reviewed_judgment(name) for name in names])
    with FakeOpenAI() as chat:
        critique_stored(sync_db, critique_options(chat.api_base))

    def reviewed(path):  # type: ignore[no-untyped-def]
        return sorted((r["annotator"], r["passed"], r["score"]) for r in db_rows(path, "select * from reviewed_grades"))

    assert len(reviewed(db)) == 2 and reviewed(db) == reviewed(sync_db)


# --------------------------------------------------------------------------- cancelling (--cancel)


def cancel(db, options, **jobs):  # type: ignore[no-untyped-def]
    return run_batch_jobs(db, options, BatchJobOptions(submit=False, cancel=True, **{**FAST, **jobs}))


def _batch_row(db, db_rows):  # type: ignore[no-untyped-def]
    [row] = db_rows(db, "select batch_id, status, cancelled_at, collected_at from llm_batches")
    return row


def test_cancel_asks_the_provider_and_records_when(critique_options, fill_db, three_judgments, fake, db, db_rows, stored):
    fill_db(db, three_judgments())
    fake.hold = True
    options = critique_options(fake.api_base)
    submit(db, options)
    report = cancel(db, options)
    assert fake.count("POST /v1/batches/batch-2/cancel") == 1
    [outcome] = report.cancels
    assert (outcome.batch_id, outcome.outcome, outcome.status) == ("batch-2", "cancelling", "cancelling")
    assert "requests already running may still finish (and be billed)" in outcome.message
    row = _batch_row(db, db_rows)
    assert row["status"] == "cancelling" and row["cancelled_at"] is not None and row["collected_at"] is None
    assert report.critiques_waiting == 3 and stored(db) == {}


def test_a_collect_after_a_cancel_keeps_what_ran_and_fails_the_rest_as_cancelled(critique_options, fill_db, three_judgments, fake, db, db_rows, stored):
    fill_db(db, three_judgments())
    fake.finished_before_cancel = 2  # the first critique's two requests ran before the cancel took effect
    options = critique_options(fake.api_base)
    first = submit(db, options)
    ran = {line["custom_id"] for line in fake.input_lines(first.submitted[0].batch_id)[:2]}
    cancel(db, options)
    report = collect(db, options)
    assert report.batches[0].status == "cancelled" and report.batches[0].collected
    assert (report.critique.succeeded, report.critique.failed) == (1, 2)
    assert {r["key"] for r in db_rows(db, "select key from llm_cache")} == ran  # what ran is kept
    failed = [reason for status, reason in stored(db).values() if status == "failed"]
    assert len(failed) == 2
    assert all(reason.startswith("critique request: batch batch-2 was cancelled before this request ran")
               for reason in failed)
    assert report.critique.notes == ["2 critique(s) failed because a cancelled batch never ran their requests:"
                                     " `rationale critique --batch --model openai/fake-reviewer` submits them again"]
    states = db_rows(db, "select status from llm_batch_requests")
    assert sorted(r["status"] for r in states) == ["cancelled"] * 4 + ["ok"] * 2


def test_a_batch_the_provider_cancels_at_once_is_read_by_the_cancel_itself(critique_options, fill_db, three_judgments, fake, db, db_rows, stored):
    fill_db(db, three_judgments())
    fake.cancel_at_once, fake.finished_before_cancel = True, 2
    options = critique_options(fake.api_base)
    submit(db, options)
    report = cancel(db, options)
    [outcome] = report.cancels
    assert outcome.outcome == "cancelled"
    assert outcome.message == "cancelled: 2 requests that finished are read, 4 that never ran fail as cancelled"
    assert (report.critique.succeeded, report.critique.failed) == (1, 2)
    assert _batch_row(db, db_rows)["collected_at"] is not None
    assert fake.count("GET /v1/batches/") == 1  # the look before the cancel; no poll after it


def test_batch_submits_again_what_a_cancelled_batch_never_ran(critique_options, fill_db, three_judgments, fake, db, stored):
    fill_db(db, three_judgments())
    fake.finished_before_cancel = 2
    options = critique_options(fake.api_base)
    submit(db, options)
    cancel(db, options)
    collect(db, options)
    again = submit(db, options, wait=True)  # no --retry-failed: a cancel is not the requests' failure
    assert again.requests_submitted == 4 and again.critique.skipped_failed == 0
    assert set(stored(db).values()) == {("ok", None)}


def test_batch_after_a_cancel_still_skips_critiques_that_really_failed(critique_options, critique_judgment, fill_db, fake, db, stored):
    fill_db(db, [critique_judgment("q1", "A is right. BATCHFAULT:error"), critique_judgment("q3", "A is right: the sun is a star.")])
    options = critique_options(fake.api_base)
    submit(db, options, wait=True)
    assert stored(db)["ana/q1"][0] == "failed"
    again = submit(db, options)
    assert again.requests_submitted == 0 and again.critique.skipped_failed == 1


def test_cancel_does_not_cancel_a_batch_that_already_finished(critique_options, fill_db, three_judgments, fake, db, db_rows, stored):
    fill_db(db, three_judgments())
    options = critique_options(fake.api_base)
    submit(db, options)
    fake.batches["batch-2"]["status"] = "finalizing"  # the next look finishes it
    report = cancel(db, options)
    [outcome] = report.cancels
    assert (outcome.outcome, outcome.status) == ("finished", "completed")
    assert outcome.message == ("it already ended completed, nothing to cancel:"
                               " `rationale critique --collect --model openai/fake-reviewer` reads its results")
    assert fake.count("POST /v1/batches/batch-2/cancel") == 0
    assert _batch_row(db, db_rows)["cancelled_at"] is None and stored(db) == {}
    assert collect(db, options).critique.succeeded == 3


def test_a_file_whose_batch_was_never_created_is_cancelled_without_asking_the_provider(critique_options, fill_db, three_judgments, fake, db, db_rows, stored):
    fill_db(db, three_judgments())
    fake.refuse_create = True
    with pytest.raises(BatchJobError):
        submit(db, critique_options(fake.api_base))
    fake.refuse_create = False
    sent = len(fake.paths)
    report = cancel(db, critique_options(fake.api_base))
    assert [c.outcome for c in report.cancels] == ["not_created"]
    assert len(fake.paths) == sent  # nothing asked of the provider
    row = _batch_row(db, db_rows)
    assert row["status"] == "cancelled" and row["cancelled_at"] is not None and row["collected_at"] is not None
    collect(db, critique_options(fake.api_base))
    assert len(fake.paths) == sent  # and a later collect does not create the batch
    assert report.critique.failed == 3
    assert all("batch (never created) was cancelled before this request ran" in r for _, r in stored(db).values())


def test_a_dry_run_cancel_lists_the_open_batches_and_sends_nothing(critique_options, fill_db, three_judgments, fake, db, db_rows):
    fill_db(db, three_judgments())
    submit(db, critique_options(fake.api_base))
    sent = len(fake.paths)
    report = cancel(db, critique_options(fake.api_base, dry_run=True))
    assert [(c.batch_id, c.outcome) for c in report.cancels] == [("batch-2", "would_cancel")]
    assert len(fake.paths) == sent and _batch_row(db, db_rows)["status"] == "validating"


def test_the_cancel_command_says_there_is_nothing_to_cancel(fill_db, three_judgments, fake, db):
    fill_db(db, three_judgments())
    result = cli(db, fake.api_base, "--cancel")
    assert result.exit_code == 1  # EXIT_NOTHING_FOUND, as `export` when no example matches
    assert result.stderr.strip() == ("error: --cancel: no open batch job of openai/fake-reviewer to cancel"
                                     " (every one recorded is collected); nothing was sent")
    assert fake.paths == []


def test_the_cancel_command_reports_each_batch_and_what_waits(fill_db, three_judgments, fake, db):
    fill_db(db, three_judgments())
    fake.hold = True
    assert cli(db, fake.api_base, "--batch").exit_code == 0
    result = cli(db, fake.api_base, "--cancel")
    assert result.exit_code == 0, result.output
    assert ("  cancel batch batch-2: the provider is cancelling it: requests already running may still finish"
            " (and be billed); `rationale critique --collect --model openai/fake-reviewer` reads what ran once it"
            " is cancelled") in result.stdout
    assert "batch batch-2 (first): cancelling, 0/6 done; open" in result.stdout
    assert "3 critiques wait for open batch jobs" in result.stdout


def test_a_cancel_the_provider_refuses_exits_1_and_keeps_the_batch_as_it_was(fill_db, three_judgments, fake, db, db_rows):
    fill_db(db, three_judgments())
    fake.hold = True
    cli(db, fake.api_base, "--batch")
    before = db_rows(db, "select * from llm_batches")
    fake.refuse_cancel = True
    result = cli(db, fake.api_base, "--cancel")
    assert result.exit_code == 1
    assert "Error: 1 of 1 batch job(s) could not be cancelled: cancelling batch batch-2 failed: HTTP 400" in result.stderr
    assert "This batch cannot be cancelled right now." in result.stderr
    assert "Traceback" not in result.output
    assert db_rows(db, "select * from llm_batches") == before


def test_a_batch_that_ends_between_the_look_and_the_cancel_is_reported_finished_not_refused(fill_db, three_judgments, fake, db, db_rows, stored):
    fill_db(db, three_judgments())
    fake.hold = True
    cli(db, fake.api_base, "--batch")
    fake.ends_before_cancel = True  # the cancel request meets a batch that has just completed
    result = cli(db, fake.api_base, "--cancel")
    assert result.exit_code == 0, result.output
    assert "it already ended completed, nothing to cancel" in result.output
    assert _batch_row(db, db_rows)["status"] == "completed"
    assert stored(db) == {}  # read by --collect, as the message says
    assert cli(db, fake.api_base, "--collect").exit_code == 0
    assert len(stored(db)) == 3


def test_a_cancel_that_cannot_reach_the_provider_exits_1_and_keeps_the_batch_as_it_was(fill_db, three_judgments, db, db_rows):
    fill_db(db, three_judgments())
    with FakeBatches(hold=True) as gone:
        cli(db, gone.api_base, "--batch")
        api_base = gone.api_base
    before = db_rows(db, "select * from llm_batches")
    result = cli(db, api_base, "--cancel")  # the server is gone: its port refuses connections
    assert result.exit_code == 1
    assert "Error: 1 of 1 batch job(s) could not be cancelled: polling batch batch-2 failed:" in result.stderr
    assert "the batch is recorded as it was" in result.stderr
    assert db_rows(db, "select * from llm_batches") == before


def test_a_collect_after_the_cancelling_process_was_killed_reads_the_cancelled_batch(critique_options, fill_db, three_judgments, fake, db, db_rows, stored, reviewer_model):
    fill_db(db, three_judgments())
    fake.hold, fake.finished_before_cancel = True, 2  # cancelling lasts while the process polls it
    submit(db, critique_options(fake.api_base))
    # killed once it has cancelled and polled the cancelling batch again (the look before the cancel, then a poll)
    _kill_when(reviewer_model, fake, db, "--cancel",
               lambda: fake.count("POST /v1/batches/batch-2/cancel") == 1 and fake.count("GET /v1/batches/") >= 2)
    row = _batch_row(db, db_rows)
    assert row["status"] == "cancelling" and row["cancelled_at"] is not None and stored(db) == {}

    fake.hold = False
    report = collect(db, critique_options(fake.api_base))
    assert report.batches[0].status == "cancelled"
    assert (report.critique.succeeded, report.critique.failed) == (1, 2)
    assert fake.count("POST /v1/batches/batch-2/cancel") == 1  # nothing asked twice


def test_the_cancel_commands_json_report_matches_its_schema(fill_db, three_judgments, fake, db):
    import jsonschema

    from rationale.schemas_gen import schema_for

    fill_db(db, three_judgments())
    fake.cancel_at_once, fake.finished_before_cancel = True, 2
    cli(db, fake.api_base, "--batch")
    result = cli(db, fake.api_base, "--cancel", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    jsonschema.validate(payload, schema_for("critique-batch-jobs-report"))
    assert [(c["batch_id"], c["outcome"], c["status"]) for c in payload["cancels"]] == [("batch-2", "cancelled", "cancelled")]
    assert payload["batches"][0]["cancelled_at"] is not None
    assert (payload["critique"]["succeeded"], payload["critique"]["failed"]) == (1, 2)
