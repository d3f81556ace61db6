"""Developer tools apart from the product: ``make bench`` and ``make loadtest``."""
