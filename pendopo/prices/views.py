"""The price pages: the public prices per market, the enumerator's daily entry, the coordinator's
review, the region's dashboard, the import, alerts and interventions. Every page reads through
`selectors` (scoped by `pendopo.regions.permissions`); a page a user may not see is a 404."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pendopo.lib import dates
from pendopo.lib.replica import replica_reads
from pendopo.prices import actions, brief, dashboard, importing, indicators, links, selectors
from pendopo.prices.forms import ImportForm, InterventionForm
from pendopo.prices.models import Alert, Market, PriceEntry, WeeklyBrief
from pendopo.regions.models import Region, Role
from pendopo.regions.permissions import region_for, role_in, signed_in

MAX_UPLOAD = 5 * 1024 * 1024


def _staff_region(request: HttpRequest, slug: str) -> Region:
    region = region_for(request.user, slug)
    if role_in(request.user, region) == Role.CITIZEN:
        raise Http404
    return region


def _day(request: HttpRequest, region: Region, name: str = "tanggal") -> dt.date:
    today = dates.today(region.time_zone)
    try:
        day = dt.date.fromisoformat(request.GET.get(name, "") or today.isoformat())
    except ValueError:
        return today
    return min(day, today)


@replica_reads
def public(request: HttpRequest, region_slug: str) -> HttpResponse:
    """Everyone: today's approved prices per market, with the reference and the region's average."""
    region = region_for(request.user, region_slug)
    today = dates.today(region.time_zone)
    table = dashboard.market_table(region, today)
    board = dashboard.build(region, today) if table.day else None
    averages = {row.commodity.pk: row for row in board.rows} if board else {}
    rows = [(commodity, cells, ref, averages.get(commodity.pk)) for commodity, cells, ref in table.rows]
    return render(request, "prices/public.html", {"region": region, "table": table, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest, region_slug: str) -> HttpResponse:
    """An enumerator's prices of the day for one of their markets, yesterday's beside each."""
    region = region_for(request.user, region_slug)
    markets = selectors.assigned_markets(request.user, region)
    if not markets:
        raise Http404
    code = request.POST.get("pasar") or request.GET.get("pasar", "")
    market = next((m for m in markets if m.code == code), markets[0])
    today = dates.today(region.time_zone)
    day = _day(request, region)
    asked = request.GET.get("tanggal", "")
    if (
        request.method == "GET"
        and asked
        and (asked != day.isoformat() or day < today - dt.timedelta(days=actions.ENTRY_DAYS_BACK))
    ):
        # A date that cannot be read, in the future or too old: today's form, saying so.
        messages.warning(
            request,
            _("Prices are entered for today or the last %(days)d days; the form shows today.")
            % {"days": actions.ENTRY_DAYS_BACK},
        )
        day = today
    if request.method == "POST":
        try:
            day = dt.date.fromisoformat(request.POST.get("tanggal", ""))
        except ValueError:
            day = today
    items = selectors.commodities()
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        typed = {c.pk: request.POST.get(f"price_{c.pk}", "").strip() for c in items}
        typed = {k: v for k, v in typed.items() if v}
        keys = {c.pk: request.POST.get(f"key_{c.pk}", "") for c in items if c.pk in typed and request.POST.get(f"key_{c.pk}")}
        try:
            saved = actions.enter_prices(signed_in(request), market, day, typed, keys=keys)
        except ValidationError as exc:
            errors, status = exc.message_dict, 400
        except PermissionDenied:
            raise Http404 from None
        else:
            flagged = sum(1 for s in saved if s.entry.status == PriceEntry.Status.FLAGGED)
            messages.success(
                request, _("%(count)s price(s) saved for %(market)s.") % {"count": len(saved), "market": market.name}
            )
            if flagged:
                messages.warning(
                    request, _("%(count)s price(s) look unusual and will be checked by the coordinator.") % {"count": flagged}
                )
            return redirect(f"{reverse('prices:entry', args=[region.slug])}?pasar={market.code}&tanggal={day.isoformat()}")
    previous = selectors.previous_prices(market, day, [c.pk for c in items])
    today_entries = {e.commodity_id: e for e in PriceEntry.objects.filter(market=market, date=day)}
    rows = [
        {
            "commodity": c,
            "previous": previous.get(c.pk),
            "entry": today_entries.get(c.pk),
            "value": request.POST.get(f"price_{c.pk}", "") if request.method == "POST" else "",
            "key": request.POST.get(f"key_{c.pk}") or uuid.uuid4(),
            "errors": errors.get(f"price_{c.pk}", []) + errors.get(f"key_{c.pk}", []),
        }
        for c in items
    ]
    context = {
        "region": region,
        "markets": markets,
        "market": market,
        "day": day,
        "today": today,
        "earliest": today - dt.timedelta(days=actions.ENTRY_DAYS_BACK),
        "rows": rows,
        "form_errors": errors.get("__all__", []) + errors.get("date", []) + errors.get("prices", []),
        # Named at the top of the list, each linked to its field: on a phone the wrong price may be
        # twenty rows below the button the enumerator just pressed.
        "rows_with_errors": [row for row in rows if row["errors"]],
        "jump": selectors.jump_percent(region),
        "offline_texts": _offline_texts(),
    }
    return render(request, "prices/entry.html", context, status=status)


def _offline_texts() -> dict[str, Any]:
    """What the entry page's script says, in the user's language (the script holds no strings)."""
    return {
        "queued": _("%(count)s price(s) saved on this device; they are sent when the connection returns."),
        "sending": _("Sending the prices…"),
        "sent": _("%(count)s price(s) received by the server."),
        "flagged": _("%(count)s price(s) look unusual and will be checked by the coordinator."),
        "refused": _("The server refused some prices: correct them and save again."),
        "later": _("The prices could not be sent (log in again if asked); they stay on this device."),
        "empty": _("Type at least one price."),
        "waiting": _("Waiting to send: %(price)s"),
        "saved": _("Entered: %(price)s, %(status)s"),
        "statuses": {value: str(label) for value, label in PriceEntry.Status.choices},
    }


def service_worker(request: HttpRequest, region_slug: str) -> HttpResponse:
    """The service worker that keeps the price-entry page usable offline (scope: /r/<region>/harga/).

    Served from under the scope it controls, as browsers require; it holds no personal data."""
    scope = reverse("prices:public", args=[region_slug])
    body = render_to_string("prices/sw.js", {"scope": scope, "static_url": settings.STATIC_URL})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


REVIEW_PAGE = 100  # entries on the review page at once (five markets' day of 20 commodities)


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, region_slug: str) -> HttpResponse:
    """The coordinator's queue: flagged entries first; approve, correct or reject."""
    region = region_for(request.user, region_slug)
    if not selectors.may_review(request.user, region):
        raise Http404
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "approve_checked":
                ids = [int(v) for v in request.POST.getlist("entry") if (v.isascii() and v.isdigit())]
                count = actions.approve_all(signed_in(request), region, ids)
                messages.success(request, _("%(count)s price(s) approved.") % {"count": count})
            else:
                entry_id = request.POST.get("entry", "")
                if not (entry_id.isascii() and entry_id.isdigit()):
                    raise Http404
                actions.review_entry(
                    signed_in(request),
                    int(entry_id),
                    request.POST.get("decision", ""),
                    corrected=request.POST.get("price", ""),
                    note=request.POST.get("note", ""),
                )
                messages.success(request, _("The entry has been reviewed."))
            return redirect(request.get_full_path())
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 400
    markets = list(selectors.markets(request.user, region).order_by("name"))
    market = next((m for m in markets if m.code == request.GET.get("pasar")), None)
    waiting = selectors.entries_to_review(request.user, region)
    if market is not None:
        waiting = waiting.filter(market=market)
    # One screenful at a time, flagged first: what is decided leaves the list and the next ones come up.
    entries = list(waiting[:REVIEW_PAGE])
    total = len(entries) if len(entries) < REVIEW_PAGE else waiting.count()
    context = {"region": region, "entries": entries, "total": total, "markets": markets, "market": market}
    return render(request, "prices/review.html", context, status=status)


def _before_after(region: Region, interventions: list[Any]) -> list[dict[str, Any]]:
    """Each intervention with its commodity's mean price in the 7 days before and after."""
    if not interventions:
        return []
    first = min(i.date for i in interventions) - dt.timedelta(days=7)
    last = max(i.date for i in interventions) + dt.timedelta(days=7)
    series = selectors.series(region, first, last, commodity_ids={i.commodity_id for i in interventions})
    out = []
    for item in interventions:
        s = series.get(item.commodity_id, {})
        before = indicators.mean_between(s, item.date - dt.timedelta(days=7), item.date - dt.timedelta(days=1))
        after = indicators.mean_between(s, item.date + dt.timedelta(days=1), item.date + dt.timedelta(days=7))
        out.append({"item": item, "before": before, "after": after, "change": indicators.change(after, before)})
    agreements = links.linked_agreements(interventions)
    for row in out:
        row["agreement"] = agreements.get(row["item"].pk)
    return out


@replica_reads
def region_dashboard(request: HttpRequest, region_slug: str) -> HttpResponse:
    """The team's dashboard: each commodity's price, changes and deviation, the IPH, a chart, alerts, interventions."""
    region = _staff_region(request, region_slug)
    today = dates.today(region.time_zone)
    market = None
    if code := request.GET.get("pasar", ""):
        market = selectors.markets(request.user, region).filter(code=code).first()
        if market is None:
            raise Http404
    interventions = list(selectors.interventions(request.user, region)[:20])
    markers = [(i.date, i.commodity_id, str(i.get_kind_display())) for i in interventions]
    board = dashboard.build(region, today, request.GET.get("komoditas", ""), market, markers)
    context = {
        "region": region,
        "board": board,
        "markets": list(selectors.markets(request.user, region).order_by("name")),
        "market": market,
        "alerts": list(selectors.open_alerts(request.user, region)[:50]),
        "interventions": _before_after(region, interventions),
        "may_act": selectors.may_review(request.user, region),
        "commodities": [r.commodity for r in board.rows],
    }
    return render(request, "prices/dashboard.html", context)


@login_required
@require_POST
def close_alert(request: HttpRequest, region_slug: str, alert_id: int) -> HttpResponse:
    region = _staff_region(request, region_slug)
    if not Alert.objects.filter(pk=alert_id, region=region).exists():
        raise Http404
    try:
        actions.close_alert(signed_in(request), alert_id, request.POST.get("action_taken", ""))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The alert is closed."))
    return redirect("prices:dashboard", region.slug)


@login_required
@require_http_methods(["GET", "POST"])
def intervention(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    if not selectors.may_review(request.user, region):
        raise Http404
    form = InterventionForm(request.POST or None, user=signed_in(request), region=region)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_intervention(
                signed_in(request),
                region,
                form.save(commit=False),
                agreement=form.cleaned_data.get("agreement", ""),
            )
        except ValidationError as exc:
            # Errors of the form's own fields go beside them; any other above the form.
            fielded = hasattr(exc, "error_dict") and set(exc.error_dict) <= set(form.fields)
            form.add_error(None, exc if fielded else exc.messages)
        else:
            messages.success(request, _("The intervention is recorded."))
            return redirect("prices:dashboard", region.slug)
    status = 400 if form.errors else 200
    return render(request, "prices/intervention.html", {"region": region, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    if not selectors.may_review(request.user, region):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None, region=region)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            problems = [_("The file is larger than 5 MB.")]
        else:
            parsed = importing.parse(upload.read(), upload.name, region, form.cleaned_data["market"])
            problems = parsed.problems or ([] if parsed.rows else [_("The file has no prices.")])
            if not problems:
                try:
                    created, updated = actions.import_prices(signed_in(request), region, parsed.rows)
                except ValidationError as exc:
                    problems = exc.messages
                else:
                    messages.success(
                        request,
                        _("%(created)s price(s) imported, %(updated)s replaced.") % {"created": created, "updated": updated},
                    )
                    return redirect("prices:import", region.slug)
    status = 400 if problems or form.errors else 200
    return render(
        request,
        "prices/import.html",
        {
            "region": region,
            "form": form,
            "problems": problems[:100],
            "more": max(0, len(problems) - 100),
            "markets": Market.objects.filter(region=region, is_active=True),
        },
        status=status,
    )


def _brief_week(request: HttpRequest, region: Region, text: str | None = None) -> dt.date:
    today = dates.today(region.time_zone)
    try:
        day = dt.date.fromisoformat(text if text is not None else request.GET.get("minggu", ""))
    except ValueError:
        if text is not None:
            raise Http404 from None
        return brief.last_week(today)
    if day > today:
        raise Http404
    return indicators.week_start(day)


@login_required
def weekly_brief(request: HttpRequest, region_slug: str) -> HttpResponse:
    """The Monday meeting's brief of a week on a page, with the PDF and DOCX."""
    region = _staff_region(request, region_slug)
    week = _brief_week(request, region)
    today = dates.today(region.time_zone)
    weeks = [indicators.week_start(today) - dt.timedelta(days=7 * n) for n in range(13)]
    context = {
        "region": region,
        "brief": brief.build(region, week),
        "weeks": weeks,
        "kept": WeeklyBrief.objects.filter(region=region, week_start=week).first(),
    }
    return render(request, "prices/brief.html", context)


@login_required
def weekly_brief_file(request: HttpRequest, region_slug: str, week: str, kind: str) -> HttpResponseBase:
    """The brief as the team received it (kept by the worker), else rendered now from today's figures."""
    region = _staff_region(request, region_slug)
    monday = _brief_week(request, region, week)
    kept = WeeklyBrief.objects.filter(region=region, week_start=monday).first()
    name = f"ringkasan-harga-{region.slug}-{monday:%Y-%m-%d}.{kind}"
    types = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
    if kept is not None:
        return FileResponse(getattr(kept, kind).open("rb"), as_attachment=kind == "docx", filename=name, content_type=types[kind])
    with translation.override("id"):  # the meeting's language, as the kept files are
        week_brief = brief.build(region, monday)
        body = brief.pdf(week_brief) if kind == "pdf" else brief.docx(week_brief)
    response = HttpResponse(body, content_type=types[kind])
    response["Content-Disposition"] = f'{"attachment" if kind == "docx" else "inline"}; filename="{name}"'
    return response
