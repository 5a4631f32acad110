"""The page-cache family of this app (maslikhat.core.pagecache): every write of one of its models
(sessions, agendas, drafts, votes and the decisions register) bumps "proceedings" after commit,
so the public pages that show it are rendered again."""

from maslikhat.core.pagecache import watch_app

watch_app("proceedings", "proceedings")
