"""Custom pyqtgraph graphics items."""
