"""Exporting the student's certified results as ELMO (S-EMREX-1, issue #14 acceptance): the
document validates against the official ELMO 1.7 schema, its signature verifies with the
university's certificate, and it carries no internal note."""

import pytest
from lxml import etree

from certificates import seal
from credits import services as credit_services
from emrex import elmo, services
from tests.factories.certificates import transcript_student
from tests.factories.credits import credit_world, submitted_case

pytestmark = pytest.mark.django_db


def test_export_validates_against_the_schema_and_its_signature_verifies(
    institution, schema_dir, documents
):
    institution.settings.emrex = True
    institution.settings.save()
    student = transcript_student(institution, courses=2)
    world = credit_world(institution)
    case = submitted_case(world)
    credit_services.add_note(world.officer, case=case, text="INTERNAL-NOTE-XYZ")

    xml = services.export(student.person, institution=institution, transcript_pdf=b"%PDF-1.4 x")

    elmo.schema().validate(xml.decode())
    cert = (seal.seal_folder(institution.code) / seal.CERT_FILE).read_text()
    signed = elmo.verify(xml, cert)
    root = etree.fromstring(signed)
    ns = {"e": elmo.NS}
    codes = root.xpath("//e:learningOpportunitySpecification/e:identifier/text()", namespaces=ns)
    assert sorted(codes) == sorted({m.course.code for m in student.modules})
    assert root.xpath("//e:gradingScheme/@localId", namespaces=ns) == ["UG"] or root.xpath(
        "//e:gradingScheme/@localId", namespaces=ns
    )
    assert b"INTERNAL-NOTE-XYZ" not in xml
    assert root.xpath("//e:attachment/e:content/text()", namespaces=ns)[0].startswith(
        "data:application/pdf;base64,"
    )
