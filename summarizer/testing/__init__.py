"""Public test support: fake OpenAI-compatible servers that speak HTTP on loopback.

``FakeOpenAI`` scripts chat-completion replies and injects faults; ``FakeBatchOpenAI`` adds
the Files and Batches APIs. They test *our* code paths, never a model.
"""

from summarizer.testing.batch import FakeBatchOpenAI
from summarizer.testing.replies import (
    Reply,
    content,
    drop,
    empty,
    error,
    hang,
    json_content,
    refusal,
    tool_call,
    truncated,
    yes_no,
)
from summarizer.testing.server import FakeOpenAI, RecordedRequest

__all__ = [
    "FakeBatchOpenAI",
    "FakeOpenAI",
    "RecordedRequest",
    "Reply",
    "content",
    "drop",
    "empty",
    "error",
    "hang",
    "json_content",
    "refusal",
    "tool_call",
    "truncated",
    "yes_no",
]
