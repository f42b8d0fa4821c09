"""The ``climatekg`` command: ``main`` builds it, one module per command group adds its commands."""
