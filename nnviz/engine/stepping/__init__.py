"""One training step worked in the notes' terms: the micro-step trace, the matrix (layer-by-layer)
trace and the worked example's Markdown.
"""
