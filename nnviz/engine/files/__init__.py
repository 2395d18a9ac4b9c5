"""Files and validation: the declared schema of lesson and workspace files, validators, JSON writing,
atomic saves, child-process reading, workspaces and weights files.
"""
