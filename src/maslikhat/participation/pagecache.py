"""The page-cache family of this app (maslikhat.core.pagecache): every write of one of its models
(initiatives, participatory budgets and their implementation) bumps "participation" after
commit, so the public pages that show it are rendered again."""

from maslikhat.core.pagecache import watch_app

watch_app("participation", "participation")
