"""Posts: publishing, comments, reactions, drafts and curation (tags, pins)."""
