"""Email: an outbox written in the transaction that causes a message, and the job that sends it.

- outbox.py: `queue_email` (one message) and `queue_bulk_email` (one INSERT … SELECT for many members);
- sender.py: claims due rows once across processes, sends them at EMAIL_SEND_RATE, records the outcome;
- transport.py: SMTP (EMAIL_URL, aiosmtplib) or .eml files in development, and what counts as a temporary failure;
- render.py: Jinja2 templates (templates/<en|fr>/) into a text and HTML message with stable headers;
- unsubscribe.py and preferences.py: signed one-click unsubscribe links, and members' email preferences.
"""
