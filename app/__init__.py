"""What people touch: the CLI, the explorer, the SPARQL endpoint, exports."""
