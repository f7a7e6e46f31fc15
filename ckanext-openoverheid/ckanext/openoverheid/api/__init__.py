"""Our HTTP API's shared parts: the OpenAPI document (``openapi.yaml``, data that each feature
extends), problem+json errors, the NL API Design Rules conventions (``API-Version``, CORS) and the
views that serve the document. See docs/api.md.
"""
