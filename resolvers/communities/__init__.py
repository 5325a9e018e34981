"""Communities: creation, invitations, membership, roles and moderation."""
