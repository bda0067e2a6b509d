"""The Vietnamese diacritic-restoration model artifact (see README.md beside this file)."""
