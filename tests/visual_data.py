"""Shared inputs of the HTML, frame and browser tests: real pipeline output from the fake server."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from conftest import ARTICLES, REFERENCE, ROOT
from replies import AGREEMENTS_00, MEETINGS_00

from summarizer import Settings, Summarizer
from summarizer.articles.documents import load_document
from summarizer.evaluation.gold import GoldFile, load_gold_dir
from summarizer.evaluation.runner import EvalRun, run_eval
from summarizer.schemas import ArticleSummary
from summarizer.testing import FakeOpenAI, Reply, tool_call

GOLD = ROOT / "evals" / "gold"
ARTICLES_USED = ("00_", "29_")


def _listed(payload: dict[str, Any], records: str, listing: str) -> dict[str, Any]:
    return {listing: sorted({r["sentence"] for r in payload[records]}), **payload}


def answer(request: dict[str, Any]) -> Reply:
    """The reference article gets its scripted answers, every other article nothing."""
    forced = request["tool_choice"]["function"]["name"]
    reference = 'first "two-plus-two" meeting' in request["messages"][-1]["content"]
    if forced == "MeetingPass":
        meetings = MEETINGS_00 if reference else {"summary": "Nothing.", "meetings": []}
        return tool_call(_listed(meetings, "meetings", "meeting_sentences"))
    return tool_call(
        _listed(AGREEMENTS_00 if reference else {"agreements": []}, "agreements", "agreement_sentences")
    )


def _settings(server: FakeOpenAI) -> Settings:
    return Settings(base_url=server.base_url, model="fake-model", cache="off")


@lru_cache(maxsize=1)
def summaries() -> tuple[tuple[ArticleSummary, str], ...]:
    """(summary, article text) of the reference article and a negative one."""
    docs = [load_document(REFERENCE), load_document(ARTICLES / "29_bp_oil_profit_negative_1987.txt")]
    with FakeOpenAI(default=answer) as server, Summarizer(_settings(server)) as summarizer:
        return tuple((summarizer.summarize(doc), doc.text) for doc in docs)


@lru_cache(maxsize=1)
def small_run() -> EvalRun:
    with FakeOpenAI(default=answer) as server:
        settings = _settings(server)
        return run_eval(GOLD, lambda: Summarizer(settings), progress=False, limit=list(ARTICLES_USED))


@lru_cache(maxsize=1)
def golds() -> dict[str, GoldFile]:
    return load_gold_dir(GOLD)
