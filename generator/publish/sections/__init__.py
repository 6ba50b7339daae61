"""One producer per section of the site: each a pure function from the Dataset to files; they never import each other."""
