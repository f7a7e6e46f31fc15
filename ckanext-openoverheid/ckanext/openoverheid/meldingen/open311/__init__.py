"""Open311 GeoReport v2: the spec's field lists (``spec``), serialization to JSON and XML
(``serialize``) and the routes under /open311/v2/ (``views``)."""
