"""Reminders a person asked for: stored in the database, sent once by a worker loop.

`models` holds the table, `service` schedules and cancels them from the conversation, and
`worker` sends the due ones through `bot/delivery.py`.
"""
