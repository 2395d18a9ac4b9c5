"""Views: QtWidgets and pyqtgraph. They draw and forward user actions to controllers."""
