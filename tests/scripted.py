"""Helpers for scripting fake-server answers that follow the current pass schemas.

``complete`` adds list fields that the pass's response model requires but a hand-written
answer leaves out (``*_sentences`` gets the records' sentence numbers, anything else
``[]``), so fault tests fail for the fault they script, not for a new required field.
"""

from __future__ import annotations

import copy
from typing import Any

from replies import AGREEMENTS_00, MEETINGS_00

from summarizer.passes.drafts import PASSES
from summarizer.testing import Reply, tool_call


def complete(answer: dict[str, Any], forced: str) -> dict[str, Any]:
    """``answer`` for the pass named ``forced`` (``MeetingPass`` / ``AgreementPass``), completed."""
    model = next(m for m in PASSES.values() if m.__name__ == forced)
    schema = model.model_json_schema()
    out = copy.deepcopy(answer)
    records = next((v for v in out.values() if isinstance(v, list)), [])
    for name in schema.get("required", []):
        if name not in out and schema.get("properties", {}).get(name, {}).get("type") == "array":
            numbers = {r["sentence"] for r in records if isinstance(r, dict) and "sentence" in r}
            out[name] = sorted(numbers) if name.endswith("sentences") else []
    return out


def meetings(answer: dict[str, Any] = MEETINGS_00) -> dict[str, Any]:
    return complete(answer, "MeetingPass")


def agreements(answer: dict[str, Any] = AGREEMENTS_00) -> dict[str, Any]:
    return complete(answer, "AgreementPass")


def forced(request: dict[str, Any]) -> str:
    return str(request["tool_choice"]["function"]["name"])


def reference_answer(request: dict[str, Any]) -> Reply:
    """The reference article's correct answer for whichever pass the request forces."""
    return tool_call(meetings() if forced(request) == "MeetingPass" else agreements())


def passes(meetings_answer: dict[str, Any], agreements_answer: dict[str, Any]) -> Any:
    """A fake-server ``default`` answering the two passes with these (completed) answers."""

    def default(request: dict[str, Any]) -> Reply:
        if forced(request) == "MeetingPass":
            return tool_call(complete(meetings_answer, "MeetingPass"))
        return tool_call(complete(agreements_answer, "AgreementPass"))

    return default


def call(answer: dict[str, Any]) -> Reply:
    """A tool call answering the pass that ``answer`` belongs to (it has ``meetings`` or not)."""
    return tool_call(complete(answer, "MeetingPass" if "meetings" in answer else "AgreementPass"))
