"""The page-cache family of this app (maslikhat.core.pagecache): every write of one of its models
(publications, their tags and areas) bumps "news" after commit, so the public pages that show it
are rendered again.

Scoped by body: a publication's write (or its event's, carrying the publication) bumps also
`news@body=<its body>`; a maslikhat's page shows only its own latest news, so it depends on its
part only (the news lists, feeds and the home page on the whole family)."""

from maslikhat.core.pagecache import Scope, narrow, watch_app

BODY = Scope("body", "body_id", via=("publication",))

watch_app("news", "news", scope=BODY)
narrow("news", "body", {"directory:body": "pk"})
