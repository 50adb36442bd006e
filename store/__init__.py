"""The domain: encrypted store, keyslots, operators, audit. Never imports Textual."""
