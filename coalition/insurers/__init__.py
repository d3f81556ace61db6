"""Insurers, the people inside them and their org chart, and the chapter's issues with
each insurer together with the dated history of each issue."""
