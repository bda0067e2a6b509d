"""The ingest queue: uploads wait in the data directory until a worker process ingests them.

OCR and embedding cost seconds to minutes per file; run in the web server's process they starved
its searches. The server only writes the upload to ``inbox/`` and records a job; a worker (a child
of ``hoptac serve``, or ``hoptac worker``) reads, OCRs, embeds and commits it, and saves the vector
index the server then loads.
"""

from jobs.queue import IngestQueue
from jobs.store import Job, JobStore

__all__ = ["IngestQueue", "Job", "JobStore"]
