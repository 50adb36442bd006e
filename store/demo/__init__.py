"""The demo store: realistic sample data to try statdesk (and benchmark sizes), never the
real store."""
