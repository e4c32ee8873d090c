"""The SentinelOne Mgmt API collector's domain: everything but the task queue.

Nothing in this package imports Celery; ``workers/`` and ``beat/`` are thin layers over it.
"""
