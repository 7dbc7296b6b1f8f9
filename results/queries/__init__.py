"""Reads about results, one module for each family of pages, each read shaped for its page and
costing a fixed number of SQL queries whatever the number of rows.

- student: a student's results as the student sees them, and as staff see them on the student
  overview (S-HOME-1, S-EDU-1..3, T-ADM-2)
- report: the staff Report pages (T-REP-1..4, T-ANON-1, B-6, B-8)
- certify: the examiner's Certify pages, the result timeline and removals (T-CERT-1..3, T-REM-1)
- integration: the inbox of rejected records and the exam systems' clients (T-EXT-1, B-7)
- deadlines: what is due and what is overdue (T-DEAD-1)
- common: the look-ups the Report and Certify pages share

Callers import the module they read from: `from results.queries import report as
report_queries`. Nothing is re-exported here.
"""
