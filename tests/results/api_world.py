"""A seeded exam for the integration API tests (T-EXT-1): an anonymous written exam two days ago
on a course instance with registered students holding anonymisation codes, a points column on
the module, and an exam system whose acting user is a study administrator."""

import datetime
import json
from dataclasses import dataclass

from django.test import Client
from django.utils import timezone

from exams.models import ActivitySession, Signup
from ladokportal import clock
from results.models import AnnotationColumn, AnnotationKind, ApiClient
from tests.factories.exams import ActivitySessionFactory, SignupFactory
from tests.factories.results import ReportingWorld, api_client, reporting_world

TOKEN = "exam-system-token"
EXAM_DAY = clock.today() - datetime.timedelta(days=2)


@dataclass
class ApiWorld:
    world: ReportingWorld
    session: ActivitySession
    signups: list[Signup]
    client: ApiClient

    @property
    def url(self) -> str:
        return f"/api/v1/sessions/{self.session.public_id}"

    @property
    def results_url(self) -> str:
        return f"{self.url}/results"

    def record(self, n: int = 0, **changes) -> dict:
        record = {
            "anonymisation_code": self.signups[n].anonymisation_code,
            "module_code": self.world.module.code,
            "grade": "G",
            "examination_date": EXAM_DAY.isoformat(),
        }
        record.update(changes)
        return {k: v for k, v in record.items() if v is not None}


def exam_at(
    institution, *, students: int = 3, modules: int = 1, points: bool = True, token: str = TOKEN
) -> ApiWorld:
    world = reporting_world(institution, students=students, modules=modules)
    start = timezone.make_aware(datetime.datetime.combine(EXAM_DAY, datetime.time(8)))
    session = ActivitySessionFactory(
        institution=institution,
        label="TEN1",
        anonymous=True,
        course_instances=[world.instance],
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=5),
    )
    session.modules.set(world.modules)
    signups = [
        SignupFactory(session=session, person=person, anonymisation_code=f"TEN1-C{n:04d}")
        for n, person in enumerate(world.students)
    ]
    if points:
        for module in world.modules:
            AnnotationColumn.objects.create(
                institution=institution,
                course=world.instance.course,
                module=module,
                kind=AnnotationKind.POINTS,
            )
    client = api_client(institution, token=token, acting_user=world.study_admin)
    return ApiWorld(world, session, signups, client)


def bearer(token: str = TOKEN) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


def post(url: str, body, token: str = TOKEN):
    return bearer(token).post(url, data=json.dumps(body), content_type="application/json")
