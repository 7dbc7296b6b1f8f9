"""The whole EMREX flow over real HTTP (issue #14 acceptance): the student chooses the project's
demo contact point, is handed over with a session id and a return URL, the contact point's page
posts the signed, compressed ELMO document back, and the results show on Foreign merits; a
cancel at the contact point stores nothing."""

import re
import urllib.parse
import urllib.request
from html import unescape

import pytest

from emrex import contact_point as ncp
from emrex.models import ContactPoint, ForeignMerit

pytestmark = pytest.mark.django_db(transaction=True)


def post(url: str, data: dict) -> tuple[int, str]:
    """A real HTTP POST, not following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), method="POST")
    try:
        with opener.open(request) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.read().decode()


def hidden(html: str, form: int = 0) -> dict:
    forms = [f for f in re.findall(r"<form.*?</form>", html, re.S) if 'name="sessionId"' in f]
    block = forms[form]
    return {
        name: unescape(value) for name, value in re.findall(r'name="(\w+)" value="([^"]*)"', block)
    }


@pytest.fixture
def flow(live_server, institution, student_user, client_for, settings, schema_dir, tmp_path):
    settings.EMREX_DEMO_DIR = tmp_path / "ncp"
    settings.EMREX_DEMO_CONTACT_POINT = True
    institution.settings.emrex = True
    institution.settings.save()
    _key, cert = ncp.key_and_certificate()
    ContactPoint.objects.create(
        code=ncp.CODE,
        name=ncp.NAME,
        country="FI",
        url=f"{live_server.url}/emrex-demo-ncp/",
        certificate=cert.decode(),
    )
    client = client_for(student_user)
    page = client.post("/foreign-merits/start/", {"contact_point": ncp.CODE})
    out = hidden(page.content.decode())
    return live_server, client, out


def test_student_imports_foreign_results_through_the_demo_contact_point(flow):
    live_server, client, out = flow
    assert out["returnUrl"].endswith("/foreign-merits/return/")
    status, page = post(f"{live_server.url}/emrex-demo-ncp/", out)
    assert status == 200
    answer = hidden(page, 0)
    assert answer["returnCode"] == "NCP_OK"
    back = f"{live_server.url}/foreign-merits/return/"
    assert post(back, answer)[0] == 302
    assert sorted(ForeignMerit.objects.values_list("title", flat=True)) == sorted(
        title for _code, title, *_rest in ncp.COURSES
    )
    shown = client.get("/foreign-merits/").content.decode()
    assert "Data Structures" in shown
    # The same answer again: a replayed session id stores nothing more.
    assert post(back, answer)[0] == 302
    assert ForeignMerit.objects.count() == len(ncp.COURSES)


def test_cancel_at_the_contact_point_stores_nothing(flow):
    live_server, client, out = flow
    _status, page = post(f"{live_server.url}/emrex-demo-ncp/", out)
    cancel = hidden(page, 1)
    assert post(f"{live_server.url}/foreign-merits/return/", cancel)[0] == 302
    assert ForeignMerit.objects.count() == 0
    assert "Cancelled" in client.get("/foreign-merits/").content.decode()
