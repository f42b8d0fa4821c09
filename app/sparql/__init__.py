"""The read-only SPARQL 1.1 Protocol endpoint, split by job.

``negotiation`` (media types, the ``Accept`` header), ``results`` (the serialisers the server,
the ``climatekg sparql`` command and the explorer's SPARQL page share), ``safety`` (refusing
updates and SERVICE), ``workers`` (query processes that a time limit can kill), ``server``
(the Starlette routes and ``serve``).
"""
