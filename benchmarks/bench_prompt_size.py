"""Prompt tokens per pass for the reference article, per instructor mode, and the fixed overhead.

The exact request bodies the client sends are captured by FakeOpenAI (scripted answers,
so no re-ask changes them). Tokens are counted with the o200k_base encoding: from
``tiktoken`` if it can load it, else from ``bpe-openai`` (same vocabulary, bundled,
works offline), else estimated as characters / 4.

Counting (what a chat endpoint bills as prompt tokens, approximately): per message
3 + tokens(role) + tokens(content), plus 3 priming tokens; the tool definitions
(``tools`` mode) or the ``response_format`` schema (``json_schema`` mode) counted as
their compact JSON, which overestimates slightly (OpenAI renders tools in a terser
internal format).

Fixed overhead = the whole prompt with the article's numbered sentences removed
(system prompt, task text, ``<article>`` tags, schema/tools, message framing).

Usage: python benchmarks/bench_prompt_size.py
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from common import REFERENCE, scripted, write_result

from summarizer import Settings, Summarizer
from summarizer.testing import FakeOpenAI

MODES = ("tools", "json_schema", "json", "md_json")
TARGET = 900


def encoder() -> tuple[Callable[[str], int], str]:
    try:
        import tiktoken

        enc = tiktoken.get_encoding("o200k_base")
        return (lambda s: len(enc.encode(s, disallowed_special=()))), "tiktoken o200k_base"
    except Exception:
        pass
    try:
        import bpe_openai

        enc = bpe_openai.get_encoding("o200k_base")
        return (lambda s: len(enc.encode(s))), "bpe-openai o200k_base (tiktoken-compatible)"
    except Exception:
        return (lambda s: (len(s) + 3) // 4), "approximation: characters / 4"


SENTENCE_LINE = re.compile(r"^\[\d+\] .*\n?", re.M)


def strip_article(body: dict[str, Any]) -> dict[str, Any]:
    """The request with the article's numbered sentence lines removed."""
    out = json.loads(json.dumps(body))
    for message in out["messages"]:
        if isinstance(message.get("content"), str):
            message["content"] = SENTENCE_LINE.sub("", message["content"])
    return out


def count(body: dict[str, Any], tokens: Callable[[str], int]) -> dict[str, int]:
    parts = {"messages": 3}
    for message in body["messages"]:
        parts["messages"] += 3 + tokens(message["role"]) + tokens(str(message.get("content") or ""))
    compact = {"separators": (",", ":")}
    parts["tools"] = tokens(json.dumps(body["tools"], **compact)) if body.get("tools") else 0  # type: ignore[arg-type]
    rf = body.get("response_format")
    parts["schema"] = tokens(json.dumps(rf, **compact)) if rf else 0  # type: ignore[arg-type]
    parts["total"] = sum(parts.values())
    return parts


def main() -> None:
    tokens, how = encoder()
    rows = []
    for mode in MODES:
        with FakeOpenAI(default=scripted(REFERENCE, mode)) as server:
            settings = Settings(base_url=server.base_url, model="fake-model", cache="off", mode=mode)
            with Summarizer(settings) as summarizer:
                result = summarizer.summarize(REFERENCE.read_text(encoding="utf-8"))
            bodies = [r.body for r in server.chat_requests]
        assert result.provenance is not None
        reasks = result.provenance.attempts - 2
        for name, body in zip(("meetings", "agreements"), bodies[-2:], strict=True):
            assert body is not None
            full, fixed = count(body, tokens), count(strip_article(body), tokens)
            article = full["total"] - fixed["total"]
            ok = "yes" if fixed["total"] <= TARGET else "**no**"
            rows.append(
                f"| {mode} | {name} | {full['total']} | {article} | **{fixed['total']}** | "
                f"{fixed['messages']} | {fixed['tools'] + fixed['schema']} | {ok} | {reasks} |"
            )
            print(rows[-1], flush=True)
    body = f"""
Reference article `{REFERENCE.name}` ({len(REFERENCE.read_text(encoding="utf-8")):,} characters).
Token counter: {how}.

- total: the whole prompt of the pass; article: its numbered sentence lines;
- fixed: everything else (system prompt, task text, tags, schema or tools, message framing),
  split into message text (instructor adds the schema to the messages in `json` / `md_json`:
  the slim `summarizer.llm.wire.prompt_schema`, not `model_json_schema()`) and tools /
  `response_format` schema;
- re-asks: validation re-asks in the run (0: the bodies are the first attempts).

| mode | pass | total | article | fixed | fixed: messages | fixed: tools / schema | fixed ≤ {TARGET} | re-asks |
|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

In `tools` mode both passes send both tools (a shared prompt prefix for servers with prompt caching),
so each pass pays for both tool schemas.
"""
    print(
        write_result(
            "prompt_size",
            "Prompt size per pass",
            "/work/venv/bin/python benchmarks/bench_prompt_size.py",
            body,
        )
    )


if __name__ == "__main__":
    main()
