"""Publishing the graph: ``exports`` writes dumps and network files, ``description`` their VoID/DCAT/PROV."""
