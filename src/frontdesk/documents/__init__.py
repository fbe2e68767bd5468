"""Customer documents (proof of payment and the like): text read, fields pulled out,
reviewed by staff."""
