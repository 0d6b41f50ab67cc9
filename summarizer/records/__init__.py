"""Drafts → records: grounding and normalising the model's answers, merging, parties, rule backfills."""
