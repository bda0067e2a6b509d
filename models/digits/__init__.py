"""The handwritten-digit model artifact (see README.md beside this file)."""
