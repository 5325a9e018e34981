"""Recognition: points, rewards, levels, badges, kudos and the live standings."""
