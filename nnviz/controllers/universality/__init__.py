"""The Universality lab: the hand-built 1-N-1 network and its readouts."""
