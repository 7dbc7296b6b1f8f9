"""A university's configuration (T-ADM-1): local texts saved as versions with who and when,
sanitised on save (G-5: a test per kind of thing removed), restored, published from a date; the
function switches (G-4) each explained and each change kept with who and when."""

import datetime

import pytest
from django_scopes import scope

from institutions import queries, services
from institutions.configuration import SWITCH_EXPLANATIONS, switch_fields
from institutions.models import InstitutionSettings, LocalTextSlot, LocalTextVersion, SettingsChange
from institutions.sanitise import sanitise
from ladokportal import clock
from ladokportal.errors import NotAllowed
from people.models import StaffRoleKind
from tests.factories import OrgUnitFactory, StaffRoleFactory, UserFactory

pytestmark = pytest.mark.django_db

SLOT = LocalTextSlot.START_OTHER


@pytest.fixture
def sysadmin(institution):
    user = UserFactory(username="oskar", first_name="Oskar", last_name="Sandberg")
    StaffRoleFactory(user=user, institution=institution, role=StaffRoleKind.SYSTEM_ADMIN)
    return user


def shown(institution) -> tuple[str, str]:
    with scope(institution=[institution.pk]):
        text = queries.local_text(institution, SLOT)
    return text.body_sv, text.body_en


# --- Sanitising: one test per kind of thing removed (G-5) --------------------------------------


def test_script_tags_are_removed():
    assert sanitise('<p>Hej</p><script>alert("x")</script>') == "<p>Hej</p>"


def test_event_handlers_are_removed():
    assert sanitise('<p onclick="alert(1)">Hej</p>') == "<p>Hej</p>"


def test_javascript_links_lose_their_target():
    assert sanitise('<a href="javascript:alert(1)">Klicka</a>') == (
        '<a rel="noopener noreferrer">Klicka</a>'
    )


def test_style_attributes_and_style_elements_are_removed():
    assert sanitise('<style>p{display:none}</style><p style="color:red">Hej</p>') == "<p>Hej</p>"


def test_iframes_are_removed():
    assert sanitise('<p>Se</p><iframe src="https://evil.example/"></iframe>') == "<p>Se</p>"


def test_the_allowed_formatting_stays():
    html = (
        "<h3>Rubrik</h3><p><strong>Viktigt</strong> och <em>betonat</em></p>"
        "<ul><li>ett</li></ul><ol><li>två</li></ol>"
        '<p><a href="https://www.lu.se/" rel="noopener noreferrer">länk</a></p>'
    )
    assert sanitise(html) == html


def test_saving_stores_the_sanitised_text(institution, sysadmin):
    version = services.save_local_text(
        sysadmin,
        institution=institution,
        slot=SLOT,
        body_sv='<p onmouseover="x()">Hej</p><script>x()</script>',
        body_en='<iframe src="https://evil.example/"></iframe><p>Hi</p>',
    )
    assert (version.body_sv, version.body_en) == ("<p>Hej</p>", "<p>Hi</p>")
    assert shown(institution) == ("<p>Hej</p>", "<p>Hi</p>")


# --- Versions --------------------------------------------------------------------------------


def test_every_save_is_a_version_with_who_and_when(institution, sysadmin):
    first = services.save_local_text(
        sysadmin, institution=institution, slot=SLOT, body_sv="<p>Ett</p>", body_en="<p>One</p>"
    )
    second = services.save_local_text(
        sysadmin, institution=institution, slot=SLOT, body_sv="<p>Två</p>", body_en="<p>Two</p>"
    )
    rows = list(
        LocalTextVersion.objects.order_by("pk").values_list("pk", "body_en", "created_by_id")
    )
    assert rows == [
        (first.pk, "<p>One</p>", sysadmin.pk),
        (second.pk, "<p>Two</p>", sysadmin.pk),
    ]
    assert shown(institution) == ("<p>Två</p>", "<p>Two</p>")


def test_restoring_shows_the_earlier_version_again_and_keeps_the_history(institution, sysadmin):
    first = services.save_local_text(
        sysadmin, institution=institution, slot=SLOT, body_sv="<p>Ett</p>", body_en="<p>One</p>"
    )
    services.save_local_text(
        sysadmin, institution=institution, slot=SLOT, body_sv="<p>Två</p>", body_en="<p>Two</p>"
    )
    restored = services.restore_local_text(sysadmin, version=first)
    assert restored.restored_from_id == first.pk
    assert LocalTextVersion.objects.count() == 3
    assert shown(institution) == ("<p>Ett</p>", "<p>One</p>")


def test_a_text_with_a_publication_date_waits_for_its_day(institution, sysadmin):
    services.save_local_text(
        sysadmin, institution=institution, slot=SLOT, body_sv="<p>Nu</p>", body_en="<p>Now</p>"
    )
    tomorrow = clock.today() + datetime.timedelta(days=1)
    services.save_local_text(
        sysadmin,
        institution=institution,
        slot=SLOT,
        body_sv="<p>Sen</p>",
        body_en="<p>Later</p>",
        publish_on=tomorrow,
    )
    assert shown(institution) == ("<p>Nu</p>", "<p>Now</p>")
    # Two days on: the text saved now was shown from two days ago, the later one from yesterday.
    LocalTextVersion.objects.filter(publish_on=None).update(
        visible_from=clock.now() - datetime.timedelta(days=2)
    )
    LocalTextVersion.objects.filter(publish_on=tomorrow).update(
        visible_from=clock.now() - datetime.timedelta(days=1)
    )
    assert shown(institution) == ("<p>Sen</p>", "<p>Later</p>")


def test_a_publication_date_in_the_past_is_refused(institution, sysadmin):
    with pytest.raises(services.ConfigurationError):
        services.save_local_text(
            sysadmin,
            institution=institution,
            slot=SLOT,
            body_sv="",
            body_en="",
            publish_on=clock.today() - datetime.timedelta(days=1),
        )


@pytest.mark.parametrize("role", [StaffRoleKind.STUDY_ADMIN, StaffRoleKind.REPORTER, "narrowed"])
def test_only_the_whole_universitys_system_administrators_save_texts(institution, role):
    user = UserFactory()
    if role == "narrowed":
        StaffRoleFactory(
            user=user,
            institution=institution,
            role=StaffRoleKind.SYSTEM_ADMIN,
            org_unit=OrgUnitFactory(institution=institution),
        )
    else:
        StaffRoleFactory(user=user, institution=institution, role=role)
    with pytest.raises(NotAllowed):
        services.save_local_text(
            user, institution=institution, slot=SLOT, body_sv="<p>x</p>", body_en=""
        )
    assert LocalTextVersion.objects.count() == 0


def test_another_universitys_administrator_cannot_save_here(institution, other_institution):
    user = UserFactory()
    StaffRoleFactory(user=user, institution=other_institution, role=StaffRoleKind.SYSTEM_ADMIN)
    with pytest.raises(NotAllowed):
        services.update_switches(user, institution=institution, values={"allow_withdrawal": False})


# --- Switches ----------------------------------------------------------------------------------


def test_every_switch_has_its_one_sentence():
    names = [field.name for field in switch_fields()]
    assert sorted(SWITCH_EXPLANATIONS) == sorted(names)


def test_a_switch_change_is_kept_with_who_and_when(institution, sysadmin):
    changes = services.update_switches(
        sysadmin,
        institution=institution,
        values={"allow_withdrawal": False, "allow_dropout": True},
    )
    assert [(c.field, c.value) for c in changes] == [("allow_withdrawal", False)]
    assert InstitutionSettings.objects.get(institution=institution).allow_withdrawal is False
    assert list(SettingsChange.objects.values_list("field", "value", "changed_by_id")) == [
        ("allow_withdrawal", False, sysadmin.pk)
    ]
