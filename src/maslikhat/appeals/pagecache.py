"""The page-cache family of this app (maslikhat.core.pagecache): every write of one of its models
(appeals, their events and monthly figures (the public appeals and figures of a maslikhat, the
scorecard)) bumps "appeals-public" after commit, so the public pages that show it are rendered
again."""

from maslikhat.core.pagecache import watch_app

watch_app("appeals", "appeals-public")
