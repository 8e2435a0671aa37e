# Copy to instance/config.py. Environment variables (INSIGHTS_*) override these values.

# PostgreSQL for a shared deployment (the default is SQLite in this folder):
# DATABASE_URL = "postgresql+psycopg://insights@db.example.org:5432/insights"

# Behind HTTPS, send the session cookie over HTTPS only:
# SESSION_COOKIE_SECURE = True
# REMEMBER_COOKIE_SECURE = True

# Lock an account for LOGIN_LOCKOUT_MINUTES after LOGIN_MAX_FAILURES wrong passwords:
# LOGIN_MAX_FAILURES = 5
# LOGIN_LOCKOUT_MINUTES = 15
