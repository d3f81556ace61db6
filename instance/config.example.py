# Copy to instance/config.py and adjust. Every setting can also be given as an environment
# variable COALITION_<NAME> (for example COALITION_DATABASE_URL), which wins over this file.

# Where the data lives. Default: SQLite file instance/coalition.db.
# DATABASE_URL = "postgresql://coalition:secret@db.example.org/coalition"

# Signs sessions and tokens. Default: generated once into instance/secret_key.
# SECRET_KEY = "a long random string"

# How fast an untouched relationship loses weight in the leverage analysis (days until
# its usable strength halves).
# LEVERAGE_HALF_LIFE_DAYS = 180

# Allies per page in the ally list.
# ALLIES_PER_PAGE = 25

# Password hashing (Werkzeug method string).
# PASSWORD_HASH_METHOD = "scrypt"

# Largest request body accepted, in bytes (uploads, imports).
# MAX_CONTENT_LENGTH = 10 * 1024 * 1024

# Read pages (dashboard, ally list, issue page, map data) kept per chapter data version in
# each worker's memory, in bytes; 0 turns this off.
# PAGE_CACHE_BYTES = 32 * 1024 * 1024

# An analysis of older data is recomputed once it has served this many times its computing
# time (and at least ANALYSIS_REFRESH_SECONDS): recomputing takes a bounded share of the CPU.
# ANALYSIS_REFRESH_FACTOR = 10
# ANALYSIS_REFRESH_SECONDS = 0

# Compute analyses in the background in a forked, lower-priority child process (True, the
# default outside tests) or in a thread of the worker (False).
# ANALYSIS_PROCESS = True
