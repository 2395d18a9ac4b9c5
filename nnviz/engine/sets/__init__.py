"""Data sets: generators and tables, the train/test split, CSV, input features and augmentation, and
the document's data set.
"""
