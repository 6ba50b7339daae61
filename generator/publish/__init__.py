"""Publishing the evidence: a validated Dataset -> the files of the site."""
