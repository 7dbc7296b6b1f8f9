"""The demo data behind `python manage.py seed_demo` (DESIGN.md § Contracts).

Everything is placed relative to the day it runs, so a fresh demo always has something open now,
something that opens later and something finished. One module per part of the world: terms,
universities, catalogue, persons, participations, bulk volume; the study journey of issue #3
(journey_courses, programme_offers, journeys, doctoral); seed.py puts them together.
"""
