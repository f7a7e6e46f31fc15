"""Open311 GeoReport v2: the spec's field lists (``spec``), serialisation to JSON and XML
(``serialise``) and the routes under /open311/v2/ (``views``)."""
