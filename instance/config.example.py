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
