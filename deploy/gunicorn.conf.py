"""gunicorn settings for Baliho Pangkalpinang: ``gunicorn -c deploy/gunicorn.conf.py wsgi:app``.

Behind nginx on the same machine (deploy/nginx-baliho.conf), which terminates HTTPS.
"""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
# Uploads of up to 30 MB on a slow connection are buffered by nginx, not by a worker; a
# request that still takes this long is stuck.
timeout = 60
graceful_timeout = 30
# Recycle workers now and then so that a slow leak never becomes an outage. Not every 2,000
# requests: on a busy day that was every second or two, and each new worker first renders the
# public pages its predecessor had kept, and the requests queued behind it wait for that.
max_requests = 100000
max_requests_jitter = 10000
# The app is built (and checked: it refuses to serve while `billboard check` finds errors)
# once in the master, so that a broken configuration stops the service at start.
preload_app = True
# The app logs one structured line per request itself (billboard/request_log.py).
accesslog = None
errorlog = "-"
loglevel = "info"
# Only nginx on this machine may say which scheme and client a request came from.
forwarded_allow_ips = "127.0.0.1"
