"""The page-cache family of this app (maslikhat.core.pagecache): every write of one of its models
(initiatives, participatory budgets and their implementation) bumps "participation" after
commit, so the public pages that show it are rendered again.

Scoped by body: an initiative's or a budget's write (or a support's, a project's... carrying
it) bumps also `participation@body=<its body>`; a maslikhat's page shows only its own open
initiatives and budgets, so it depends on its part only."""

from maslikhat.core.pagecache import Scope, narrow, watch_app

BODY = Scope("body", "body_id", via=("initiative", "process"))

watch_app("participation", "participation", scope=BODY)
narrow("participation", "body", {"directory:body": "pk"})
