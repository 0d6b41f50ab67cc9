"""Cache keys do not change with the pydantic version quoted in a re-ask (found by .ci/minimums)."""

from __future__ import annotations

from summarizer.llm.cache import request_key


def _body(url: str) -> dict[str, object]:
    reask = (
        f"Validation error: sentence 9 does not exist [type=value_error] For further information visit {url}"
    )
    return {"model": "m", "messages": [{"role": "user", "content": reask}], "max_tokens": 10}


def test_reask_keys_ignore_the_pydantic_version_in_error_links() -> None:
    a = request_key(_body("https://errors.pydantic.dev/2.14/v/value_error"))
    b = request_key(_body("https://errors.pydantic.dev/2.12/v/value_error"))
    assert a == b
    assert a != request_key(_body("https://errors.pydantic.dev/2.14/v/missing"))  # the error itself counts
