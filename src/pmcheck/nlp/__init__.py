"""Natural-language rule kinds backed by spaCy. spaCy is imported only when a document needs it."""
