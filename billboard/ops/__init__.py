"""Running the app: the start-up check, backups, file reconciliation and their commands."""
