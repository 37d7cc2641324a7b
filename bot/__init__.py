"""Couples rituals bot: daily check-ins, appreciations and date nights for two partners."""
