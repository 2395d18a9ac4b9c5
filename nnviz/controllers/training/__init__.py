"""Live training: the controller and its parts (data, edits, fast slices, step back, readouts)."""
