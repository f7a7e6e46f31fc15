""""Open, tenzij" (open unless): the rules of a closure (``policy``), the withholding of closed data
wherever it leaves CKAN (``withholding``, ``indexing``), the openheidsregister (``register``,
``register_dataset``, ``views``), the review of expired closures (``review``) and the closure
validators (``logic/validators``). The core plugin wires it: leaving it out would leak closed data.
"""
