"""The logic behind fields and mutations: plain async functions, one package per domain.

Naming follows Zulip: `check_*` validates and authorises, `do_*` writes in one
transaction, `notify_*` publishes after the commit.
"""
