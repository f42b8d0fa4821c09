"""What people touch, one subpackage per surface.

- ``cli``: the ``climatekg`` command (one module per command group);
- ``sparql``: the read-only SPARQL 1.1 Protocol endpoint and the result serialisers the CLI and
  the explorer share;
- ``publish``: exports (RDF, GraphML, GEXF, CSV) and their VoID/DCAT description;
- ``explorer``: the Streamlit explorer (entry point, one script per page, the views they draw);
- ``review``: the rules for accepting or rejecting extracted facts, shared by ``climatekg
  extract`` and the explorer's Import page.
"""
