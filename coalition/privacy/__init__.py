"""Privacy: an ally's data export and erasure, the audit trail and its pages, backups."""
