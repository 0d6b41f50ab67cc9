"""The model behind an OpenAI-compatible API: client, failures, prices, wire format, transport, cache, local server."""
