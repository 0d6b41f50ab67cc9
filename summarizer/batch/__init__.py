"""Many articles: resumable runs into a results file, and the OpenAI Batch API."""
