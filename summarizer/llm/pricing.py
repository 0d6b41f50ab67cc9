"""What a model call costs: prices per million tokens, the Batch API discount.

Prices come from the maintained ``genai-prices`` package (the price of a model at its
provider: OpenAI without a base URL, else the provider whose API the base URL is), unless
``price_per_mtok_in`` / ``price_per_mtok_out`` (``SUMMARIZER_PRICE_PER_MTOK_IN`` / ``_OUT``)
override them. A local model costs nothing; an unknown model's cost is ``None`` (n/a).
The estimate counts every prompt token at the full input price (cached prompt tokens
cost less at some providers) and uses the base tier of tiered prices.
"""

from __future__ import annotations

from functools import lru_cache

from summarizer.settings import Settings

__all__ = ["BATCH_DISCOUNT", "estimate_cost", "price_per_mtok"]

# Answers from the OpenAI Batch API cost BATCH_DISCOUNT times the listed prices.
BATCH_DISCOUNT = 0.5
_PROBE = 1000  # tokens priced to read a model's per-token rates (well inside its base tier)


@lru_cache(maxsize=64)
def _listed(model: str, base_url: str | None) -> tuple[float, float] | None:
    """``(USD per million prompt tokens, per million completion tokens)`` from genai-prices."""
    try:
        from genai_prices import Usage, calc_price
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    usage = Usage(input_tokens=_PROBE, output_tokens=_PROBE)
    try:
        if base_url is None:
            price = calc_price(usage, model, provider_id="openai")
        else:
            price = calc_price(usage, model, provider_api_url=base_url)
    except LookupError:  # unknown provider or model
        return None
    scale = 1_000_000 // _PROBE  # exact: the prices are Decimals
    return float(price.input_price * scale), float(price.output_price * scale)


def price_per_mtok(settings: Settings) -> tuple[float, float] | None:
    """USD per million prompt and completion tokens for ``settings.model``; ``None`` when unknown.

    Each of ``price_per_mtok_in`` / ``price_per_mtok_out`` that is set wins over the listed price.
    """
    price_in, price_out = settings.price_per_mtok_in, settings.price_per_mtok_out
    if price_in is None or price_out is None:
        listed = _listed(settings.model, settings.base_url)
        if listed is None:
            return None
        price_in = listed[0] if price_in is None else price_in
        price_out = listed[1] if price_out is None else price_out
    return price_in, price_out


def estimate_cost(
    settings: Settings,
    usage: dict[str, int],
    *,
    local: bool = False,
    batch_usage: dict[str, int] | None = None,
) -> float | None:
    """Estimated USD cost of ``usage``; ``None`` when the price is unknown.

    ``batch_usage``, the part of ``usage`` answered by the Batch API, costs ``BATCH_DISCOUNT`` as much.
    """
    if local:
        return 0.0
    prices = price_per_mtok(settings)
    if prices is None:
        return None
    price_in, price_out = prices
    batch = batch_usage or {}

    def tokens(name: str) -> float:
        return usage.get(name, 0) - (1 - BATCH_DISCOUNT) * batch.get(name, 0)

    return round((tokens("prompt_tokens") * price_in + tokens("completion_tokens") * price_out) / 1e6, 6)
