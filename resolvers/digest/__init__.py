"""The weekly digest: drafted from the week's activity, edited, and published as a post."""
