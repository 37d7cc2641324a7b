"""Rules of the product, free of Telegram: handlers and the scheduler call these."""
