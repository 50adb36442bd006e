"""Modal dialogs; each returns a typed value with `dismiss`."""
