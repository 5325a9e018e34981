"""Email: an outbox written in the transaction that causes a message, and the job that sends it."""
