"""Course jobs: what runs a generation or an edit, in-process (embedded) or on Celery workers."""
