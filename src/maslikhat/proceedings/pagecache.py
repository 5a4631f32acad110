"""The page-cache family of this app (maslikhat.core.pagecache): every write of one of its models
(sessions, agendas, drafts, votes and the decisions register) bumps "proceedings" after commit,
so the public pages that show it are rendered again.

Scoped by body: a write of a model with a body (or carrying its draft or session) bumps also
`proceedings@body=<its body>`; the drafts banner of a maslikhat's page is kept per its part
(core.sections). The pages themselves still depend on the whole family (a commission's page
shows its meetings)."""

from maslikhat.core.pagecache import Scope, watch_app

BODY = Scope("body", "body_id", via=("draft", "session"))

watch_app("proceedings", "proceedings", scope=BODY)
