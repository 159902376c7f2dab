"""A page that shows the progress of a long import while it runs, without JavaScript or a worker.

The page is streamed (`StreamingHttpResponse`): its top at once, then one progress element per
count the work reports, then the outcome and the end of the page. Each update is a new element
stacked over the previous one (`.progress-steps` in pendopo.css), so the latest is what shows;
the work stays in the request, one transaction, and a proxy sees bytes flowing instead of a
silent minute. Used by the survey answers' import and the region setup's imports.

The page's template marks where the steps go with `{{ mark|safe }}`, inside a
`<div class="progress-steps">`; the outcome is best a `<section>`, which covers the steps.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import HttpRequest, StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html

# Where the streamed part of a progress page goes.
MARK = "<!--pendopo:progress-->"


def steps(work: Iterable[int], label: str, total: int | None = None) -> Iterator[str]:
    """One progress element per count the work reports (e.g. rows done so far).

    The total is the one given, or the one the work finds out as it goes (`work.total`).
    """
    iterator = iter(work)
    try:
        for count in iterator:
            known = total or getattr(work, "total", None)
            if known:
                yield format_html(
                    '<p class="progress-step"><progress max="{}" value="{}"></progress> {}: {} / {}</p>\n',
                    known,
                    min(count, known),
                    label,
                    intcomma(count),
                    intcomma(known),
                )
            else:
                yield format_html('<p class="progress-step"><progress></progress> {}: {}</p>\n', label, intcomma(count))
    finally:
        # A browser that goes away closes this generator; close the work too, at once, so that
        # an import's transaction is rolled back now rather than whenever it is collected.
        close = getattr(iterator, "close", None)
        if close is not None:
            close()


def stream(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    parts: Iterator[str],
    outcome: Callable[[], str],
    on_error: Callable[[], str],
    logger: logging.Logger,
) -> StreamingHttpResponse:
    """The progress page: its top at once, then each part as it comes, then the outcome and the page's end.

    An exception after the status line has gone out is logged and answered by `on_error()` on
    the page (whatever was being saved has been rolled back with its transaction).
    """
    page = render_to_string(template, {**context, "mark": MARK}, request=request)
    top, bottom = page.split(MARK, 1)
    language = translation.get_language()

    def body() -> Iterator[str]:
        yield top
        with translation.override(language):
            try:
                yield from parts
                yield outcome()
            except Exception:
                logger.exception("Import page %s failed.", request.path)
                yield on_error()
        yield bottom

    response = StreamingHttpResponse(body(), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each part on at once
    return response
