"""The vault: the encrypted store and the way in — SQLCipher, keyslots, opening and unlocking,
the data folder and its lock, sessions, the atomic swap, upgrades (A1, A4, A6, C8)."""
