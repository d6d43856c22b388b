"""The admin and coach web console (FastAPI, server-rendered templates)."""
