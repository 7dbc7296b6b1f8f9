"""Composite foreign keys Django cannot declare: a Registration must name a study period of its
own course instance (no registration outside the instance's study periods) and the same course
instance as its participation. PostgreSQL only; SQLite is the zero-setup demo database."""

from django.db import migrations

FORWARD = [
    """ALTER TABLE registration_registration
       ADD CONSTRAINT registration_period_of_instance
       FOREIGN KEY (course_instance_id, study_period_id)
       REFERENCES catalog_courseinstanceperiod (course_instance_id, study_period_id)
       DEFERRABLE INITIALLY DEFERRED""",
    """ALTER TABLE registration_registration
       ADD CONSTRAINT registration_instance_of_participation
       FOREIGN KEY (participation_id, course_instance_id)
       REFERENCES registration_courseparticipation (id, course_instance_id)
       DEFERRABLE INITIALLY DEFERRED""",
]
BACKWARD = [
    "ALTER TABLE registration_registration DROP CONSTRAINT registration_period_of_instance",
    "ALTER TABLE registration_registration DROP CONSTRAINT registration_instance_of_participation",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("registration", "0001_initial"),
        ("catalog", "0002_initial"),
    ]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
