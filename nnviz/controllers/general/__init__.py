"""The Generalisation lab's state."""
