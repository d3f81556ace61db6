"""People and their access: sign-up and log-in, the set-up of the first chapter, chapter
membership and roles, password rules and resets, and personal access tokens."""
