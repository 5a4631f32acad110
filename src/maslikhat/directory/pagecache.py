"""The page-cache family of this app (maslikhat.core.pagecache): every write of one of its models
(the areas, bodies, people, posts and memberships every public page names) bumps "directory"
after commit, so the public pages that show it are rendered again."""

from maslikhat.core.pagecache import watch_app

watch_app("directory", "directory")
