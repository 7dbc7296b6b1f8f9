"""The Swedish national grading scales (betygsskalor).

Other code names a scale by its code constant (`SCALE_UG`), never by a literal string. The rows
themselves are created by the data migration catalog/0003_national_grading_scales, which keeps its
own frozen copy of NATIONAL_SCALES: a migration must not change when this module does.
"""

SCALE_UG = "UG"
SCALE_UGVG = "UGVG"
SCALE_U345 = "U345"
SCALE_AF = "AF"

# code, name_sv, name_en, grades as (code, name_sv, name_en, passing), lowest first.
NATIONAL_SCALES = (
    (
        SCALE_UG,
        "Underkänd, godkänd",
        "Fail, pass",
        (
            ("U", "Underkänd", "Fail", False),
            ("G", "Godkänd", "Pass", True),
        ),
    ),
    (
        SCALE_UGVG,
        "Underkänd, godkänd, väl godkänd",
        "Fail, pass, pass with distinction",
        (
            ("U", "Underkänd", "Fail", False),
            ("G", "Godkänd", "Pass", True),
            ("VG", "Väl godkänd", "Pass with distinction", True),
        ),
    ),
    (
        SCALE_U345,
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
        SCALE_AF,
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
