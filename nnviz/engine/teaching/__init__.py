"""Lessons and course material: lessons and the syllabus, captions, the notes' numbers, predict-then-
reveal, handouts, exercise sheets and the presenter's pen.
"""
