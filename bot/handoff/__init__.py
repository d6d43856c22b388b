"""Human handoff: a person asks for a job coach; a coach claims the ticket and talks with them.

models.py    tickets, relayed messages and the message links between chats
hours.py     working hours and holidays per team: when can a person expect an answer
desk.py      the core side, inside a person's message transaction: request, relay, ownership
coaches.py   what coaches do (claim, reply, note, release, close) from Telegram or the console
relay.py     the worker that translates and delivers relayed messages and opens topics
"""
