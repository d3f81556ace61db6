# Copy to instance/config.py and adjust. Every setting the code reads is listed here with its
# default (coalition/platform/config.py, DEFAULTS). Each can also be given as an environment
# variable COALITION_<NAME> (for example COALITION_DATABASE_URL), which wins over this file;
# values there are read as JSON where they parse (numbers, true/false), switches also accept
# yes/no/on/off, and COALITION_<NAME>__<KEY> sets one key of a dictionary setting.

# --- Where the data lives and how it is protected --------------------------------------
# Default: SQLite file instance/coalition.db.
# DATABASE_URL = "postgresql://coalition:secret@db.example.org/coalition"
# SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
# How long a SQLite writer waits for another worker's write lock, in milliseconds.
# SQLITE_BUSY_TIMEOUT_MS = 15_000

# Signs sessions and tokens. Default: generated once into instance/secret_key. In production
# set it explicitly, the same on every worker and host.
# SECRET_KEY = "a long random string"

# "production" turns on the start-up checks (no debug, an explicit strong key), Secure
# cookies and HSTS.
# ENV = "development"
# Proxy hops in front of the app whose X-Forwarded-* headers are believed.
# TRUSTED_PROXIES = 0
# SESSION_COOKIE_HTTPONLY = True
# SESSION_COOKIE_SAMESITE = "Lax"
# REMEMBER_COOKIE_HTTPONLY = True
# REMEMBER_COOKIE_SAMESITE = "Lax"
# WTF_CSRF_FIELD_NAME = "csrf_token"
# Largest request body accepted, in bytes (uploads, imports).
# MAX_CONTENT_LENGTH = 10 * 1024 * 1024

# Lines are tagged with the request's id (X-Request-ID) and never name a person.
# LOG_LEVEL = "INFO"

# --- Accounts ----------------------------------------------------------------------------
# Password hashing (Werkzeug method string).
# PASSWORD_HASH_METHOD = "scrypt"
# How long a password-reset link works, in seconds.
# PASSWORD_RESET_MAX_AGE = 3600
# How many days an invitation link works (a resend starts the days again), and how many
# addresses one "Invite people" form may hold.
# INVITATION_DAYS = 14
# INVITATIONS_PER_REQUEST = 200

# --- Rate limits (the limits library's notation) ------------------------------------------
# The task queue. Empty: a SQLite file, instance/queue.db, shared by the web server and the
# consumer on this machine. Consumers on several hosts: a Redis URL, e.g. redis://host:6379/0.
# QUEUE_URL = ""
# Run each job at once inside the request instead of on the queue (on under TESTING).
# QUEUE_IMMEDIATE = None

# RATELIMIT_ENABLED = True
# Where the counters live: database:// in the application's database (on SQLite a file of
# their own beside it, e.g. instance/coalition.ratelimit.db), shared by every worker and host
# with no extra server; redis://host:6379/0 in Redis; memory:// per process (a limit then
# multiplies by the number of workers).
# RATELIMIT_STORAGE_URI = "database://"
# LOGIN_LIMIT_PER_ADDRESS = "60 per 10 minutes"
# LOGIN_FAILURES_PER_ACCOUNT = "10 per 15 minutes"
# RESET_LIMIT_PER_ADDRESS = "10 per 10 minutes"
# SIGNUP_LIMIT_PER_ADDRESS = "20 per 10 minutes"
# API_FAILURES_PER_ADDRESS = "60 per 10 minutes"
# API_LIMIT_PER_TOKEN = "1200 per minute"

# --- Mail ------------------------------------------------------------------------------------
# Without MAIL_SERVER mail is written to instance/outbox/ instead of being sent; administrators
# read it at /admin/outbox. Sending is a job of the task queue, retried 5 times with back-off.
# MAIL_SERVER = "smtp.example.org"
# MAIL_PORT = 587
# STARTTLS before logging in (False for a local relay on port 25).
# MAIL_USE_TLS = True
# MAIL_USERNAME = None
# MAIL_PASSWORD = None
# MAIL_SENDER = "Coalition <no-reply@localhost>"
# The address people open the app at (scheme, host and any path prefix), for the links in
# every message (unsubscribe, "open the task"). Set it in production: the reminders and digests
# sent by the task queue have no request to take it from.
# Empty: the address of the request that sends the mail, or http://localhost:5000 outside one.
# PUBLIC_URL = "https://coalition.example.org"

# --- Pages --------------------------------------------------------------------------------
# Allies per page in the ally list.
# ALLIES_PER_PAGE = 25
# An ally not contacted for this many days is on the "cultivate before you need it" list.
# CULTIVATE_AFTER_DAYS = 90
# Above this many visible nodes the map opens on an overview of groups.
# MAP_MAX_NODES = 2000
# Read pages (dashboard, ally list, issue page, map data) kept per chapter data version in
# each worker's memory, in bytes; 0 turns this off.
# PAGE_CACHE_BYTES = 32 * 1024 * 1024

# --- The leverage analysis ------------------------------------------------------------------
# How fast an untouched relationship loses weight (days until its usable strength halves).
# LEVERAGE_HALF_LIFE_DAYS = 180
# Brokers are computed from at most this many targets, sampled with ANALYSIS_SEED.
# BROKER_SAMPLE = 100
# ANALYSIS_SEED = 0
# An analysis of older data is recomputed (by a queue job, while pages show it labelled with
# its age) once it has served this many times its computing time (and at least
# ANALYSIS_REFRESH_SECONDS): recomputing takes a bounded share of the CPU.
# ANALYSIS_REFRESH_FACTOR = 10
# ANALYSIS_REFRESH_SECONDS = 0
