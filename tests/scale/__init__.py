"""Scale and reliability: concurrent writers, atomic imports, backups."""
