"""``python -m simulator``: run the simulated console."""

from simulator.cli import main

main()
