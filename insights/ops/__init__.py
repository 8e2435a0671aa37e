"""Operations: serving under gunicorn, request logs, the audit log page."""
