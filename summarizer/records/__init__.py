"""Drafts → records: grounding and normalising the model's answers, merging, numbering."""
