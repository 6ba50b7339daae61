"""Generator of the brain-MRI transfer-learning evidence map."""
