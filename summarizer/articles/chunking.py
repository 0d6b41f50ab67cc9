"""Token-aware chunking of an article's sentences (pure functions).

Long articles are cut into runs of whole sentences that fit a token budget, each
extracted on its own; neighbouring chunks share ``overlap`` tokens of sentences so
that a record stated across a boundary is seen whole at least once. Chunks are
balanced (a 1,050-token article with a 1,000-token budget becomes two chunks of
~525, not 1,000 + 50) and prefer to end at a paragraph break.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from summarizer.articles.sentences import Sentence

__all__ = ["Chunk", "chunk_budget", "chunk_sentences", "count_tokens"]

#: Prompt tokens reserved for instructions and tool schemas (measured: ~900 per pass).
PROMPT_RESERVE = 1200


@lru_cache(maxsize=1)
def _encoder() -> Callable[[str], int] | None:
    with warnings.catch_warnings():  # bpe-openai reads its data with a deprecated importlib API
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            import bpe_openai  # type: ignore[import-untyped]
        except ImportError:  # pragma: no cover - bpe-openai is a dependency
            return None
        encoding = bpe_openai.get_encoding("o200k_base")
    return lambda text: len(encoding.encode(text))


def count_tokens(text: str) -> int:
    """Tokens of ``text`` in OpenAI's o200k_base encoding (about 4 characters each otherwise)."""
    encode = _encoder()
    return encode(text) if encode is not None else math.ceil(len(text) / 4)


def chunk_budget(chunk_tokens: int, context_window: int, max_tokens: int) -> int:
    """Article tokens per chunk: the configured size, capped by what the context window leaves."""
    return max(64, min(chunk_tokens, context_window - max_tokens - PROMPT_RESERVE))


@dataclass(frozen=True)
class Chunk:
    """Sentences ``first`` … ``first + len(sentences) - 1`` of the article's sentence list."""

    index: int
    first: int
    sentences: tuple[Sentence, ...]
    tokens: int


def chunk_sentences(
    sentences: Sequence[Sentence],
    budget: int,
    *,
    overlap: int = 0,
    text: str | None = None,
    count: Callable[[str], int] = count_tokens,
) -> list[Chunk]:
    """Split ``sentences`` into balanced chunks of at most ``budget`` tokens (one chunk if it fits).

    A sentence longer than the budget gets a chunk of its own. With ``text`` (the article),
    a chunk that is nearly full ends early at a blank line when one is near.
    """
    if budget <= 0:
        raise ValueError("chunk budget must be positive")
    sizes = [count(s.text) + 3 for s in sentences]  # "[n] " prefix and newline
    total = sum(sizes)
    if total <= budget or len(sentences) <= 1:
        return [Chunk(0, 0, tuple(sentences), total)] if sentences else []
    overlap = min(overlap, budget // 2)
    parts = math.ceil((total - overlap) / (budget - overlap))
    target = min(budget, math.ceil((total + (parts - 1) * overlap) / parts))
    chunks: list[Chunk] = []
    start = 0
    while start < len(sentences):
        end, used = start, 0
        limit = budget if sum(sizes[start:]) <= budget else target  # the rest fits: no small tail
        while end < len(sentences) and (end == start or used + sizes[end] <= limit):
            used += sizes[end]
            end += 1
        if end < len(sentences) and text is not None:
            end = _paragraph_end(sentences, start, end, text)
        tokens = sum(sizes[start:end])
        chunks.append(Chunk(len(chunks), start, tuple(sentences[start:end]), tokens))
        if end >= len(sentences):
            break
        start = _overlap_start(sizes, start, end, overlap)
    return chunks


def _paragraph_end(sentences: Sequence[Sentence], start: int, end: int, text: str) -> int:
    """Move ``end`` back (by at most a quarter of the chunk) to just after a paragraph break."""
    floor = end - max(1, (end - start) // 4)
    for cut in range(end, max(start + 1, floor) - 1, -1):
        if cut < len(sentences) and "\n\n" in text[sentences[cut - 1].end : sentences[cut].start]:
            return cut
    return end


def _overlap_start(sizes: Sequence[int], start: int, end: int, overlap: int) -> int:
    """First sentence of the next chunk: back up to ``overlap`` tokens, always moving forward."""
    back, used = end, 0
    while back - 1 > start and used + sizes[back - 1] <= overlap:
        back -= 1
        used += sizes[back]
    return back
