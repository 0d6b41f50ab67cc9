"""Articles in: documents and loaders, sentences, chunks."""
