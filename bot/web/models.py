"""Console users and the audit log: the console work fills this module (shared Base)."""
