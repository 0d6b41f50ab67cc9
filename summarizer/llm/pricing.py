"""What a model call costs: prices per million tokens, the Batch API discount."""

from __future__ import annotations

from summarizer.settings import Settings

__all__ = ["BATCH_DISCOUNT", "PRICES", "estimate_cost"]

# USD per million tokens (prompt, completion); local servers cost nothing.
# Answers from the OpenAI Batch API cost BATCH_DISCOUNT times these prices.
PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-nano": (0.10, 0.40),
}
BATCH_DISCOUNT = 0.5


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
    price_in, price_out = settings.price_per_mtok_in, settings.price_per_mtok_out
    if price_in is None or price_out is None:
        known = PRICES.get(settings.model)
        if known is None:
            return None
        price_in, price_out = known
    batch = batch_usage or {}

    def tokens(name: str) -> float:
        return usage.get(name, 0) - (1 - BATCH_DISCOUNT) * batch.get(name, 0)

    return round((tokens("prompt_tokens") * price_in + tokens("completion_tokens") * price_out) / 1e6, 6)
