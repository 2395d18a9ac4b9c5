"""The Error surface lab: the surface, descent path, learning slowdown and optimiser race."""
