import factory

from institutions.models import Institution, InstitutionSettings, LocalText, LocalTextSlot, OrgUnit


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"uni{n}")
    short_name = factory.LazyAttribute(lambda o: o.code.upper())
    name_sv = factory.Sequence(lambda n: f"Universitet {n}")
    name_en = factory.Sequence(lambda n: f"University {n}")
    settings = factory.RelatedFactory(
        "tests.factories.institutions.InstitutionSettingsFactory",
        factory_related_name="institution",
    )


class InstitutionSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstitutionSettings


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    institution = factory.SubFactory(InstitutionFactory)
    code = factory.Sequence(lambda n: f"OU{n}")
    name_sv = factory.Sequence(lambda n: f"Institutionen {n}")
    name_en = factory.Sequence(lambda n: f"Department {n}")


class LocalTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalText

    institution = factory.SubFactory(InstitutionFactory)
    slot = LocalTextSlot.START_OTHER
    body_sv = "<p>Svensk text</p>"
    body_en = "<p>English text</p>"
