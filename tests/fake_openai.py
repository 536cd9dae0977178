"""A small OpenAI-compatible chat server, in-process on 127.0.0.1, for fault tests and the benchmark.

It answers `POST /v1/chat/completions` with a valid reviewer reply by default
and misbehaves on request: a rationale (or any message) containing a marker
such as ``FAULT:429-once`` makes the first request with that body fail with the
named fault and later ones succeed; ``-always`` keeps failing. Markers:

* ``429``            429 with a ``Retry-After`` header
* ``500``            500 with an error body
* ``slow``           waits ``slow_seconds`` before answering (longer than the client timeout)
* ``truncated``      declares a longer body than it sends and closes the connection
* ``nonjson``        200 with an HTML body
* ``schemainvalid``  200 with a reply whose content is JSON that does not match the schema
* ``prose``          200 with a reply whose content is not JSON at all
* ``401echo``        401 whose message echoes the API key sent, as OpenAI's "Incorrect API key provided: sk-..." does
* ``echokey``        200 with a valid reply that repeats the API key sent in its free text

A reading request (TASK: reading) gets every key point read as made, unless the
rationale carries a ``READING:...`` marker (see `reading_reply`).

Every request is recorded (path, headers, parsed body) so tests can count calls.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

FAULT = re.compile(r"FAULT:(429|500|slow|truncated|nonjson|schemainvalid|prose|401echo|echokey)-(once|always)")


@dataclass
class RecordedRequest:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class FakeOpenAI:
    latency: float = 0.0
    slow_seconds: float = 2.0
    retry_after: str = "0.05"
    requests: list[RecordedRequest] = field(default_factory=list)
    _seen: Counter = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    @property
    def api_base(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> "FakeOpenAI":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                # For a fake in another process (the benchmark): how many chat requests it has served.
                fake._send(self, 200, json.dumps({"calls": fake.calls()}).encode())

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                fake._handle(self, raw)

        class Server(ThreadingHTTPServer):
            request_queue_size = 256  # the default backlog of 5 refuses bursts of concurrent clients

        self._server = Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> "FakeOpenAI":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ behaviour

    def calls(self) -> int:
        return len([r for r in self.requests if r.path.endswith("/chat/completions")])

    def _handle(self, handler: BaseHTTPRequestHandler, raw: bytes) -> None:
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            body = {}
        digest = hashlib.sha256(raw).hexdigest()
        with self._lock:
            self.requests.append(RecordedRequest(handler.path, {k.lower(): v for k, v in handler.headers.items()}, body))
            self._seen[digest] += 1
            attempt = self._seen[digest]
        if self.latency:
            time.sleep(self.latency)
        messages = body.get("messages", [])
        text = "\n".join(str(m.get("content", "")) for m in messages)
        # "-once" faults hit the first sending of a conversation only: a retry of the same body or
        # a repair turn (which adds an assistant message) gets a good answer; "-always" never does.
        is_repair = any(m.get("role") == "assistant" for m in messages)
        fault = FAULT.search(text)
        if fault and (fault.group(2) == "always" or (attempt == 1 and not is_repair)):
            key = (handler.headers.get("Authorization") or "").removeprefix("Bearer ")
            self._fault(handler, fault.group(1), body, text, key)
            return
        self._reply(handler, body, text, valid_reply(body))

    def _send(self, handler: BaseHTTPRequestHandler, status: int, payload: bytes, headers: dict[str, str] | None = None,
              declared_length: int | None = None, content_type: str = "application/json") -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(declared_length if declared_length is not None else len(payload)))
        for k, v in (headers or {}).items():
            handler.send_header(k, v)
        handler.end_headers()
        handler.wfile.write(payload)
        handler.wfile.flush()

    def _reply(self, handler: BaseHTTPRequestHandler, body: dict, prompt_text: str, content: str) -> None:
        payload = {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "fake"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {
                "prompt_tokens": len(prompt_text) // 4,
                "completion_tokens": len(content) // 4,
                "total_tokens": len(prompt_text) // 4 + len(content) // 4,
            },
        }
        self._send(handler, 200, json.dumps(payload).encode())

    def _fault(self, handler: BaseHTTPRequestHandler, kind: str, body: dict, text: str, key: str = "") -> None:
        if kind == "401echo":
            err = {"error": {"message": f"Incorrect API key provided: {key}. You can find your API key at"
                                        " https://platform.openai.com/account/api-keys.", "type": "invalid_request_error",
                             "code": "invalid_api_key"}}
            self._send(handler, 401, json.dumps(err).encode())
        elif kind == "echokey":
            reply = json.loads(valid_reply(body))
            if "suggested_rationale" in reply:
                reply["suggested_rationale"] = f"Use the key {key} to be sure."
                reply["strengths"] = [f"Mentions {key}"]
            reply["reason" if "reason" in reply else "suggested_rationale"] += f" (key {key})"
            self._reply(handler, body, text, json.dumps(reply))
        elif kind == "429":
            err = json.dumps({"error": {"message": "rate limited", "type": "rate_limit"}}).encode()
            self._send(handler, 429, err, {"Retry-After": self.retry_after})
        elif kind == "500":
            err = json.dumps({"error": {"message": "boom", "type": "server_error"}}).encode()
            self._send(handler, 500, err)
        elif kind == "slow":
            time.sleep(self.slow_seconds)
            try:
                self._reply(handler, body, text, valid_reply(body))
            except OSError:
                pass  # the client gave up first, as intended
        elif kind == "truncated":
            full = json.dumps({"id": "x", "choices": [{"message": {"content": "{}"}}]}).encode()
            self._send(handler, 200, full[: len(full) // 2], declared_length=len(full))
            handler.close_connection = True
        elif kind == "nonjson":
            self._send(handler, 200, b"<html><body>502 Bad Gateway</body></html>", content_type="text/html")
        elif kind == "schemainvalid":
            self._reply(handler, body, text, json.dumps({"verdict": "A is better", "score": "ten"}))
        elif kind == "prose":
            self._reply(handler, body, text, "I think response A is better because it is nicer.")


def _criteria_ids(body: dict) -> list[str]:
    system = next((str(m.get("content", "")) for m in body.get("messages", []) if m.get("role") == "system"), "")
    return re.findall(r"^- criterion `([^`]+)`", system, flags=re.M)


def _block(text: str, tag: str) -> str:
    found = re.search(rf"<untrusted_{tag}>\n(.*?)\n</untrusted_{tag}>", text, flags=re.S)
    return found.group(1) if found else ""


def fake_verdict(text: str) -> tuple[str, int]:
    """The fake reviewer prefers the longer response (in either order), a tie when equal."""
    a, b = len(_block(text, "response_a")), len(_block(text, "response_b"))
    if a == b:
        return "tie", 0
    return ("A", 1) if a > b else ("B", 1)


def valid_reply(body: dict) -> str:
    """A well-formed reviewer reply for whichever task the request asks for."""
    first_user = next((str(m.get("content", "")) for m in body.get("messages", []) if m.get("role") == "user"), "")
    preference, strength = fake_verdict(first_user)
    if "TASK: verdict" in first_user:
        return json.dumps({"preference": preference, "strength": strength, "confidence": 0.8, "reason": "Longer."})
    if "TASK: gold draft" in first_user:
        return gold_draft_reply(first_user, preference, strength)
    if "TASK: reading" in first_user:
        return reading_reply(first_user)
    criteria = _criteria_ids(body) or ["helpfulness"]
    return json.dumps(
        {
            "criteria": {c: {"score": 4, "comment": "Covered."} for c in criteria},
            "issues": [{"kind": "vague", "severity": "minor", "span": None, "explanation": "Could quote more."}],
            "strengths": ["Names the decisive criterion."],
            "preference": preference,
            "strength": strength,
            "supports_choice": True,
            "suggested_rationale": "The chosen response answers the question directly.",
            "confidence": 0.8,
        }
    )


def gold_draft_reply(text: str, preference: str, strength: int) -> str:
    """A well-formed gold draft: the lead's fixed choice when the request gives one, else the longer response;
    key points that quote each response's first words."""
    fixed = re.search(r"preference (A|B|tie), strength (\d+) \(acceptable (\d+) to (\d+)\)", text)
    if fixed:
        preference, strength, low, high = fixed.group(1), int(fixed.group(2)), int(fixed.group(3)), int(fixed.group(4))
    else:
        low, high = strength, strength
    a, b = (" ".join(_block(text, side).split()[:6]) for side in ("response_a", "response_b"))
    better, worse = ("A", "B") if preference == "A" else ("B", "A")
    quote = {"A": a, "B": b}
    return json.dumps(
        {
            "preference": preference,
            "strength": strength,
            "strength_min": low,
            "strength_max": high,
            "decisive_criteria": ["honesty"],
            "key_points": [
                {"text": f"Response {better} answers what was asked: it says \"{quote[better]}\".", "about": better, "cues": []},
                {"text": f"Response {worse} misses what the prompt asks for and is less accurate.", "about": worse, "cues": []},
            ],
            "reference_rationale": (
                f"Response {better} is better. It says \"{quote[better]}\", which answers what was asked."
                f" Response {worse} says \"{quote[worse]}\" and misses what the prompt asks for, so it is less accurate."
            ),
        }
    )


READING = re.compile(r"READING:([a-z-]+)")


def reading_reply(text: str) -> str:
    """The fake reviewer's reading: every key point made (citing the rationale's first sentence), unless
    the rationale carries markers: ``READING:absent``, ``READING:contradicted``, ``READING:not-in-rationale``
    (cites words the trainee never wrote), ``READING:unknown-id`` (adds a key point gold does not have),
    ``READING:bad-status`` (a status that is not made/contradicted/absent), ``READING:against-choice``
    (the argument does not support the choice), ``READING:evidence-fake`` (the evidence is not real)."""
    rationale = _block(text, "rationale")
    markers = set(READING.findall(rationale))
    points = re.search(r"<key_points>\n(.*?)\n</key_points>", text, flags=re.S)
    ids = re.findall(r"^- ([A-Za-z0-9_.-]+): ", points.group(1), flags=re.M) if points else []
    first_sentence = re.split(r"(?<=[.!?])\s+", rationale.strip())[0]
    status, sentence = "made", first_sentence
    if "absent" in markers:
        status, sentence = "absent", ""
    elif "contradicted" in markers:
        status = "contradicted"
    elif "bad-status" in markers:
        status = "probably"
    if "not-in-rationale" in markers:
        sentence = "Words the trainee never wrote about anything at all."
    readings = {i: {"status": status, "sentence": sentence} for i in ids}
    if "unknown-id" in markers:
        readings["kp_invented"] = {"status": "made", "sentence": first_sentence}
    return json.dumps(
        {
            "key_points": readings,
            "argument_supports_choice": "against-choice" not in markers,
            "argument_comment": "The argument backs the choice." if "against-choice" not in markers else "It argues for the other response.",
            "evidence_real": "evidence-fake" not in markers,
            "evidence_comment": "The quotes are in the responses." if "evidence-fake" not in markers else "The quote is not in the response.",
        }
    )


def chat_completion(body: dict, content: str) -> dict:
    """A chat completion answering `body` with `content`, usage counted at ~4 characters a token."""
    prompt_chars = sum(len(str(m.get("content", ""))) for m in body.get("messages", []))
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "fake"),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt_chars // 4, "completion_tokens": len(content) // 4,
                  "total_tokens": prompt_chars // 4 + len(content) // 4},
    }


def serve_forever(latency: float) -> None:
    """Serve well-formed replies from this process until killed, printing the base URL.

    Used by bench/critique_bench.py. It is asyncio-based (aiohttp) rather than
    thread-per-connection, so that at 20 concurrent requests the server's own
    overhead stays small next to the latency being simulated.
    """
    import asyncio

    from aiohttp import web

    calls = 0
    busy = 0.0  # seconds of requests being answered, summed: over a run's wall time, the mean number in flight

    async def chat(request: web.Request) -> web.Response:
        nonlocal calls, busy
        calls += 1
        started = time.monotonic()
        body = await request.json()
        await asyncio.sleep(latency)
        response = web.json_response(chat_completion(body, valid_reply(body)))
        busy += time.monotonic() - started
        return response

    async def stats(request: web.Request) -> web.Response:
        return web.json_response({"calls": calls, "busy_seconds": busy})

    async def main() -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/v1/chat/completions", chat)
        app.router.add_get("/stats", stats)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, backlog=512)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        print(f"http://127.0.0.1:{port}/v1", flush=True)
        await asyncio.Event().wait()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Serve the fake OpenAI-compatible API on 127.0.0.1 (random port).")
    parser.add_argument("--latency", type=float, default=0.0)
    serve_forever(parser.parse_args().latency)
