"""Data protection: backups and restores, the retention schedule, subject access and the audit
log for the data protection officer. It owns no tables: it calls the apps that own the data."""
