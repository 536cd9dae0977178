"""Stable pseudonyms for `export --anonymize`, keyed by a secret kept in the database."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from typing import Any

import sqlite_utils

from .. import store
from .collect import Example

KEY_SETTING = "pseudonym_key"


class Pseudonyms:
    """Stable pseudonyms: the same name always maps to the same pseudonym in one database.

    The key is a random secret kept in the database, so a pseudonym cannot be
    reversed by hashing a list of likely names.
    """

    def __init__(self, db: sqlite_utils.Database):
        self.key = _pseudonym_key(db)
        self.names: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        if name not in self.names:
            digest = hmac.new(self.key, name.encode("utf-8"), hashlib.sha256).hexdigest()[:6]
            self.names[name] = f"annotator-{digest}"
        return self.names[name]

    def scrub(self, text: str | None) -> str | None:
        """Replace every known real name inside free text too, as a whole word: "ana" is not in "analysis"."""
        if not text:
            return text
        for real, alias in sorted(self.names.items(), key=lambda kv: -len(kv[0])):
            text = re.sub(rf"(?<!\w){re.escape(real)}(?!\w)", alias, text, flags=re.IGNORECASE)
        return text


def _pseudonym_key(db: sqlite_utils.Database) -> bytes:
    stored = store.export.get_setting(db, KEY_SETTING)
    if stored:
        return bytes.fromhex(stored)
    key = secrets.token_bytes(32)
    store.export.save_setting(db, KEY_SETTING, key.hex())
    return key


def anonymize(examples: list[Example], pseudonyms: Pseudonyms) -> None:
    for example in examples:
        pseudonyms(example.annotator)
    for example in examples:
        example.annotator = pseudonyms(example.annotator)
        for version in filter(None, (example.original, example.revised)):
            version.rationale = pseudonyms.scrub(version.rationale)
            for finding in version.findings:
                finding["message"] = pseudonyms.scrub(finding["message"])
        example.critique = _scrubbed(example.critique, pseudonyms)
        example.reviewed = _scrubbed(example.reviewed, pseudonyms)


def _scrubbed(record: dict[str, Any] | None, pseudonyms: Pseudonyms) -> dict[str, Any] | None:
    """A second reviewer's record with every known name in its text replaced."""
    if not record:
        return record
    return json.loads(pseudonyms.scrub(json.dumps(record, ensure_ascii=False)) or "{}")
