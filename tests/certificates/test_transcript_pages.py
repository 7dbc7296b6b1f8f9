"""A transcript that looks official (#16 point 6): every page names the student and their
identity number and says "Page X of Y", under the university's letterhead. Rendered from a frozen
content snapshot (the JSON the PDF is made from, as certificates.content builds it), so twelve
pages need no database rows; one render, as rendering is slow."""

import io

from certificates import pipeline
from certificates.models import Certificate

PAGES = 12


def transcript_content(*, courses: int, language: str = "en") -> dict:
    """A snapshot of the shape certificates.content.build writes for a transcript."""
    rows = [
        {
            "code": f"FYS{n:03d}",
            "name": f"Physics {n}",
            "course_credits": "15.0",
            "credits": "15.0",
            "completed": True,
            "grade": {"code": "B", "name": "Very good", "scale": "AF"},
            "date": "2026-06-01",
            "credited": False,
            "level": "first" if n % 3 else "second",
            "title": "Dark matter in dwarf galaxies" if n == 0 else "",
            "modules": [
                {
                    "code": f"010{m}",
                    "name": f"Laboratory work {m}",
                    "credits": "3.0",
                    "grade": {"code": "G", "name": "Pass", "scale": "UG"},
                    "date": "2026-05-20",
                    "passing": True,
                    "counting": True,
                    "credited": False,
                    "title": "",
                }
                for m in range(1, 5)
            ],
        }
        for n in range(courses)
    ]
    return {
        "schema": 1,
        "kind": "transcript",
        "language": language,
        "title": "Transcript of records" if language == "en" else "Resultatintyg",
        "issuer": {"code": "lu", "name": "Lund University", "website": "https://www.lu.se"},
        "student": {
            "name": "Stina Andersson",
            "identity_number": "20010417-2382",
            "birth_date": "2001-04-17",
        },
        "issued_at": "2026-12-06T09:00:00+01:00",
        "valid_until": "2027-12-06",
        "check_code": "ABCD-EFGH-JKLM",
        "verify_url": "http://127.0.0.1:8000/verify/ABCD-EFGH-JKLM/",
        "options": {"include_modules": True, "completed_only": False, "include_failed": False},
        "body": {
            "universities": [
                {
                    "code": "lu",
                    "name": "Lund University",
                    "courses": rows,
                    "credits": f"{15 * courses:.1f}",
                    "levels": [
                        {"level": "first", "name": "First cycle", "credits": "90.0"},
                        {"level": "second", "name": "Second cycle", "credits": "45.0"},
                    ],
                }
            ],
            "credits": f"{15 * courses:.1f}",
            "levels": [],
            "scales": [
                {
                    "code": "AF",
                    "name": "Seven-point criterion-referenced scale (A–F)",
                    "grades": [
                        {"code": "A", "name": "Excellent"},
                        {"code": "B", "name": "Very good"},
                    ],
                },
                {"code": "UG", "name": "Fail, pass", "grades": [{"code": "G", "name": "Pass"}]},
            ],
        },
    }


def render(content: dict) -> bytes:
    return pipeline.render_pdf(pipeline.certificate_html(Certificate(content=content))).data


def test_a_twelve_page_transcript_names_the_student_and_numbers_every_page():
    from pypdf import PdfReader

    data = render(transcript_content(courses=84))
    pages = PdfReader(io.BytesIO(data)).pages

    assert len(pages) >= PAGES
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert "Stina Andersson" in text, number
        assert "20010417-2382" in text, number
        assert f"Page {number} of {len(pages)}" in text, number
        assert "Lund University" in text, number
    first, last = pages[0].extract_text(), pages[-1].extract_text()
    assert "Very good (B)" in first
    assert "Title of the thesis: Dark matter in dwarf galaxies" in first
    assert "Grading scales" in last and "B = Very good" in last
    assert "Credits per level of education" in last and "Second cycle" in last
