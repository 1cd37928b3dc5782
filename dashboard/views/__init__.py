"""One module per tab; each has ``render(ctx)`` and draws only analysis-layer frames."""
