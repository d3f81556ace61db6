"""Allies and the links between them: the ally directory, ally records and stances,
relationships, importing from CSV/XLSX, the public sign-up page and consent notices."""
