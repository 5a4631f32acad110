"""The page-cache family of this app (maslikhat.core.pagecache): every write of one of its models
(appeals, their events and monthly figures (the public appeals and figures of a maslikhat, the
scorecard)) bumps "appeals-public" after commit, so the public pages that show it are rendered
again.

Scoped by body: an appeal's write (or its event's, attachment's... carrying the appeal) bumps
also `appeals-public@body=<its body>`; a maslikhat's page and its appeal figures in the API show
only their body's part, so an appeal to one maslikhat leaves the other maslikhats' pages in the
cache (the national pages, the scorecard, still depend on the whole family)."""

from maslikhat.core.pagecache import Scope, narrow, watch_app

BODY = Scope("body", "body_id", via=("appeal",))

watch_app("appeals", "appeals-public", scope=BODY)
narrow("appeals-public", "body", {"directory:body": "pk", "api:appeal_stats": "body_id"})
