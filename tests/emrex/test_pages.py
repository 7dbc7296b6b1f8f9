"""Foreign merits pages (S-EMREX-1, G-4): absent where the university has Emrex off, the
student's own merits only, the export a signed download; fixed query counts."""

import pytest

from emrex import contact_point as ncp
from emrex import elmo, services
from emrex.models import ContactPoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def merits_of(institution, schema_dir, settings, tmp_path):
    settings.EMREX_DEMO_DIR = tmp_path / "ncp"
    institution.settings.emrex = True
    institution.settings.save()
    _key, cert = ncp.key_and_certificate()
    point = ContactPoint.objects.create(
        code=ncp.CODE, name=ncp.NAME, country="FI", url="http://x/", certificate=cert.decode()
    )

    def make(person, times=1):
        for _ in range(times):
            session = services.start_import(person, institution=institution, contact_point=point)
            services.receive(
                session_id=session.session_id,
                return_code=services.NCP_OK,
                document=elmo.encode(ncp.document()),
            )

    return make


def test_emrex_switched_off_hides_the_pages(institution, student_user, client_for):
    client = client_for(student_user)
    assert client.get("/foreign-merits/").status_code == 404
    assert client.post("/foreign-merits/start/", {"contact_point": "x"}).status_code == 404
    assert client.get("/foreign-merits/elmo.xml").status_code == 404
    assert "/foreign-merits/" not in client.get("/education/").content.decode()


def test_nobody_is_sent_to_log_in(client):
    for url in ("/foreign-merits/", "/foreign-merits/elmo.xml"):
        assert "/accounts/login/" in client.get(url)["Location"]


def test_another_students_merits_are_not_shown(merits_of, institution, student_user, client_for):
    from tests.conftest import enrol
    from tests.factories import PersonFactory

    other = PersonFactory()
    enrol(other, institution)
    merits_of(other)
    page = client_for(student_user).get("/foreign-merits/").content.decode()
    assert "Data Structures" not in page
    assert "/foreign-merits/" in page


@pytest.mark.parametrize("size", [1, 3])
def test_foreign_merits_page_query_count(
    merits_of, student_user, client_for, django_assert_num_queries, size
):
    merits_of(student_user.person, size)
    client = client_for(student_user)
    client.get("/foreign-merits/")
    with django_assert_num_queries(7):
        response = client.get("/foreign-merits/")
    assert response.content.decode().count("Data Structures") == size
