"""Job leads: the jobs work fills this module (same declarative Base as bot/db/models.py)."""
