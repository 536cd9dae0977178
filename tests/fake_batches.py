"""A fake OpenAI files and batches API on 127.0.0.1, for `critique --batch` / `--collect` tests.

It serves what litellm's `create_file`, `create_batch`, `retrieve_batch`,
`cancel_batch`, `list_batches` and `file_content` call for the `openai` provider:

* ``POST /v1/files`` (multipart upload, purpose ``batch``), ``GET /v1/files/ID/content``;
* ``POST /v1/batches``, ``GET /v1/batches/ID``, ``POST /v1/batches/ID/cancel``, ``GET /v1/batches?limit=N``;
* ``POST /v1/chat/completions`` (a valid reviewer reply, for synchronous repairs; prose under
  ``BATCHFAULT:invalid-always``).

A batch moves one step each time it is retrieved: validating, in_progress,
finalizing, then completed (or expired); ``hold = True`` keeps every batch
in_progress until it is set back to False. When a batch finishes, each line
is answered from its body like `fake_openai` does, except that markers in the
request text change that line's fate:

* ``BATCHFAULT:error``           the line fails: an error-file line with HTTP 500
* ``BATCHFAULT:invalid``         the reply is prose (not JSON); a repair turn gets a valid reply
* ``BATCHFAULT:invalid-always``  the reply is prose, repairs included
* ``BATCHFAULT:expire``          the line never runs: the batch ends ``expired`` and the line goes to
                                 the error file with code ``batch_expired``, as OpenAI documents

A cancel (OpenAI's semantics) moves a running batch to ``cancelling``; the next retrieval (unless
``hold``) makes it ``cancelled``, with the first ``finished_before_cancel`` lines of its input answered
in an output file as above and the others never run (in no file). ``cancel_at_once = True`` answers
the cancel itself with ``cancelled``. A finished batch is returned unchanged. ``refuse_cancel = True``
answers every cancel 400. ``ends_before_cancel = True`` plays a batch that ends between a client's look and
its cancel: the cancel finishes the batch (completed), then answers 400, as for a batch no longer running.

``reject_batches = True`` fails every batch at validation (status failed, errors, no files).
``failing_polls = N`` makes the next N retrievals answer 500.
With ``refuse_create=True`` creating a batch answers 500 (the file is uploaded, the batch never made).
With ``batches_api=False`` it is a plain chat server: /v1/files and /v1/batches answer 404, as llama.cpp's does.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from fake_openai import chat_completion, valid_reply

MARKER = re.compile(r"BATCHFAULT:(error|invalid-always|invalid|expire)")
STEPS = ["validating", "in_progress", "finalizing"]
PROSE = "I prefer A; it reads better."  # an invalid reply: not JSON


def _fate(body: dict[str, Any]) -> str | None:
    text = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
    found = MARKER.search(text)
    if found is None:
        return None
    fate = found.group(1)
    is_repair = any(m.get("role") == "assistant" for m in body.get("messages", []))
    return None if fate == "invalid" and is_repair else fate


@dataclass
class FakeBatches:
    batches_api: bool = True
    hold: bool = False
    refuse_create: bool = False  # POST /v1/batches answers 500 (a failure between upload and create)
    reject_batches: bool = False  # batches fail validation: status failed, with errors and no files
    failing_polls: int = 0  # this many GET /v1/batches/ID answer 500 before the batch is shown again
    finished_before_cancel: int = 0  # lines of a cancelled batch that ran (the first ones of its input)
    cancel_at_once: bool = False  # a cancel answers cancelled, not cancelling
    refuse_cancel: bool = False  # POST /v1/batches/ID/cancel answers 400
    ends_before_cancel: bool = False  # a cancel finds the batch just completed and answers 400
    files: dict[str, bytes] = field(default_factory=dict)
    batches: dict[str, dict[str, Any]] = field(default_factory=dict)
    paths: list[str] = field(default_factory=list)  # every request, "METHOD /path"
    chat_bodies: list[dict[str, Any]] = field(default_factory=list)
    authorizations: set[str] = field(default_factory=set)  # the Authorization headers received
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def api_base(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> FakeBatches:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                fake._route(self, "GET", b"")

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                fake._route(self, "POST", raw)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeBatches:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ what tests read

    def count(self, method_and_prefix: str) -> int:
        return sum(1 for p in self.paths if p.startswith(method_and_prefix))

    def input_lines(self, batch_id: str) -> list[dict[str, Any]]:
        data = self.files[self.batches[batch_id]["input_file_id"]]
        return [json.loads(line) for line in data.decode().splitlines()]

    # ------------------------------------------------------------------ routing

    def _new_id(self, prefix: str) -> str:
        with self._lock:
            return f"{prefix}-{next(self._ids)}"

    def _route(self, handler: BaseHTTPRequestHandler, method: str, raw: bytes) -> None:
        path = handler.path.split("?", 1)[0].rstrip("/")
        with self._lock:
            self.paths.append(f"{method} {path}")
            self.authorizations.add(handler.headers.get("Authorization") or "")
        if path.endswith("/chat/completions") and method == "POST":
            body = json.loads(raw or b"{}")
            self.chat_bodies.append(body)
            content = PROSE if _fate(body) == "invalid-always" else valid_reply(body)
            return self._json(handler, 200, chat_completion(body, content))
        if not self.batches_api or not re.match(r"^/v1/(files|batches)", path):
            return self._json(handler, 404, {"error": {"message": f"File Not Found: {path}", "type": "not_found_error"}})
        if method == "POST" and path == "/v1/files":
            return self._json(handler, 200, self._upload(handler, raw))
        if method == "POST" and path == "/v1/batches" and self.refuse_create:
            return self._json(handler, 500, {"error": {"message": "try again later", "type": "server_error"}})
        if method == "POST" and path == "/v1/batches":
            return self._json(handler, 200, self._create(json.loads(raw)))
        if method == "GET" and path == "/v1/batches":
            return self._json(handler, 200, {"object": "list", "data": [], "first_id": None, "last_id": None,
                                             "has_more": False})
        found = re.match(r"^/v1/batches/([^/]+)$", path)
        if method == "GET" and found and self.failing_polls > 0:
            self.failing_polls -= 1
            # retry-after-ms: the OpenAI SDK's own retries come at once rather than after seconds of backoff
            return self._json(handler, 500, {"error": {"message": "upstream hiccup", "type": "server_error"}},
                              {"retry-after-ms": "10"})
        if method == "GET" and found and found.group(1) in self.batches:
            return self._json(handler, 200, self._advance(found.group(1)))
        found = re.match(r"^/v1/batches/([^/]+)/cancel$", path)
        if method == "POST" and found and self.ends_before_cancel and found.group(1) in self.batches:
            self._finish(self.batches[found.group(1)])
            return self._json(handler, 400, {"error": {"message": "Cannot cancel a batch that has completed.",
                                                       "type": "invalid_request_error"}})
        if method == "POST" and found and self.refuse_cancel:
            return self._json(handler, 400, {"error": {"message": "This batch cannot be cancelled right now.",
                                                       "type": "invalid_request_error"}})
        if method == "POST" and found and found.group(1) in self.batches:
            return self._json(handler, 200, self._cancel(found.group(1)))
        found = re.match(r"^/v1/files/([^/]+)/content$", path)
        if method == "GET" and found and found.group(1) in self.files:
            return self._send(handler, 200, self.files[found.group(1)], "application/octet-stream")
        return self._json(handler, 404, {"error": {"message": f"no such object: {path}", "type": "invalid_request_error"}})

    def _send(self, handler: BaseHTTPRequestHandler, status: int, payload: bytes, content_type: str,
              headers: dict[str, str] | None = None) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    def _json(self, handler: BaseHTTPRequestHandler, status: int, payload: dict[str, Any],
              headers: dict[str, str] | None = None) -> None:
        self._send(handler, status, json.dumps(payload).encode(), "application/json", headers)

    # ------------------------------------------------------------------ files and batches

    def _upload(self, handler: BaseHTTPRequestHandler, raw: bytes) -> dict[str, Any]:
        head = f"Content-Type: {handler.headers['Content-Type']}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + raw)
        parts = {part.get_param("name", header="content-disposition"): part for part in message.iter_parts()}
        data = parts["file"].get_payload(decode=True)
        purpose = parts["purpose"].get_payload(decode=True).decode()
        file_id = self._new_id("file")
        self.files[file_id] = data
        return {"id": file_id, "object": "file", "bytes": len(data), "created_at": int(time.time()),
                "filename": parts["file"].get_filename(), "purpose": purpose, "status": "processed"}

    def _create(self, request: dict[str, Any]) -> dict[str, Any]:
        batch_id = self._new_id("batch")
        lines = self.files[request["input_file_id"]].decode().splitlines()
        self.batches[batch_id] = {
            "id": batch_id, "object": "batch", "endpoint": request["endpoint"], "errors": None,
            "input_file_id": request["input_file_id"], "completion_window": request["completion_window"],
            "status": "validating", "output_file_id": None, "error_file_id": None, "created_at": int(time.time()),
            "request_counts": {"total": len(lines), "completed": 0, "failed": 0}, "metadata": None,
        }
        return dict(self.batches[batch_id])

    def _cancel(self, batch_id: str) -> dict[str, Any]:
        batch = self.batches[batch_id]
        if batch["status"] in STEPS:
            batch["status"] = "cancelling"
            batch["cancelling_at"] = int(time.time())
            if self.cancel_at_once:
                self._finish(batch, cancelled=True)
        return dict(batch)

    def _advance(self, batch_id: str) -> dict[str, Any]:
        batch = self.batches[batch_id]
        status = batch["status"]
        if status == "cancelling" and not self.hold:
            self._finish(batch, cancelled=True)
        elif status == "validating" and self.reject_batches:
            batch["status"] = "failed"
            batch["errors"] = {"object": "list", "data": [
                {"code": "invalid_request", "message": "The model is not available for batches.", "line": None,
                 "param": "body.model"}]}
        elif status in STEPS and not (self.hold and status == "in_progress"):
            following = STEPS.index(status) + 1
            if following < len(STEPS):
                batch["status"] = STEPS[following]
            else:
                self._finish(batch)
        return dict(batch)

    def _finish(self, batch: dict[str, Any], cancelled: bool = False) -> None:
        output, errors = [], []
        expired = False
        for n, raw in enumerate(self.files[batch["input_file_id"]].decode().splitlines()):
            if cancelled and n >= self.finished_before_cancel:
                break  # never ran: in neither file
            line = json.loads(raw)
            body, custom_id = line["body"], line["custom_id"]
            fate = _fate(body)
            record: dict[str, Any] = {"id": f"batch_req_{n}", "custom_id": custom_id, "response": None, "error": None}
            if fate == "expire":
                expired = True
                record["response"] = {"status_code": 400, "request_id": f"req_{n}", "body": {"error": {
                    "code": "batch_expired",
                    "message": "This request could not be executed before the completion window expired."}}}
                errors.append(record)
            elif fate == "error":
                record["response"] = {"status_code": 500, "request_id": f"req_{n}",
                                      "body": {"error": {"code": "server_error", "message": "The model crashed."}}}
                errors.append(record)
            else:
                content = PROSE if fate in ("invalid", "invalid-always") else valid_reply(body)
                record["response"] = {"status_code": 200, "request_id": f"req_{n}",
                                      "body": chat_completion(body, content)}
                output.append(record)
        for records, key in ((output, "output_file_id"), (errors, "error_file_id")):
            if records:
                file_id = self._new_id("file")
                self.files[file_id] = "".join(json.dumps(r) + "\n" for r in records).encode()
                batch[key] = file_id
        batch["status"] = "cancelled" if cancelled else "expired" if expired else "completed"
        batch["request_counts"] = {"total": len(output) + len(errors), "completed": len(output), "failed": len(errors)}
