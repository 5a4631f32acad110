"""The page-cache family of this app (maslikhat.core.pagecache): every write of one of its models
(receptions, reports to voters, inquiries and meetings with akims) bumps "deputies" after
commit, so the public pages that show it are rendered again."""

from maslikhat.core.pagecache import watch_app

watch_app("deputies", "deputies")
