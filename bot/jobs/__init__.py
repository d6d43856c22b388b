"""Jobs: job leads, municipalities and labour-market regions, matching people to work nearby.

Place resolution lives in `bot.jobs.places` (`Places.load()` once at start-up); its package data
is in `bot/jobs/data/`, each file with its sources in its header.
"""
