"""Generator of a living evidence map: YAML records, a taxonomy and review.yaml in, a static MkDocs site out."""
