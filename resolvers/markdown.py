"""Markdown rendered and sanitised on the server, so clients can trust `bodyHtml`.

Rendering is pure Python (markdown-it-py): a few microseconds a character for prose, up to
60 for hostile text (`![` repeated), so a 50,000-character body can take seconds of CPU. On
the event loop that would stall every request of the process, so requests render off it,
in two lanes:

- short sources (comments, introductions, most posts) in one thread: a render there costs
  at most a fraction of a second, and the thread hands the GIL back to the loop every few
  milliseconds, so the loop keeps answering;
- long sources in a separate process (MARKDOWN_RENDER_PROCESSES), where they hold no lock
  the loop needs: they use another core, queue there when many arrive at once, and never
  hold up the short ones.

A thread alone would not do for long sources: while it renders, the loop gets the GIL
only every other slice, so every request of the process runs at half speed for seconds.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import re
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import nh3
from markdown_it import MarkdownIt

import settings

# Raw HTML in the source is escaped, not passed through; nh3 then removes
# anything dangerous that markdown itself can produce (javascript: links).
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").enable("strikethrough")
_ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "s",  # markdown-it's strikethrough (~~text~~)
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "img",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}


def render_markdown(source: str) -> str:
    return nh3.clean(
        _markdown.render(source),
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )


# Up to this many characters a render takes at most about 0.2 s even for hostile text: the thread lane.
SHORT_SOURCE_CHARS = 5_000
_short_lane = ThreadPoolExecutor(max_workers=1, thread_name_prefix="markdown")


_long_lane: ProcessPoolExecutor | None = None  # started at the first long source


def _render_processes() -> ProcessPoolExecutor:
    global _long_lane
    if _long_lane is None:
        # Spawned, not forked: a fork would copy the server's threads' locks in whatever state they are.
        _long_lane = ProcessPoolExecutor(
            max_workers=settings.MARKDOWN_RENDER_PROCESSES,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_exit_with_parent,
            initargs=(os.getpid(),),
        )
    return _long_lane


def _exit_with_parent(parent_pid: int) -> None:
    """In a render process: exit once the server that started it is gone, however it ended.

    A render process waits on a pipe it also holds open, so it would never notice on its own,
    and a server ended by a signal (uvicorn re-raises SIGTERM) or killed runs no clean-up.
    """

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _discard(pool: ProcessPoolExecutor, *, wait: bool) -> None:
    """Stop using `pool` (the next long source starts a new one)."""
    global _long_lane
    if _long_lane is pool:
        _long_lane = None
    pool.shutdown(wait=wait, cancel_futures=True)


def stop_render_processes() -> None:
    """At shutdown: end the render processes, once the render under way (if any) is done."""
    if _long_lane is not None:
        _discard(_long_lane, wait=True)


async def render_markdown_off_loop(source: str) -> str:
    """`render_markdown`, without holding up the event loop (see the module's docstring)."""
    loop = asyncio.get_running_loop()
    if len(source) <= SHORT_SOURCE_CHARS or settings.MARKDOWN_RENDER_PROCESSES < 1:
        return await loop.run_in_executor(_short_lane, render_markdown, source)
    pool = _render_processes()
    try:
        return await loop.run_in_executor(pool, render_markdown, source)
    except BrokenProcessPool:  # its process died (killed, out of memory): start a new one, once
        _discard(pool, wait=False)
        return await loop.run_in_executor(_render_processes(), render_markdown, source)


MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&])")  # & too: "&amp;" is shown as typed


def escape_markdown(text: str) -> str:
    """User text placed inside markdown we write, shown as typed."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)
