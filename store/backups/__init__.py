"""Monthly backups (C8): the backup file and its sealed manifest, making, verifying and
restoring one, and what a killed backup leaves behind."""
