"""Views of the case review app, one module per area of work."""
