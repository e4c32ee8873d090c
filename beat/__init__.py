"""When things run: the beat schedule and the dispatcher task it drives."""
