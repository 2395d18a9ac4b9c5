"""The Workbench: micro-steps, the matrix view's layer steps, Train N steps."""
