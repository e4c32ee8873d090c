"""The Celery side: the app and its thin tasks. Each task calls one use case of ``collector``."""
