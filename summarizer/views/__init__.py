"""Ways to show an ArticleSummary: text formats, HTML pages, pandas frames, notebook display hooks."""
