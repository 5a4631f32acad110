# gunicorn -c deploy/gunicorn.conf.py  (the same settings as `maslikhat serve --production`)
from maslikhat.config.gunicorn import *  # noqa: F403
