"""The shared template components (templates/components/) and the {% component %} tag: each says a
thing one way for every page that uses it (#11 point 7)."""

import datetime
import re
import zoneinfo

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template, TemplateSyntaxError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

UTC = datetime.UTC
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def _squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def _render(source: str, **context: object) -> str:
    return _squeeze(Template("{% load i18n components %}" + source).render(Context(context)))


# --- {% component %} --------------------------------------------------------------------------


def test_component_gets_the_content_as_body_the_slots_by_name_and_the_arguments():
    html = _render(
        '{% component "components/dialog.html" title=_("Withdraw") verdict=no cancel=back '
        'back_label="Back" %}{% slot unused %}<b>not in the body</b>{% endslot %}'
        "<p>{{ name }} loses the place.</p>{% endcomponent %}",
        no=False,
        back="/courses/1/",
        name="Anna",
    )

    assert html == (
        '<section class="dialog" aria-labelledby="dialog-heading">'
        '<h2 id="dialog-heading" class="dialog__title" tabindex="-1" autofocus>Withdraw</h2>'
        "<p>Anna loses the place.</p>"
        '<p class="reason"></p><p><a href="/courses/1/" data-dialog-close>Back</a></p></section>'
    )


def test_component_content_is_escaped_as_on_the_page_and_handed_over_once():
    html = _render(
        '{% component "components/confirm_form.html" action="/x/" confirm="Yes" cancel="/" '
        'keep="No" actions_class="a" %}{% slot fields %}<input name="v" value="{{ v }}">'
        "{% endslot %}{% endcomponent %}",
        v='"><script>',
    )

    assert '<input name="v" value="&quot;&gt;&lt;script&gt;">' in html
    assert html.count("<input") == 1


@pytest.mark.parametrize(
    "source",
    [
        "{% component %}{% endcomponent %}",
        '{% component "components/dialog.html" title %}{% endcomponent %}',
        '{% component "components/dialog.html" %}{% slot %}{% endslot %}{% endcomponent %}',
    ],
)
def test_component_refuses_what_it_cannot_read(source):
    with pytest.raises(TemplateSyntaxError):
        _render(source)


# --- confirm_form -----------------------------------------------------------------------------


def _confirm(htmx: bool, **values: object) -> str:
    request = RequestFactory().get("/", headers={"HX-Request": "true"} if htmx else {})
    request.htmx = htmx
    context = {
        "action": "/remove/",
        "confirm": "Yes, remove",
        "cancel": "/back/",
        "keep": "No, keep",
        "actions_class": "choice-actions",
        **values,
    }
    html = render_to_string("components/confirm_form.html", context, request=request)
    return _squeeze(re.sub(r'<input type="hidden" name="csrfmiddlewaretoken"[^>]*>', "", html))


def test_confirm_form_without_a_target_is_a_plain_post_and_a_link_back():
    assert _confirm(htmx=False) == (
        '<form method="post" action="/remove/" novalidate><div class="choice-actions">'
        '<button type="submit" class="button">Yes, remove</button>'
        '<a class="button button--secondary" href="/back/" data-dialog-close>No, keep</a>'
        "</div></form>"
    )


def test_confirm_form_with_a_target_swaps_in_place_and_focuses_the_button_under_htmx():
    html = _confirm(htmx=True, htmx_target="#choice", htmx_cancel="/back/part/")

    assert html == (
        '<form method="post" action="/remove/" hx-post="/remove/" hx-target="#choice" '
        'hx-swap="outerHTML" novalidate><div class="choice-actions">'
        '<button type="submit" class="button" autofocus>Yes, remove</button>'
        '<a class="button button--secondary" href="/back/" data-dialog-close hx-get="/back/part/" '
        'hx-target="#choice" hx-swap="outerHTML">No, keep</a></div></form>'
    )


# --- when -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        pytest.param(
            datetime.datetime(2026, 12, 7, 7, 0, tzinfo=UTC),
            datetime.datetime(2026, 12, 7, 12, 0, tzinfo=UTC),
            "2026-12-07 08:00–13:00",
            id="same-day",
        ),
        pytest.param(
            datetime.datetime(2026, 12, 7, 22, 0, tzinfo=UTC),
            datetime.datetime(2026, 12, 7, 23, 30, tzinfo=UTC),
            "2026-12-07 23:00–2026-12-08 00:30",
            id="past-midnight-in-sweden",
        ),
        pytest.param(
            datetime.datetime(2027, 6, 14, 22, 0, tzinfo=UTC),
            datetime.datetime(2027, 6, 15, 1, 0, tzinfo=UTC),
            "2027-06-15 00:00–03:00",
            id="summer-day-before-in-utc",
        ),
    ],
)
def test_when_shows_swedish_time_and_the_end_date_only_on_another_day(start, end, shown):
    html = render_to_string("components/when.html", {"start": start, "end": end})

    assert re.sub(r"<[^>]+>", "", html).strip() == shown
    assert re.findall(r'datetime="([^"]+)"', html) == [
        start.astimezone(STOCKHOLM).isoformat(),
        end.astimezone(STOCKHOLM).isoformat(),
    ]


# --- pager ------------------------------------------------------------------------------------


def _pager(number: int, total: int, query: str, language: str = "en") -> str:
    page = Paginator(list(range(total)), 20).get_page(number)
    request = RequestFactory().get(f"/staff/rights/?{query}")
    with translation.override(language):
        return _squeeze(render_to_string("components/pager.html", {"page": page}, request=request))


def test_pager_is_absent_when_the_list_fits_on_one_page():
    assert _pager(1, 20, "q=tom") == ""


def test_pager_keeps_the_filter_and_names_the_page():
    assert _pager(2, 60, "q=tom&page=2") == (
        '<nav aria-label="Pages"><p class="staff-exam-actions">'
        '<a class="button button--secondary" href="?q=tom&amp;page=1">Previous page</a>'
        "<span>Page 2 of 3</span>"
        '<a class="button button--secondary" href="?q=tom&amp;page=3">Next page</a></p></nav>'
    )


def test_pager_speaks_swedish():
    assert _pager(1, 30, "", "sv") == (
        '<nav aria-label="Sidor"><p class="staff-exam-actions"><span>Sida 1 av 2</span>'
        '<a class="button button--secondary" href="?page=2">Nästa sida</a></p></nav>'
    )
