"""The check: one yes/no question about each record's evidence sentence, after extraction.

Asked to list records, a small model lists too many: every sentence near a meeting becomes a
meeting, every line of a football report an agreement. Asked one plain question about one
sentence ("does this sentence report that two or more sides agreed …?"), its probability of
answering "yes" separates the two far better than its lists do. So each sentence a draft rests
on is asked once per kind, on its own (a short prompt: nothing of the article is shared), and
the drafts of a sentence under ``Settings.check_min_meeting`` / ``check_min_agreement`` are
dropped, with a warning that gives the probability.

The probability comes from the first answer token's log-probabilities; a server that returns
none is read from the answer's word (yes 1.0, no 0.0). Pure functions; the call is
:meth:`summarizer.llm.client.LLM.check`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from summarizer.articles.sentences import Sentence
from summarizer.passes.drafts import REAL, AgreementDraft, MeetingDraft
from summarizer.passes.prompts import fence, load_prompt

__all__ = ["CheckPlan", "check_plans", "check_prompt_hashes", "checked", "yes_probability"]

Kind = Literal["meeting", "agreement"]
D = TypeVar("D", MeetingDraft, AgreementDraft)


@dataclass(frozen=True)
class CheckPlan:
    """One check question: a kind of record and the article sentence (1-based) it rests on."""

    kind: Kind
    sentence: int
    messages: list[dict[str, str]] = field(compare=False)
    hashes: dict[str, str] = field(compare=False)

    @property
    def key(self) -> str:
        return f"check:{self.kind}:{self.sentence}"


def check_plans(
    meetings: Iterable[MeetingDraft],
    agreements: Iterable[AgreementDraft],
    sentences: Sequence[Sentence],
    directory: Path | None = None,
    sentence_of: Callable[[MeetingDraft | AgreementDraft], int] = lambda d: d.sentence,
) -> list[CheckPlan]:
    """The questions to ask: each (kind, sentence) a draft that would become a record rests on
    (``sentence_of``: the draft's sentence, after any re-anchoring), once, in sentence order."""
    wanted: set[tuple[Kind, int]] = set()
    for kind, drafts in (("meeting", meetings), ("agreement", agreements)):
        for d in drafts:
            number = sentence_of(d)
            if d.reality in REAL and 1 <= number <= len(sentences):
                wanted.add((kind, number))  # type: ignore[arg-type]
    system, user = load_prompt("check_system", directory), load_prompt("check", directory)
    hashes = check_prompt_hashes(directory)
    plans = []
    for kind, number in sorted(wanted, key=lambda kn: (kn[1], kn[0])):
        text = fence(" ".join(sentences[number - 1].text.split()))
        messages = [
            {"role": "system", "content": system.render()},
            {"role": "user", "content": user.render(kind=kind, sentence=text)},
        ]
        plans.append(CheckPlan(kind, number, messages, hashes))
    return plans


def check_prompt_hashes(directory: Path | None = None) -> dict[str, str]:
    """``{template name: content hash}`` of the check's prompts (a result's provenance)."""
    return {
        t.name: t.content_hash
        for t in (load_prompt("check_system", directory), load_prompt("check", directory))
    }


def yes_probability(completion: Mapping[str, Any]) -> float | None:
    """P(yes) / (P(yes) + P(no)) of a one-token answer (a chat completion as a dict): from the
    first token's top log-probabilities, else from its word; ``None`` when it is neither."""
    choices = completion.get("choices") or []
    if not choices:
        return None
    choice = choices[0] or {}
    content = (choice.get("logprobs") or {}).get("content") or []
    if content:
        top = content[0].get("top_logprobs") or [content[0]]
        yes = sum(math.exp(t["logprob"]) for t in top if _word(t.get("token")) == "yes")
        no = sum(math.exp(t["logprob"]) for t in top if _word(t.get("token")) == "no")
        if yes + no > 0:
            return yes / (yes + no)
    word = _word((choice.get("message") or {}).get("content"))
    return 1.0 if word == "yes" else 0.0 if word == "no" else None


def _word(token: str | None) -> str:
    return (token or "").strip().strip("*\"'.,:").casefold()


def checked(
    drafts: Iterable[D],
    kind: Kind,
    probabilities: Mapping[str, float | None],
    minimum: float,
    warnings: list[str],
    sentence_of: Callable[[D], int] = lambda d: d.sentence,
) -> list[D]:
    """The drafts whose sentence passed the check (no answer: kept)."""
    kept = []
    for d in drafts:
        number = sentence_of(d)
        p = probabilities.get(f"check:{kind}:{number}")
        if p is not None and p < minimum and d.reality in REAL:
            warnings.append(f"dropped {kind} of sentence {number}: the check says P(yes) {p:.2f} < {minimum}")
            continue
        kept.append(d)
    return kept
