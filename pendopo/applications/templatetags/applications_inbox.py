"""The officer inbox's table rows and filter selects, written out in Python.

The inbox is on every officer's screen all day: 50 rows of 7 cells a page, and five selects whose
options (every step of every workflow version, every service) run to dozens. Rendered node by
node by the template engine, they were most of the page's rendering time. These tags write the
same markup with f-strings; every value goes through `_text`, which escapes as the template
engine's autoescaping does (`django.utils.html.escape`: & < > " ').
"""

from __future__ import annotations

from html import escape as _html_escape
from typing import TYPE_CHECKING, Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pendopo.applications.selectors import InboxRow

register = template.Library()


def _text(value: Any) -> str:
    """`value` escaped for HTML text or a quoted attribute, as autoescaping would (already safe strings are kept)."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return _html_escape(str(value), quote=True)


@register.simple_tag
def inbox_rows(rows: Iterable[InboxRow]) -> SafeString:
    """The `<tr>` of each row: code (a link), service, applicant and masked NIK, step, deadlines, assignee."""
    # Translated outside the f-strings, where makemessages finds them.
    waiting_label, overdue_label = _text(gettext("waiting")), _text(gettext("overdue"))
    waiting = f' <span class="badge">{waiting_label}</span>'
    overdue = f' <span class="badge badge-closed">{overdue_label}</span>'
    html = []
    for row in rows:
        nik = f"<br><small>{_text(row.nik_masked)}</small>" if row.nik_masked else ""
        late = ' class="overdue"' if row.is_overdue else ""
        html.append(
            f'<tr{late}><th scope="row"><a href="{_text(row.url)}">{_text(row.code)}</a></th>'
            f"<td>{_text(row.service)}</td><td>{_text(row.applicant)}{nik}</td>"
            f"<td>{_text(row.state_label)}{waiting if row.is_paused else ''}</td>"
            f"<td>{_text(row.state_due_text or '—')}{overdue if row.is_overdue else ''}</td>"
            f"<td>{_text(row.due_text or '—')}</td><td>{_text(row.assigned_to or '—')}</td></tr>\n"
        )
    return mark_safe("".join(html))  # every value above went through _text


@register.simple_tag
def inbox_select(name: str, label: Any, choices: Iterable[tuple[Any, Any]], value: Any) -> SafeString:
    """One filter: `<div class="field">` with its label and a select of `choices`, `value` selected."""
    chosen = str(value)
    options = "".join(
        f'<option value="{_text(option)}"{" selected" if str(option) == chosen else ""}>{_text(text)}</option>'
        for option, text in choices
    )
    ident = f"inbox-{_text(name)}"
    return mark_safe(  # every value went through _text
        f'<div class="field">\n      <label for="{ident}">{_text(label)}</label>\n'
        f'      <select id="{ident}" name="{_text(name)}">{options}</select>\n    </div>'
    )
