"""Shared code of lakegate's Spark jobs (spark/jobs/*.py): ddl/ parsing, session, readers, writers, rules."""
