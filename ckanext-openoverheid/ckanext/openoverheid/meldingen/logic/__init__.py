"""Actions, auth functions, schemas and validators of the meldingen (the API)."""
