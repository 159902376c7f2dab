"""The report page, its PDF and XLSX, the public index page and the follow-up plan."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from pendopo.surveys.models import FollowUpPlan, ServedCount
from pendopo.surveys.periods import Period
from pendopo.surveys.tests.conftest import answer

NOW = dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def answered(world, services):
    with time_machine.travel(NOW, tick=False):
        for scores in ([4] * 9, [3] * 9, [4, 4, 4, 4, 4, 3, 3, 3, 2]):
            answer(services.ktp, scores, suggestion="Antrian cepat")
        answer(services.akta, 2, service_point=world.counter_a, suggestion='=HYPERLINK("http://x")')
        answer(services.vaksin, 1)
        answer(services.ktp_b, 4)
    ServedCount.objects.create(region=world.region_a, agency=world.agency_a1, year=2026, month=11, served=100)


def report_url(world, query=""):
    return reverse("surveys:report", args=[world.region_a.slug]) + ("?" + query if query else "")


@time_machine.travel(NOW, tick=False)
def test_agency_report_figures(client, world, answered):
    page = client.get(report_url(world, "opd=DISDUKCAPIL&periode=2026"), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    # 4 responses: element sums U1 = 4+3+4+2 = 13 → NRR 3.25; Σ = 36+27+31+18 = 112 over 36 answers → 3.11, × 25 = 77.78 (B).
    assert "77.78" in html and "3.11" in html and "3.25" in html
    assert "grade-B" in html
    # 100 served → minimum sample 80, 4 responses: 76 short.
    assert "76 responses short of the minimum sample" in html
    assert "Penerbitan KTP Elektronik" in html and "Akta Kelahiran" in html  # comparison by service
    assert 'class="skm-bars"' in html
    assert "Antrian cepat" not in html  # the public sees no suggestions


@time_machine.travel(NOW, tick=False)
def test_figures_are_written_the_readers_way(client, world, answered):
    """Indonesian writes a decimal comma (77,78), English a point; the digits are the same."""
    indonesian = client.get(report_url(world, "opd=DISDUKCAPIL&periode=2026"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    english = client.get(report_url(world, "opd=DISDUKCAPIL&periode=2026"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    figures = indonesian[indonesian.index('class="skm-figures"') :]
    assert '<div class="value">77,78</div>' in figures and '<div class="value">3,11</div>' in figures
    assert '<td class="num">3,25</td>' in indonesian  # NRR of U1
    assert "77.78" not in figures[: figures.index("</div>\n</div>")]
    assert '<div class="value">77.78</div>' in english and '<td class="num">3.25</td>' in english


@time_machine.travel(NOW, tick=False)
def test_bar_widths_are_css_lengths_in_indonesian_too(client, world, answered):
    """The charts are HTML bars; a width written the Indonesian way (77,78%) would be no CSS length."""
    html = client.get(report_url(world, "opd=DISDUKCAPIL&periode=2026"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "77,78" in html
    widths = re.findall(r'class="skm-bar skm-bar-(\w+)" style="width: ([^"]*)%"', html)
    assert ("B", "77.78") in widths  # the comparison's and the trend's bar: 77.78% wide
    assert all(re.fullmatch(r"\d+\.\d\d", width) for _grade, width in widths)


@time_machine.travel(NOW, tick=False)
def test_report_page_query_count(client, world, answered, django_assert_max_num_queries):
    client.force_login(world.head_a1)
    with django_assert_max_num_queries(18):  # 18: + the answers held for review (staff only)
        page = client.get(report_url(world, "opd=DISDUKCAPIL&periode=2026-Q4"))
    assert "Antrian cepat" in page.content.decode()
    client.logout()
    with django_assert_max_num_queries(8):  # 7 + the applications received (people served)
        client.get(report_url(world, "periode=2026"))


@time_machine.travel(NOW, tick=False)
def test_region_report_compares_agencies_and_public_page(client, world, answered, django_assert_max_num_queries):
    html = client.get(report_url(world)).content.decode()
    assert "Dinas Kesehatan" in html and "Dinas Kependudukan" in html
    with django_assert_max_num_queries(8):
        public = client.get(reverse("surveys:public", args=[world.region_a.slug]), HTTP_ACCEPT_LANGUAGE="en")
    html = public.content.decode()
    assert public.status_code == 200
    assert "Dinas Kesehatan" in html and "Layanan Vaksinasi" in html
    assert "25.00" in html  # Dinkes: all ones


@pytest.mark.parametrize("query", ["periode=2026-13", "periode=abc", "dari=2026-05-01&sampai=2026-01-01"])
def test_bad_period_is_a_bad_request(client, world, answered, query):
    """Said beside the form, with what was typed kept in it and the default period's figures below."""
    response = client.get(report_url(world, query))
    assert response.status_code == 400
    html = response.content.decode()
    error = html[html.index('id="skm-period-error"') :]
    assert "Ditampilkan sebagai gantinya:" in error and 'aria-invalid="true"' in html
    typed = query.split("&")[0].split("=")[1]
    assert f'value="{typed}"' in html and 'class="skm-figures"' in html


def test_unknown_unit_is_not_found(client, world, answered):
    assert client.get(report_url(world, "opd=NOPE")).status_code == 404
    assert client.get(report_url(world, "layanan=NOPE")).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_custom_range_and_month(client, world, answered):
    html = client.get(report_url(world, "opd=DISDUKCAPIL&dari=2026-11-01&sampai=2026-11-30")).content.decode()
    assert "77.78" in html
    html = client.get(report_url(world, "opd=DISDUKCAPIL&periode=2026-10")).content.decode()
    assert "77.78" not in html


@time_machine.travel(NOW, tick=False)
def test_pdf(client, world, answered):
    client.force_login(world.head_a1)
    FollowUpPlan.objects.create(
        region=world.region_a, agency=world.agency_a1, period="2026", text="Menambah loket", entered_by=world.head_a1
    )
    response = client.get(reverse("surveys:report_pdf", args=[world.region_a.slug]) + "?opd=DISDUKCAPIL&periode=2026")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="skm-disdukcapil-2026.pdf"' in response["Content-Disposition"]


@time_machine.travel(NOW, tick=False)
def test_pdf_html_has_the_published_structure(client, world, answered, rf):
    from pendopo.surveys import reports, views_reports

    FollowUpPlan.objects.create(
        region=world.region_a, agency=world.agency_a1, period="2026", text="Menambah loket", entered_by=world.head_a1
    )
    unit = reports.resolve_unit(world.region_a, agency="DISDUKCAPIL")
    period = reports.Period.parse("2026")
    report = reports.build(world.head_a1, unit, period)
    request = rf.get("/")
    request.user = world.head_a1
    from django.template.loader import render_to_string

    html = render_to_string(
        "surveys/report_pdf.html",
        views_reports._context(request, world.region_a, unit, period, report) | {"report": report},
    )
    for part in ("77.78", "U9", "Menambah loket", "Antrian cepat", "grade-B"):
        assert part in html
    # In the order agencies publish: index and grade, elements, respondents, follow-up, suggestions (with their summary).
    order = ['class="skm-figures"', 'id="elements"', 'id="profile"', 'id="follow-up"', 'id="suggestions"', "skm-frequent"]
    positions = [html.index(part) for part in order]
    assert positions == sorted(positions)
    assert '<tr><td>Antrian cepat</td><td class="num">3</td></tr>' in html


@time_machine.travel(NOW, tick=False)
def test_xlsx_has_figures_and_raw_anonymous_responses(client, world, answered):
    client.force_login(world.officer_a1)
    response = client.get(
        reverse("surveys:report_xlsx", args=[world.region_a.slug]) + "?opd=DISDUKCAPIL&periode=2026", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    figures, profile, raw = book.worksheets
    values = [cell for row in figures.iter_rows(values_only=True) for cell in row if cell is not None]
    assert 77.78 in values and "B" in values
    # The respondents' profile as the page shows it: 4 respondents, the form's answers counted.
    profile_rows = list(profile.iter_rows(values_only=True))
    assert profile_rows[1][:2] == ("Respondents", 4)
    assert sum(row[1] for row in profile_rows if row and row[0] == "not given") == 4 * 4  # none of the 4 gave a profile
    rows = list(raw.iter_rows(values_only=True))
    assert len(rows) == 1 + 4
    assert rows[0][4:13] == tuple(f"U{n}" for n in range(1, 10))
    # A suggestion that looks like a formula is stored as text, never as a formula.
    formula_cells = [cell for row in raw.iter_rows() for cell in row if cell.data_type == "f"]
    assert formula_cells == []
    assert any(row[-1] == '=HYPERLINK("http://x")' for row in rows)


def test_follow_up_plan_by_the_head(client, world, answered):
    url = reverse("surveys:follow_up", args=[world.region_a.slug, "DISDUKCAPIL", "2026"])
    for name in ("officer_a1", "officer_a2", "admin_b", "citizen"):
        client.force_login(getattr(world, name))
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"text": "x"}).status_code == 404, name
    client.logout()
    assert client.get(url).status_code == 404
    client.force_login(world.head_a1)
    assert client.post(url, {"text": ""}).status_code == 400
    response = client.post(url, {"text": "Menambah loket dan petugas"})
    assert response.status_code == 302
    plan = FollowUpPlan.objects.get()
    assert (plan.agency, plan.period, plan.entered_by) == (world.agency_a1, "2026", world.head_a1)
    client.post(url, {"text": "Menambah dua loket"})
    assert FollowUpPlan.objects.get().text == "Menambah dua loket"
    client.logout()
    html = client.get(report_url(world, "opd=DISDUKCAPIL&periode=2026")).content.decode()
    assert "Menambah dua loket" in html  # published with the report
    client.force_login(world.admin_a)
    assert client.get(url).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_summary_of_suggestions_counts_the_same_words_together(client, world, services):
    for text in (
        "Parkir kurang luas.",
        "parkir kurang luas. ",
        "PARKIR KURANG LUAS.",
        "Antrian cepat",
        "Antrian cepat",
        "Toilet",
    ):
        answer(services.ktp, 3, suggestion=text)
    answer(services.vaksin, 3, suggestion="Toilet")  # another agency's: not in this report
    client.force_login(world.head_a1)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(report_url(world, "opd=DISDUKCAPIL&periode=2026"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    table = html[html.index('class="skm-frequent"') : html.index("</table>", html.index('class="skm-frequent"'))]
    rows = re.findall(r"<tr><td>([^<]+)</td><td class=\"num\">(\d+)</td></tr>", table)
    assert [(text.strip().lower(), int(count)) for text, count in rows] == [("parkir kurang luas.", 3), ("antrian cepat", 2)]
    assert "Toilet" not in table  # said once: not a frequent suggestion
    assert sum("suggestion" in query["sql"].lower() and "count" in query["sql"].lower() for query in queries) >= 1
    client.logout()
    assert 'class="skm-frequent"' not in client.get(report_url(world, "opd=DISDUKCAPIL&periode=2026")).content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_trend_names_its_quarters_in_the_readers_language(client, world, answered):
    """The chart's short period names: TW (triwulan) in Indonesian, Q in English; never a key like 2026-Q4."""
    address = report_url(world, "opd=DISDUKCAPIL&periode=2026-Q4")
    indonesian = client.get(address, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    english = client.get(address, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    trend = indonesian[indonesian.index('id="trend"') : indonesian.index('id="comparison"')]
    assert "TW4 26" in trend and "TW3 26" in trend and "Q4 26" not in trend
    assert "Q4 26" in english[english.index('id="trend"') : english.index('id="comparison"')]
    with translation.override("id"):
        assert Period.parse("2026-S1").short_label == "Sem 1 26"
