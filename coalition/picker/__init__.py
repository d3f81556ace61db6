"""Choosing people, relationships and regions by typing: the chapter's search (``search``),
the form field and its no-JavaScript "Find" (``fields``) and the JSON the browser asks
as someone types (``views``)."""
