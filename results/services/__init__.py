"""What staff and students do with results, one module for each kind of act.

- reporting: save drafts, mark ready, un-mark, correct, discard (T-REP-1..5)
- certifying: the examiner's decision (T-CERT-1..3)
- codes: the same acts by anonymisation code, over a session's course instances (T-ANON-1)
- removal: prepare, withdraw and certify the removal of a result (T-REM-1)
- annotations: annotation columns and points-to-grades tables (T-REP-2, B-8)
- integration: records pushed by exam systems, their inbox and clients (T-EXT-1, B-7)
- students: what a student's own pages change (S-HOME-1)
- common: what the acts share (rights checks, locking, moving results through the workflow)

Each service checks the actor's rights (results.rules), validates, locks what it changes, moves
the results through results.workflow (which writes the history) in one transaction, and schedules
e-mails after commit. Bulk acts cost a fixed number of queries however many results they touch.
Every error is a results.errors.ResultError with a message fit to show; when one is raised
nothing has changed.

Callers import the module of the act: `from results.services import certifying`, then
`certifying.certify(...)`. Nothing is re-exported here.
"""
