"""Developer tools (not shipped): the message catalog's extract and compile."""
