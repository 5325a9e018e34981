"""The logic behind fields and mutations: plain async functions, one package per domain.

Domains (each a package): members, communities, posts, recognition, tasks,
events, freshness, digest, welcome, notifications, engagement, scheduling. A
domain may call the domains below it, never above (.importlinter, "domains").

The shared core beside them:
- `access`: every visibility and permission rule (`visible_*`, `can_*`, `require_*`);
- `outbox`: the one write path, `writing()`, whose `Transaction` carries what the
  write announces, published after commit;
- `context` and `loaders`: who is asking, and the per-request batched reads;
- `activity` (the numbered activity log), `errors`, `ids`, `pagination`,
  `validation`, `markdown`, `security`, `ratelimit`, `claims`, `idempotency`.

Naming follows Zulip: `check_*` validates, `require_*` authorises (in access),
`do_*` writes in one transaction, and what it announces is published after the
commit by the outbox.
"""
