"""Cost estimates: genai-prices for known models, overrides, the Batch API discount, local = 0."""

from __future__ import annotations

import pytest

from summarizer import Settings
from summarizer.llm.pricing import BATCH_DISCOUNT, estimate_cost, price_per_mtok

USAGE = {"prompt_tokens": 2_000_000, "completion_tokens": 1_000_000}


def test_known_openai_models_get_a_price() -> None:
    assert price_per_mtok(Settings(model="gpt-4o-mini")) == pytest.approx((0.15, 0.60))
    # dated snapshots and models the old five-entry table lacked are priced too
    assert price_per_mtok(Settings(model="gpt-4o-mini-2024-07-18")) == pytest.approx((0.15, 0.60))
    assert price_per_mtok(Settings(model="o3-mini")) is not None
    assert estimate_cost(Settings(model="gpt-4o-mini"), USAGE) == pytest.approx(2 * 0.15 + 0.60)


def test_provider_is_read_from_the_base_url() -> None:
    openai = Settings(model="gpt-4o-mini", base_url="https://api.openai.com/v1")
    assert price_per_mtok(openai) == pytest.approx((0.15, 0.60))
    # a server of our own (vLLM, llama.cpp, a fake) is no known provider: no price
    assert price_per_mtok(Settings(model="gpt-4o-mini", base_url="http://127.0.0.1:8000/v1")) is None


def test_unknown_model_has_no_price() -> None:
    assert price_per_mtok(Settings(model="no-such-model-xyz")) is None
    assert estimate_cost(Settings(model="no-such-model-xyz"), USAGE) is None


def test_overrides_win() -> None:
    both = Settings(model="gpt-4o-mini", price_per_mtok_in=1.0, price_per_mtok_out=2.0)
    assert price_per_mtok(both) == (1.0, 2.0)
    assert estimate_cost(both, USAGE) == pytest.approx(4.0)
    one = Settings(model="gpt-4o-mini", price_per_mtok_out=2.0)  # the other is the listed price
    assert price_per_mtok(one) == pytest.approx((0.15, 2.0))
    unknown = Settings(model="no-such-model-xyz", price_per_mtok_in=1.0, price_per_mtok_out=2.0)
    assert estimate_cost(unknown, USAGE) == pytest.approx(4.0)
    assert price_per_mtok(Settings(model="no-such-model-xyz", price_per_mtok_in=1.0)) is None


def test_overrides_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_PRICE_PER_MTOK_IN", "3")
    monkeypatch.setenv("SUMMARIZER_PRICE_PER_MTOK_OUT", "5")
    assert price_per_mtok(Settings(model="gpt-4o-mini")) == (3.0, 5.0)


def test_batch_discount_and_local() -> None:
    settings = Settings(model="gpt-4o-mini")
    full = estimate_cost(settings, USAGE)
    assert full is not None
    assert estimate_cost(settings, USAGE, batch_usage=USAGE) == pytest.approx(full * BATCH_DISCOUNT)
    assert estimate_cost(Settings(model="no-such-model-xyz"), USAGE, local=True) == 0.0
