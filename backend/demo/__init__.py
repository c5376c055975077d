"""Demo data: a deterministic, realistic year of a B2B sales team's CRM (`enterpristore seed-demo`)."""
