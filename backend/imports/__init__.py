"""CSV import of leads from other CRMs' exports (README.md)."""

# Rows per transaction (--batch-size). Each commit writes every index page its rows touched to the log again, and
# a lead has some fifteen indexes in no common order: 100,000 maven-crm rows took 10.3 s in transactions of 1,000,
# 8.9 s of 2,500, 7.9 s of 5,000 (no better beyond). Here, not in service.py, so that the command line knows it
# without importing the importer.
DEFAULT_BATCH_SIZE = 5000
