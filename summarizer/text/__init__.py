"""Text helpers that know nothing of records: dates, names, grounding of spans in the article."""
