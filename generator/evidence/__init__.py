"""Reading the evidence: YAML records, taxonomy and review -> a validated Dataset."""
