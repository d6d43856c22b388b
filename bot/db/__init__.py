"""Storage: SQLAlchemy 2 async models, sessions, repositories, Alembic migrations."""
