"""Cross-cutting web concerns: htmx helpers, error rendering, auth guards, API conventions."""
