"""The Swedish national grading scales and their grades.

The data is a frozen copy of catalog.grading.NATIONAL_SCALES as it stood when this migration was
written: a migration must give the same database whatever later happens to the app code. A later
change to the scales needs a new migration.
"""

from django.db import migrations

# code, name_sv, name_en, grades as (code, name_sv, name_en, passing), lowest first.
NATIONAL_SCALES = (
    (
        "UG",
        "Underkänd, godkänd",
        "Fail, pass",
        (
            ("U", "Underkänd", "Fail", False),
            ("G", "Godkänd", "Pass", True),
        ),
    ),
    (
        "UGVG",
        "Underkänd, godkänd, väl godkänd",
        "Fail, pass, pass with distinction",
        (
            ("U", "Underkänd", "Fail", False),
            ("G", "Godkänd", "Pass", True),
            ("VG", "Väl godkänd", "Pass with distinction", True),
        ),
    ),
    (
        "U345",
        "Underkänd, 3, 4, 5",
        "Fail, 3, 4, 5",
        (
            ("U", "Underkänd", "Fail", False),
            ("3", "Godkänd", "Pass", True),
            ("4", "Icke utan beröm godkänd", "Pass with credit", True),
            ("5", "Med beröm godkänd", "Pass with distinction", True),
        ),
    ),
    (
        "AF",
        "Sjugradig målrelaterad skala (A–F)",
        "Seven-point criterion-referenced scale (A–F)",
        (
            ("F", "Helt otillräckligt", "Fail, considerably more work required", False),
            ("Fx", "Otillräckligt", "Fail, some more work required", False),
            ("E", "Tillräckligt", "Sufficient", True),
            ("D", "Tillfredsställande", "Satisfactory", True),
            ("C", "Bra", "Good", True),
            ("B", "Mycket bra", "Very good", True),
            ("A", "Utmärkt", "Excellent", True),
        ),
    ),
)


def create_scales(apps, schema_editor):
    GradingScale = apps.get_model("catalog", "GradingScale")
    Grade = apps.get_model("catalog", "Grade")
    for code, name_sv, name_en, grades in NATIONAL_SCALES:
        scale, _ = GradingScale.objects.update_or_create(
            code=code, defaults={"name_sv": name_sv, "name_en": name_en}
        )
        for rank, (grade_code, grade_sv, grade_en, passing) in enumerate(grades, start=1):
            Grade.objects.update_or_create(
                scale=scale,
                code=grade_code,
                defaults={
                    "name_sv": grade_sv,
                    "name_en": grade_en,
                    "passing": passing,
                    "rank": rank,
                },
            )


def remove_scales(apps, schema_editor):
    # Refused by PROTECT while a course or module still uses a scale, which is what we want:
    # unapplying must not silently orphan grades that results rest on.
    GradingScale = apps.get_model("catalog", "GradingScale")
    Grade = apps.get_model("catalog", "Grade")
    codes = [code for code, *_ in NATIONAL_SCALES]
    Grade.objects.filter(scale__code__in=codes).delete()
    GradingScale.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_scales, remove_scales)]
