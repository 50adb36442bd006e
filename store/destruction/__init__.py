"""Destruction (A7, D6, D7, D9): batches registered, approved, arranged and carried out; the
rules an item must pass; holds that keep items from destruction."""
