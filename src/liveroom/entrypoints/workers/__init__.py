"""Background workers: expiry sweeper, order-stream persister, notifications."""
