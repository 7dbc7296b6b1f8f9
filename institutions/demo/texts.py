"""Each university's local texts (G-5) for every slot, in Swedish and English.

The texts name the university, so a page shows whose text it is; they use only the formatting the
sanitiser allows and are stored sanitised, as the editor would store them.
"""

import datetime

from institutions.demo.universities import University
from institutions.models import (
    Institution,
    LocalText,
    LocalTextSlot,
    LocalTextVersion,
    SettingsChange,
)
from institutions.sanitise import sanitise
from ladokportal import clock
from people.models import User

# slot: (Swedish, English); {placeholders} are filled from the University.
TEXTS = {
    LocalTextSlot.START_OTHER: (
        "<p><strong>Välkommen till {name_sv}!</strong> Här finns information från "
        "studentservice vid {short}.</p>"
        "<p>Kom ihåg att registrera dig på dina kurser varje termin. Frågor om dina studier "
        'besvaras av <a href="mailto:{email}">studentservice</a>. Mer finns på '
        '<a href="{website}">{short}:s webbplats</a>.</p>',
        "<p><strong>Welcome to {name_en}!</strong> Here you find information from student "
        "services at {short}.</p>"
        "<p>Remember to register on your courses every term. Questions about your studies are "
        'answered by <a href="mailto:{email}">student services</a>. More on '
        '<a href="{website}">the {short} website</a>.</p>',
    ),
    LocalTextSlot.EXAMS: (
        "<p>Anmälan till tentamen är <strong>obligatorisk</strong> vid {name_sv} och stänger tio "
        "dagar före tentamensdagen. Ta med giltig fotolegitimation.</p>"
        "<p>Behöver du särskilt pedagogiskt stöd vid tentamen, kontakta studentservice senast "
        "tre veckor före.</p>",
        "<p>Exam sign-up is <strong>compulsory</strong> at {name_en} and closes ten days before "
        "the exam. Bring valid photo identification.</p>"
        "<p>If you need special support during the exam, contact student services at least "
        "three weeks in advance.</p>",
    ),
    LocalTextSlot.DEGREE_STEP1: (
        "<p>Kontrollera att alla kurser som ska ingå i examen är <strong>slutbetygsatta</strong> "
        "innan du ansöker. Handläggningstiden vid {short} är upp till tre månader.</p>",
        "<p>Check that every course to be part of the degree has a <strong>final grade</strong> "
        "before you apply. Processing at {short} takes up to three months.</p>",
    ),
    LocalTextSlot.DEGREE_STEP2: (
        "<p>Välj den examen du ansöker om och de kurser som ska ingå. Läs om examenskraven på "
        '<a href="{website}">{short}:s webbplats</a>.</p>',
        "<p>Choose the degree you apply for and the courses it rests on. Read about the degree "
        'requirements on <a href="{website}">the {short} website</a>.</p>',
    ),
    LocalTextSlot.DEGREE_STEP3: (
        "<p>Granska din ansökan och skicka in den. Du får ett meddelande när examensbeviset "
        "är utfärdat.</p>",
        "<p>Review your application and submit it. You will be told when the degree "
        "certificate has been issued.</p>",
    ),
    LocalTextSlot.CREDIT_STEP1: (
        "<p>Tillgodoräknande prövas av {name_sv}. Ansök om tillgodoräknande <strong>innan</strong> "
        "du läser den kurs du vill tillgodoräkna dig mot.</p>",
        "<p>Credit transfer is decided by {name_en}. Apply for credit transfer "
        "<strong>before</strong> you take the course you want the credits to replace.</p>",
    ),
    LocalTextSlot.CREDIT_STEP2: (
        "<p>Bifoga intyg och kursplaner för den utbildning du vill tillgodoräkna. Dokument på "
        "andra språk än svenska och engelska ska vara översatta.</p>",
        "<p>Attach certificates and syllabi for the education you want credited. Documents in "
        "languages other than Swedish and English must be translated.</p>",
    ),
    LocalTextSlot.CREDIT_STEP3: (
        "<p>Granska din ansökan och skicka in den. Beslutet kan överklagas till "
        "Överklagandenämnden för högskolan.</p>",
        "<p>Review your application and submit it. The decision can be appealed to the Higher "
        "Education Appeals Board.</p>",
    ),
    LocalTextSlot.FEES: (
        "<p>Studenter från länder utanför EU/EES och Schweiz betalar studieavgift vid {short}. "
        "Avgiften betalas <strong>per termin</strong> i förskott.</p>",
        "<p>Students from outside the EU/EEA and Switzerland pay tuition fees at {short}. The fee "
        "is paid <strong>per term</strong> in advance.</p>",
    ),
    LocalTextSlot.CONTACT: (
        '<p>Studentservice vid {name_sv}: <a href="mailto:{email}">{email}</a>.</p>',
        '<p>Student services at {name_en}: <a href="mailto:{email}">{email}</a>.</p>',
    ),
}


def _fill(template: str, data: University) -> str:
    return sanitise(
        template.format(
            name_sv=data.name_sv,
            name_en=data.name_en,
            short=data.short_name,
            website=data.website,
            email=data.contact_email,
        )
    )


def create_local_texts(institution: Institution, data: University) -> None:
    LocalText.objects.bulk_create(
        LocalText(
            institution=institution,
            slot=slot,
            body_sv=_fill(swedish, data),
            body_en=_fill(english, data),
        )
        for slot, (swedish, english) in TEXTS.items()
    )


def create_text_history(institution: Institution, sysadmin: User, today: datetime.date) -> None:
    """Lund's start-page text as `sysadmin` edited it (T-ADM-1): a first version four weeks
    ago, the one shown now (the seeded text) saved a week ago, and a text for the next
    registration period that waits for its publication date in two weeks; and one switch he
    changed, so the switches page shows who changed what when."""
    text = LocalText.objects.get(institution=institution, slot=LocalTextSlot.START_OTHER)
    now = clock.now()
    later = today + datetime.timedelta(days=14)
    shown_from = now - datetime.timedelta(days=7)
    versions = [
        (
            "<p>Välkommen till Lunds universitet! Terminen börjar snart.</p>",
            "<p>Welcome to Lund University! The term starts soon.</p>",
            None,
            now - datetime.timedelta(days=28),
        ),
        (text.body_sv, text.body_en, None, shown_from),
        (
            "<p><strong>Registreringen för nästa termin öppnar snart.</strong> Registrera dig "
            "på dina kurser under registreringsperioden.</p>",
            "<p><strong>Registration for next term opens soon.</strong> Register on your "
            "courses during the registration period.</p>",
            later,
            now - datetime.timedelta(days=1),
        ),
    ]
    LocalTextVersion.objects.bulk_create(
        LocalTextVersion(
            institution=institution,
            text=text,
            body_sv=sanitise(sv),
            body_en=sanitise(en),
            publish_on=publish_on,
            visible_from=(
                datetime.datetime.combine(publish_on, datetime.time.min, tzinfo=clock.zone())
                if publish_on
                else created
            ),
            created_at=created,
            created_by=sysadmin,
        )
        for sv, en, publish_on, created in versions
    )
    SettingsChange.objects.create(
        institution=institution,
        field="emrex",
        value=False,
        changed_at=now - datetime.timedelta(days=10),
        changed_by=sysadmin,
    )
